// Command storebench measures what one server's orders cost in Redis and how /order list scales:
// it fills a server through the real router and handlers (each order created with /order create and given
// four progress notes with /order update, so five timeline events), reports Redis memory per order from
// INFO memory (less the interaction IDs and rate counters, which expire within minutes), and the latency of /order list and of its store call at 1,000 and at the full count.
//
//	go run ./tools/storebench -redis redis://127.0.0.1:6379/0 -orders 100000
//
// Use a Redis that nothing else writes to during the run; the keys are deleted at the end.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/redis/go-redis/v9"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/bot"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

const (
	guild     = "930000000000000001"
	agentRole = "930000000000000002"
	buyer     = "930000000000000003"
	agent     = "930000000000000004"
)

func main() {
	url := flag.String("redis", "redis://127.0.0.1:6379/0", "Redis to fill (single node)")
	orders := flag.Int("orders", 100000, "orders to create")
	workers := flag.Int("workers", runtime.NumCPU()*4, "concurrent interactions while filling")
	samples := flag.Int("samples", 2000, "list calls per measurement")
	keep := flag.Bool("keep", false, "keep the keys afterwards (to inspect them), printing their prefix")
	flag.Parse()
	if err := run(context.Background(), *url, *orders, *workers, *samples, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "storebench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url string, orders, workers, samples int, keep bool) error {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return err
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	prefix := "tgbench" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if keep {
		fmt.Println("key prefix:", prefix)
	} else {
		defer statetest.Purge(context.Background(), rdb, prefix)
	}
	store := state.New(rdb, prefix)
	if err := store.SaveSettings(ctx, guild, state.Settings{AgentRole: agentRole}); err != nil {
		return err
	}
	_, router, err := bot.NewRouter(store, assurance.Default(), nopAnnouncer{}, slog.New(slog.NewTextHandler(io.Discard, nil)),
		commands.WithWriteLimit(0))
	if err != nil {
		return err
	}
	d := &driver{router: router}
	runtime.GC()
	before, err := usedMemory(ctx, rdb)
	if err != nil {
		return err
	}
	fmt.Printf("filling server with %d orders x 5 events (%d workers)\n", orders, workers)
	start := time.Now()
	var listSmall string
	for done := 0; done < orders; {
		batch := min(orders-done, 1000)
		if err := d.fill(ctx, done+1, batch, workers); err != nil {
			return err
		}
		done += batch
		if done == min(1000, orders) {
			listSmall = d.measureList(ctx, store, samples, done)
		}
	}
	fill := time.Since(start)
	for _, n := range []int64{1, int64(orders / 2), int64(orders)} {
		evs, err := store.Events(ctx, guild, n, "", 0)
		if err != nil || len(evs) != 5 {
			return fmt.Errorf("order %d has %d events (%v), want 5: the fill was refused somewhere", n, len(evs), err)
		}
	}
	// Interaction IDs (ix:) and write counters (rl:) expire within minutes: they are not what an order costs.
	for _, pattern := range []string{prefix + ":ix:*", prefix + ":{g" + guild + "}:rl:*"} {
		iter := rdb.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			rdb.Unlink(ctx, iter.Val())
		}
		if err := iter.Err(); err != nil {
			return err
		}
	}
	after, err := usedMemory(ctx, rdb)
	if err != nil {
		return err
	}
	fmt.Printf("filled in %s (%.0f interactions/s)\n", fill.Round(time.Millisecond), float64(orders*5)/fill.Seconds())
	fmt.Printf("redis used_memory: %d -> %d bytes: %.0f bytes per order with 5 events\n", before, after, float64(after-before)/float64(orders))
	fmt.Println(listSmall)
	fmt.Println(d.measureList(ctx, store, samples, orders))
	return nil
}

// usedMemory reads used_memory from INFO memory.
func usedMemory(ctx context.Context, rdb *redis.Client) (int64, error) {
	info, err := rdb.Info(ctx, "memory").Result()
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, errors.New("no used_memory in INFO memory")
}

// driver sends interactions straight into the router.
type driver struct {
	router *commands.Router
	seq    atomic.Int64
}

// fill creates orders first..first+n-1, each with four notes.
func (d *driver) fill(ctx context.Context, first, n, workers int) error {
	jobs := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if err := d.order(ctx, i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := first; i < first+n; i++ {
			jobs <- i
		}
	}()
	wg.Wait()
	close(errs)
	return <-errs
}

