package commands_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/redis/go-redis/v9"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/commands/commandstest"
)

// tripCounter counts round trips to Redis: one per command sent alone, one per pipeline.
type tripCounter struct{ n atomic.Int64 }

func (c *tripCounter) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (c *tripCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}

func (c *tripCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmds)
	}
}

// TestEveryCommandTakesAtMostThreeRoundTrips: the idempotency claim, one batched read and one
// atomic write, whatever the command. A warm-up loads the scripts first, as in a running bot.
func TestEveryCommandTakesAtMostThreeRoundTrips(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	trips := &tripCounter{}
	h.Store.Client().AddHook(trips)
	alice, bob, mia := h.Buyer("alice"), h.Agent("bob"), h.Moderator("mia")
	h.Command(mia, "/setup updates-channel channel:#updates")
	h.Command(bob, `/supplier set name:"Shenzhen Acme" ta-limit:50000`)
	warm := create(t, h, alice, baseOrder)
	h.Command(bob, cmd(`/order update order:#N note:"warm"`, warm))
	h.Command(bob, cmd(`/order update order:#N status:awaiting_payment`, warm))
	h.Command(bob, "/order list")
	h.Autocomplete(bob, "/order show order:1", "order")
	paid := seed(t, h, alice, assurance.AwaitingBalance)
	fresh := seed(t, h, alice, assurance.AwaitingConfirmation)
	shipping := seed(t, h, alice, assurance.AwaitingShipment)
	members := map[string]commandstest.Member{"alice": alice, "bob": bob, "mia": mia}
	for _, l := range []struct{ who, line string }{
		{"alice", baseOrder},
		{"alice", "/order show order:#P"},
		{"alice", "/order timeline order:#P"},
		{"bob", "/order list"},
		{"alice", "/order list status:awaiting_balance"},
		{"bob", `/order update order:#P note:"production started"`},
		{"bob", `/order update order:#P tracking:"DHL 1"`},
		{"bob", "/order update order:#F status:awaiting_payment"},
		{"alice", "/order pay order:#P amount:100 method:tt"},
		{"alice", "/order change order:#F field:quantity value:10"},
		{"alice", `/order inspection order:#S result:pass note:"ok"`},
		{"alice", `/order cancel order:#F reason:"no"`},
		{"bob", "/order export"},
		{"bob", `/supplier set name:"Shenzhen Acme" ta-limit:60000`},
		{"alice", `/supplier show name:"Shenzhen Acme"`},
		{"mia", "/setup language language:en"},
		{"mia", "/setup show"},
	} {
		line := strings.NewReplacer("#P", strconv.FormatInt(paid, 10), "#F", strconv.FormatInt(fresh, 10),
			"#S", strconv.FormatInt(shipping, 10)).Replace(l.line)
		before := trips.n.Load()
		text := h.Command(members[l.who], line).Text()
		if got := trips.n.Load() - before; got > 3 {
			t.Errorf("%s took %d round trips", line, got)
		}
		if strings.Contains(text, "Nothing was changed") || strings.Contains(text, "error") {
			t.Errorf("%s did not go through: %s", line, text)
		}
	}
	before := trips.n.Load()
	h.Autocomplete(bob, "/order show order:1", "order")
	if got := trips.n.Load() - before; got > 3 {
		t.Errorf("autocomplete took %d round trips", got)
	}
}

// TestReadOnlyCommandsClaimWithTheirReads: /order show claims its interaction in the same round trip as
// its reads, and a second delivery of the same interaction is still answered only once.
func TestReadOnlyCommandsClaimWithTheirReads(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice := h.Buyer("alice")
	n := create(t, h, alice, baseOrder)
	h.Command(alice, cmd("/order show order:#N", n)) // loads the scripts and warms the pool
	trips := &tripCounter{}
	h.Store.Client().AddHook(trips)
	data, err := commands.ParseCommandLine(h.Definitions(), cmd("/order show order:#N", n), nil)
	if err != nil {
		t.Fatal(err)
	}
	in := h.Interaction(alice, discordgo.InteractionApplicationCommand, data, nil)
	first, second := commandstest.NewRecorder(t), commandstest.NewRecorder(t)
	if err := h.Router.Dispatch(context.Background(), in, first); err != nil {
		t.Fatal(err)
	}
	if got := trips.n.Load(); got != 1 {
		t.Errorf("/order show took %d round trips, want 1 (claim and reads together)", got)
	}
	if !strings.Contains(first.Text(), "Order #") {
		t.Fatalf("first delivery answered %q", first.Text())
	}
	if err := h.Router.Dispatch(context.Background(), in, second); err != nil {
		t.Fatal(err)
	}
	if len(second.Calls) != 0 {
		t.Fatalf("the duplicate delivery was answered: %+v", second.Calls)
	}
}
