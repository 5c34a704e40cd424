package commands_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands/commandstest"
)

// Test50ConcurrentNotes: agents post 50 progress notes to one order at once; every note lands
// exactly once and the record stays as it was.
func Test50ConcurrentNotes(t *testing.T) {
	t.Parallel()
	h := commandstest.New(t) // with the default write limit: ten agents, five notes each
	n := seed(t, h, h.Buyer("alice"), assurance.AwaitingShipment)
	pre := snap(t, h, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 50 {
		agent := h.Agent(fmt.Sprintf("agent%d", i%10))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			text := h.Command(agent, cmd(fmt.Sprintf(`/order update order:#N note:"production step %d done"`, i), n)).Text()
			if !strings.Contains(text, "Posted") {
				t.Errorf("note %d: %s", i, text)
			}
		}()
	}
	close(start)
	wg.Wait()
	evs := events(t, h, n)
	if len(evs) != pre.events+50 {
		t.Fatalf("%d events, want %d", len(evs), pre.events+50)
	}
	seen := map[string]int{}
	for _, e := range evs[pre.events:] {
		if e.Type != "note" || !strings.HasPrefix(e.Name, "agent") {
			t.Fatalf("event %+v", e)
		}
		seen[e.Note]++
	}
	for i := range 50 {
		if c := seen[fmt.Sprintf("production step %d done", i)]; c != 1 {
			t.Fatalf("note %d appears %d times", i, c)
		}
	}
	got := snap(t, h, n)
	if got.version != pre.version {
		t.Fatalf("notes changed the record's version: %d → %d", pre.version, got.version)
	}
	if o := order(t, h, n); o.Status != assurance.AwaitingShipment {
		t.Fatalf("status %s", o.Status)
	}
}

// TestConflictingStatusChanges: funds arrived and payment failed, sent at once by two agents, end
// with exactly one applied; the other is refused with the state the order is in now.
func TestConflictingStatusChanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, bob, carl := h.Buyer("alice"), h.Agent("bob"), h.Agent("carl")
	for round := range 20 {
		n := seed(t, h, alice, assurance.PaymentProcessing)
		pre := snap(t, h, n)
		start := make(chan struct{})
		texts := make([]string, 2)
		var wg sync.WaitGroup
		for i, step := range []struct {
			who  commandstest.Member
			line string
		}{{bob, "/order update order:#N status:awaiting_balance"}, {carl, "/order update order:#N status:payment_failed"}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				texts[i] = h.Command(step.who, cmd(step.line, n)).Text()
			}()
		}
		close(start)
		wg.Wait()
		o := order(t, h, n)
		applied := 0
		for i, text := range texts {
			if strings.Contains(text, "Nothing was changed") {
				if !strings.Contains(text, "**"+statusText(o.Status)+"**") {
					t.Errorf("round %d: the refusal does not name the current state %s:\n%s", round, o.Status, text)
				}
				continue
			}
			applied++
			if i == 0 && o.Status != assurance.AwaitingBalance || i == 1 && o.Status != assurance.AwaitingPayment {
				t.Errorf("round %d: reply %d applied but the order is %s", round, i, o.Status)
			}
		}
		if applied != 1 {
			t.Fatalf("round %d: %d applied:\n%s\n---\n%s", round, applied, texts[0], texts[1])
		}
		if got := snap(t, h, n); got.events != pre.events+1 || got.version != pre.version+1 {
			t.Fatalf("round %d: %d new events, version +%d", round, got.events-pre.events, got.version-pre.version)
		}
	}
}

// statusText is a state's English name.
func statusText(s assurance.Status) string {
	return map[assurance.Status]string{
		assurance.AwaitingBalance: "Deposit received, balance due", assurance.AwaitingPayment: "Awaiting payment",
	}[s]
}
