package bot_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/tradeguard/tradeguard/commands/commandstest"
	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

// replicas starts n `http` servers on one Redis: each has its own Redis connection and router, and
// shares only the key prefix (and Discord's signing key), as replicas behind a load balancer do.
func replicas(t *testing.T, h *commandstest.Harness, n int) []*endpoint {
	t.Helper()
	first := newEndpoint(t, h, endpointOpts{})
	out := []*endpoint{first}
	for len(out) < n {
		store := state.New(statetest.Reconnect(t, h.Store.Client()), h.Store.Prefix())
		out = append(out, newEndpoint(t, h, endpointOpts{store: store, priv: first.priv}))
	}
	return out
}

// step is one interaction of a multi-step flow, sent to one replica. body may use earlier answers;
// check sees this step's answer. To follow a longer flow (disputes ...), append steps.
type step struct {
	name    string
	replica int
	body    func() []byte
	check   func(t *testing.T, r reply)
}

func TestReplicasShareOneFlowAndAnswerAReplayOnce(t *testing.T) {
	t.Parallel()
	h := commandstest.New(t)
	rs := replicas(t, h, 2)
	alice, bob, agent := h.Buyer("alice"), h.Buyer("bob"), h.Agent("ada")
	contains := func(want ...string) func(*testing.T, reply) {
		return func(t *testing.T, r reply) {
			t.Helper()
			for _, w := range want {
				if !strings.Contains(r.Msg.Text(), w) {
					t.Fatalf("answer %q lacks %q", r.Msg.Text(), w)
				}
			}
		}
	}
	flow := []step{
		{"alice creates an order", 0,
			func() []byte {
				return h.CommandJSON(alice, `/order create supplier:"Acme Textiles" total:1200 currency:USD ship-date:2026-12-20`)
			},
			contains("Order #1 created")},
		{"alice sees it on the other replica", 1,
			func() []byte { return h.CommandJSON(alice, `/order show order:1`) },
			contains("Acme Textiles", "1,200.00")},
		{"bob may not see it, whichever replica", 0,
			func() []byte { return h.CommandJSON(bob, `/order show order:1`) },
			contains("no order #1")},
		{"the agent sees it", 1,
			func() []byte { return h.CommandJSON(agent, `/order show order:1`) },
			contains("Acme Textiles")},
		{"the next order number comes from the shared counter", 1,
			func() []byte { return h.CommandJSON(alice, `/order create supplier:"Beta Pack" total:50`) },
			contains("Order #2 created")},
	}
	for _, s := range flow {
		r := answer(t, rs[s.replica].post(s.body()))
		t.Run(s.name, func(t *testing.T) { s.check(t, r) })
	}

	// One signed delivery reaches both replicas at once (a load balancer retrying, say): the handler runs
	// once, one replica answers it, the other refuses the duplicate with 409 and no body.
	replay := h.CommandJSON(alice, `/order create supplier:"Gamma" total:75`)
	statuses := make([]int, len(rs))
	bodies := make([]string, len(rs))
	var wg sync.WaitGroup
	for i, e := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := e.post(replay)
			b, _ := io.ReadAll(resp.Body)
			statuses[i], bodies[i] = resp.StatusCode, string(b)
		}()
	}
	wg.Wait()
	answered := 0
	for i, code := range statuses {
		switch code {
		case http.StatusOK:
			answered++
			if !strings.Contains(bodies[i], "Order #3 created") {
				t.Errorf("replica %d answered %s", i, bodies[i])
			}
		case http.StatusConflict:
		default:
			t.Errorf("replica %d: status %d (%s), want 200 or 409", i, code, bodies[i])
		}
	}
	if answered != 1 {
		t.Fatalf("statuses %v: want exactly one 200 and one 409", statuses)
	}
	// State changed once: order 3 exists, order 4 does not.
	ctx := context.Background()
	if _, err := h.Store.GetOrder(ctx, commandstest.Guild, 3); err != nil {
		t.Fatalf("order 3: %v", err)
	}
	if _, err := h.Store.GetOrder(ctx, commandstest.Guild, 4); !state.IsNotFound(err) {
		t.Fatalf("the replayed create ran twice (order 4: %v)", err)
	}
	// A later replay to either replica is refused too.
	if resp := rs[0].post(replay); resp.StatusCode != http.StatusConflict {
		t.Fatalf("late replay: status %d, want 409", resp.StatusCode)
	}
}