// order creates one order and posts four progress notes on it. Orders are numbered in creation order
// per server, so the i-th create gets number i only without concurrency; notes go to the number returned.
func (d *driver) order(ctx context.Context, i int) error {
	text, err := d.send(ctx, buyer, nil, "order", "create",
		opt(3, "supplier", fmt.Sprintf("Shenzhen Supplier %d Co., Ltd.", i%500)), opt(3, "total", fmt.Sprintf("%d.50", 500+i%20000)),
		opt(3, "currency", "USD"), opt(3, "ship-date", "2027-01-15"), opt(4, "quantity", 1000))
	if err != nil {
		return err
	}
	num, err := orderNumber(text)
	if err != nil {
		return err
	}
	for k := 1; k <= 4; k++ {
		note := fmt.Sprintf("Production %d%% done, photos shared in the chat", k*25)
		if _, err := d.send(ctx, agent, []string{agentRole}, "order", "update", opt(4, "order", num), opt(3, "note", note)); err != nil {
			return err
		}
	}
	return nil
}

// orderNumber finds "#N" in the create answer's title.
func orderNumber(text string) (int64, error) {
	_, rest, ok := strings.Cut(text, "#")
	if !ok {
		return 0, fmt.Errorf("no order number in %q", text)
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	return strconv.ParseInt(rest[:end], 10, 64)
}

// measureList times /order list (the agent's view of the whole server, first pages) through the router,
// and the store call behind it, at the server's current size.
func (d *driver) measureList(ctx context.Context, store *state.Store, samples, size int) string {
	var router, direct []time.Duration
	for i := 0; i < samples; i++ {
		t := time.Now()
		if _, err := d.send(ctx, agent, []string{agentRole}, "order", "list"); err != nil {
			return "list: " + err.Error()
		}
		router = append(router, time.Since(t))
		t = time.Now()
		if _, err := store.ListOrders(ctx, guild, "orders", int64(i%100)*10, 10); err != nil {
			return "list: " + err.Error()
		}
		direct = append(direct, time.Since(t))
	}
	return fmt.Sprintf("/order list at %d orders: router %s; store.ListOrders %s", size, pct(router), pct(direct))
}

func pct(l []time.Duration) string {
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	q := func(f float64) time.Duration { return l[min(len(l)-1, int(f*float64(len(l))))].Round(time.Microsecond) }
	return fmt.Sprintf("p50=%s p99=%s", q(0.5), q(0.99))
}

func opt(typ int, name string, v any) map[string]any {
	return map[string]any{"type": typ, "name": name, "value": v}
}

// send dispatches one slash command and returns the answer's text; an error answer is an error.
func (d *driver) send(ctx context.Context, user string, roles []string, cmd, sub string, opts ...map[string]any) (string, error) {
	if opts == nil {
		opts = []map[string]any{}
	}
	if roles == nil {
		roles = []string{}
	}
	id := (time.Now().UnixMilli()-1420070400000)<<22 | (d.seq.Add(1) & 0x3FFFFF)
	raw := map[string]any{
		"id": strconv.FormatInt(id, 10), "application_id": "930000000000000000", "type": 2, "guild_id": guild,
		"channel_id": "930000000000000005", "token": "bench", "version": 1, "locale": "en-US",
		"member": map[string]any{"user": map[string]any{"id": user, "username": "bench"}, "roles": roles, "permissions": "0"},
		"data":   map[string]any{"id": "1", "name": cmd, "type": 1, "options": []map[string]any{{"type": 1, "name": sub, "options": opts}}},
	}
	b, _ := json.Marshal(raw)
	in := &discordgo.Interaction{}
	if err := json.Unmarshal(b, in); err != nil {
		return "", err
	}
	rec := &answer{}
	if err := d.router.Dispatch(ctx, in, rec); err != nil {
		return "", err
	}
	if rec.resp == nil || rec.resp.Data == nil {
		return "", fmt.Errorf("/%s %s: no answer", cmd, sub)
	}
	text := rec.resp.Data.Content
	for _, e := range rec.resp.Data.Embeds {
		text += "\n" + e.Title
	}
	return text, nil
}

// answer keeps the initial response.
type answer struct {
	resp *discordgo.InteractionResponse
}

func (a *answer) Respond(_ context.Context, r *discordgo.InteractionResponse) error {
	a.resp = r
	return nil
}
func (a *answer) Edit(context.Context, *discordgo.WebhookEdit) error       { return nil }
func (a *answer) Followup(context.Context, *discordgo.WebhookParams) error { return nil }

type nopAnnouncer struct{}

func (nopAnnouncer) Announce(context.Context, string, *discordgo.MessageSend) error { return nil }
