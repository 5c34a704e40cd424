package commands_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands/commandstest"
	"github.com/tradeguard/tradeguard/state"
)

// withUpdatesChannel configures the server's updates channel (and its agent role, through h.Agent).
func withUpdatesChannel(t *testing.T, h *commandstest.Harness) commandstest.Member {
	t.Helper()
	agent := h.Agent("ann")
	st, err := h.Store.Settings(context.Background(), commandstest.Guild)
	if err != nil {
		t.Fatal(err)
	}
	st.UpdatesChannel = commandstest.Updates
	if err := h.Store.SaveSettings(context.Background(), commandstest.Guild, st); err != nil {
		t.Fatal(err)
	}
	return agent
}

// fileLateShipment files a full-refund late-shipment dispute on a new late order and returns its number.
func fileLateShipment(t *testing.T, h *commandstest.Harness, buyer commandstest.Member) int64 {
	t.Helper()
	n := seedOrder(t, h, buyer, assurance.AwaitingShipment, nil)
	fileOn(t, h, buyer, n)
	return n
}

// fileOn walks a full-refund late-shipment dispute on order n and returns the filed screen.
func fileOn(t *testing.T, h *commandstest.Harness, buyer commandstest.Member, n int64) string {
	t.Helper()
	w := newWalker(t, h, buyer).command(fmt.Sprintf("/dispute open order:%d", n))
	w.click("issue", "not_shipped_by_date")
	w.answerAll(defaultAnswers())
	w.click("next")
	w.refund("full", nil)
	w.click("confirm")
	mustContain(t, w.msg.Text(), "Dispute #")
	return w.msg.Text()
}

func announced(h *commandstest.Harness) string {
	var b strings.Builder
	for _, a := range h.Announced() {
		if a.Channel != commandstest.Updates {
			b.WriteString("WRONG CHANNEL ")
		}
		for _, e := range a.Msg.Embeds {
			b.WriteString(e.Title + " | " + e.Description + "\n")
		}
	}
	return b.String()
}

// TestDisputeStagesMoveTheOrder follows a dispute through POLICY.md section 5: the supplier's answer,
// escalation from day 4, a refund agreed and paid out; each move is checked against who may make it, the
// order's state follows, and every move is announced.
func TestDisputeStagesMoveTheOrder(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	ann := withUpdatesChannel(t, h)
	n := fileLateShipment(t, h, alice)
	mustContain(t, announced(h), "opened a dispute", "(dispute #1: Not shipped by the agreed date) · asks 1,250.50 USD")

	status := h.Command(alice, fmt.Sprintf("/dispute status order:%d", n)).Text()
	mustContain(t, status, "Order #1, dispute #1: Not shipped by the agreed date", "Negotiating with the supplier",
		"Today (2026-11-27) is day 0", "Supplier should answer by **2026-11-30**", "Likely eligible, up to 1,250.50 USD",
		"`/dispute update order:1 stage:supplier_responded`", "`/dispute cancel order:1`", "Escalation to Alibaba.com is possible from 2026-12-01")
	if strings.Contains(status, "stage:resolved_refund") {
		t.Errorf("the buyer is offered an agent's move:\n%s", status)
	}
	agentView := h.Command(ann, fmt.Sprintf("/dispute status order:%d", n)).Text()
	mustContain(t, agentView, "stage:resolved_refund", "stage:closed_no_response")

	run := func(m commandstest.Member, args string) string {
		t.Helper()
		return h.Command(m, fmt.Sprintf("/dispute update order:%d %s", n, args)).Text()
	}
	mustContain(t, run(ann, `stage:supplier_responded note:"offers a 20% discount"`), "Supplier responded, recorded by", "offers a 20% discount")
	mustContain(t, run(alice, "stage:escalated"), "Too early to escalate", "You may escalate from 2026-12-01")
	mustContain(t, run(ann, "stage:escalated"), "Only the buyer can escalate")
	mustContain(t, run(alice, "stage:refund_paid"), "“Refund paid out” is not possible now: the dispute is at “Negotiating with the supplier” and the order is “In dispute”")
	mustContain(t, run(alice, "stage:closed_no_response"), "Only an agent or a moderator can record that the dispute was closed")
	if o := order(t, h, n); o.Status != assurance.InDispute {
		t.Fatalf("refused moves moved the order: %s", o.Status)
	}

	h.Today("2026-12-01") // day 4
	mustContain(t, run(alice, "stage:escalated"), "Escalated to Alibaba.com", "Alibaba.com's team usually joins by **2026-12-03**")
	if o := order(t, h, n); o.Status != assurance.DisputeEscalated {
		t.Fatalf("after escalation: %s", o.Status)
	}
	mustContain(t, run(ann, "stage:resolved_refund"), "Give the refund agreed with `amount:`")
	mustContain(t, run(ann, "stage:resolved_refund amount:1250.51"), "cannot be more than what was paid (1,250.50 USD)")
	mustContain(t, run(ann, "stage:resolved_refund amount:500"), "Resolved with refund", "Refund: 500.00 USD", "The refund should start by **2026-12-10**")
	if o := order(t, h, n); o.Status != assurance.RefundPending || o.Dispute != 1 {
		t.Fatalf("after the agreement: %+v", o)
	}
	mustContain(t, h.Command(alice, fmt.Sprintf("/dispute cancel order:%d", n)).Text(), "can no longer be withdrawn")
	mustContain(t, run(ann, "stage:refund_paid"), "Refund paid out")
	o := order(t, h, n)
	if o.Status != assurance.AwaitingShipment || o.Dispute != 0 || o.Prior != "" {
		t.Fatalf("a partial refund paid: the order goes back to where it was, got %+v", o)
	}
	mustContain(t, run(ann, "stage:supplier_responded"), "has no dispute in force")

	status = h.Command(alice, fmt.Sprintf("/dispute status order:%d", n)).Text()
	mustContain(t, status, "Resolved with a refund", "Agreed: 500.00 USD", "Supplier responded", "Escalated to Alibaba.com", "Refund paid out")
	a := announced(h)
	if got := strings.Count(a, "(dispute #1:"); got != 5 {
		t.Errorf("%d dispute events announced, want 5 (filed, 4 moves):\n%s", got, a)
	}
	mustContain(t, a, "recorded on the dispute: Supplier responded", "escalated the dispute", "recorded an agreed refund",
		"· refund 500.00 USD", "recorded a partial refund")

	// The problem was decided: it is not filed again on this order.
	w := newWalker(t, h, alice).command(fmt.Sprintf("/dispute open order:%d", n))
	w.click("issue", "not_shipped_by_date")
	mustContain(t, w.msg.Text(), "already filed on this order as dispute #1", "step 1 of 5")

	// A full refund paid out closes the order as refunded.
	n2 := fileLateShipment(t, h, alice)
	h.Command(ann, fmt.Sprintf("/dispute update order:%d stage:resolved_refund amount:1250.50", n2))
	h.Command(ann, fmt.Sprintf("/dispute update order:%d stage:refund_paid", n2))
	if o := order(t, h, n2); o.Status != assurance.Refunded {
		t.Fatalf("a full refund paid: %s", o.Status)
	}
}

// TestDisputeCancelCannotBeReopened: the buyer confirms withdrawing; the order goes back; the same problem
// cannot be filed again, another can; a dispute closed for no response may be filed again.
func TestDisputeCancelCannotBeReopened(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	ann := withUpdatesChannel(t, h)
	n := fileLateShipment(t, h, alice)
	mustContain(t, h.Command(ann, fmt.Sprintf("/dispute cancel order:%d", n)).Text(), "Only the buyer can withdraw the dispute")

	ask := newWalker(t, h, alice).command(fmt.Sprintf("/dispute cancel order:%d", n))
	mustContain(t, ask.msg.Text(), "Withdraw dispute #1 on order #1?", "cannot be reopened")
	ask.click("keep")
	mustContain(t, ask.msg.Text(), "stays as it is")
	if o := order(t, h, n); o.Status != assurance.InDispute {
		t.Fatalf("Keep it withdrew the dispute: %s", o.Status)
	}
	ask = newWalker(t, h, alice).command(fmt.Sprintf("/dispute cancel order:%d", n))
	confirm := ask.msg
	ask.click("withdraw")
	mustContain(t, ask.msg.Text(), "Withdrawn by the buyer")
	o := order(t, h, n)
	if o.Status != assurance.AwaitingShipment || o.Dispute != 0 {
		t.Fatalf("after withdrawing: %+v", o)
	}
	if d := dispute(t, h, n, 1); d.Stage != assurance.StageCancelledByBuyer || d.EndedAt.IsZero() {
		t.Fatalf("dispute after withdrawing: %+v", d)
	}
	again := h.Click(alice, confirm, (&walker{t: t, msg: confirm}).find("withdraw")).Text()
	mustContain(t, again, "no longer in force; nothing was changed")

	w := newWalker(t, h, alice).command(fmt.Sprintf("/dispute open order:%d", n))
	w.click("issue", "not_shipped_by_date")
	mustContain(t, w.msg.Text(), "already filed on this order as dispute #1, which ended as `cancelled_by_buyer`")
	w.click("issue", "not_received")
	if w.step() == 1 {
		t.Fatalf("another problem is refused:\n%s", w.msg.Text())
	}

	// Closed for no response: may be filed again.
	m := fileLateShipment(t, h, alice)
	h.Command(ann, fmt.Sprintf("/dispute update order:%d stage:closed_no_response", m))
	mustContain(t, h.Command(alice, fmt.Sprintf("/dispute status order:%d", m)).Text(), "Closed for no response: you may file it again")
	mustContain(t, fileOn(t, h, alice, m), fmt.Sprintf("Dispute #2 filed on order #%d", m))
	mustContain(t, h.Command(alice, fmt.Sprintf("/dispute status order:%d", m)).Text(), "Other disputes on this order", "#1 · Not shipped by the agreed date · Closed for no response")
}

// TestDisputeEvidenceAndExport: links and files join the walk-through, then the filed dispute (files as
// their URL and name), and the export holds every answer, item, move and event with its time.
func TestDisputeEvidenceAndExport(t *testing.T) {
	h := commandstest.New(t)
	alice, bob := h.Buyer("alice"), h.Buyer("bob")
	ann := withUpdatesChannel(t, h)
	n := seedOrder(t, h, alice, assurance.Received, func(o *state.Order) { o.ReceivedOn = day(t, "2026-11-20") })
	ev := func(m commandstest.Member, args string) string {
		t.Helper()
		return h.Command(m, fmt.Sprintf("/dispute evidence order:%d %s", n, args)).Text()
	}
	mustContain(t, ev(alice, "note:hello"), "Order #1 has no dispute to add evidence to")

	w := newWalker(t, h, alice).command(fmt.Sprintf("/dispute open order:%d", n))
	w.click("issue", "damaged")
	w.answerAll(defaultAnswers())
	// A link given during the walk-through: shown at once, with working buttons.
	w.command(fmt.Sprintf(`/dispute evidence order:%d link:https://photos.example.com/crushed kind:photos note:"crushed corners"`, n))
	mustContain(t, w.msg.Text(), "Added to your walk-through for order #1", "<https://photos.example.com/crushed>", "Evidence you have: Photos")
	mustContain(t, ev(alice, "link:ftp://example.com/x"), "`link`: `ftp://example.com/x` is not a web link")
	mustContain(t, ev(alice, "kind:video"), "Give a `file`, a `link` or a `note`")
	mustContain(t, ev(bob, "note:hi"), "no order #1 in this server that you can see")
	w.click("next")
	w.refund("full", nil)
	mustContain(t, w.msg.Text(), "Likely eligible", "crushed corners")
	w.click("confirm")
	mustContain(t, w.msg.Text(), "https://photos.example.com/crushed")

	mustContain(t, ev(alice, `file:box.jpg note:"the outer box"`), "Added to dispute #1 of order #1", "[box.jpg](https://cdn.discordapp.com/attachments/")
	mustContain(t, ev(ann, `note:"supplier admits the damage in chat" kind:chat_records`), "Added to dispute #1")
	items, err := h.Store.Evidence(context.Background(), commandstest.Guild, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || items[0].Link == "" || items[1].File != "box.jpg" || items[1].ContentType != "image/jpeg" ||
		!strings.HasPrefix(items[1].FileURL, "https://cdn.discordapp.com/attachments/") || items[2].By != ann.ID {
		t.Fatalf("evidence %+v", items)
	}
	h.Command(ann, fmt.Sprintf(`/dispute update order:%d stage:supplier_responded note:"will replace | 50 units"`, n))

	mustContain(t, h.Command(bob, fmt.Sprintf("/dispute export order:%d", n)).Text(), "no order #1")
	rec := h.Command(ann, fmt.Sprintf("/dispute export order:%d", n))
	doc, ok := rec.Last().Files["order-1-disputes.md"]
	if !ok {
		t.Fatalf("no Markdown file: %+v", rec.Last())
	}
	mustContain(t, doc, "# Order #1 (Shenzhen Acme): disputes", "## Dispute #1: Goods arrived damaged",
		"| 2026-11-27 12:00 UTC | Does the supplier offer Trade Assurance on this order? | yes |",
		"| 2026-11-27 12:00 UTC | Who carried the risk while the goods were on the way? It follows the order's Incoterm. | the supplier |",
		"| 2026-11-27 12:00 UTC | alice | Photos | https://photos.example.com/crushed | crushed corners |",
		"| alice | - | box.jpg https://cdn.discordapp.com/attachments/",
		"| ann | Chat records with the supplier | - | supplier admits the damage in chat |",
		"| ann | Supplier responded | Negotiating with the supplier | - | will replace \\| 50 units |",
		"Refund application for Trade Assurance order #1", "## Order timeline",
		"| alice opened a dispute (Received, claim window running → In dispute) (dispute #1: Goods arrived damaged) · asks 1,250.50 USD |",
		"| alice added evidence (dispute #1: Goods arrived damaged) > box.jpg https://cdn.discordapp.com/attachments/")
}

// TestDisputeEscalatesAutomaticallyOnDay8: the order's timer escalates an unresolved dispute on day 8 of
// its clock, as the bot, moving the dispute with the order; a dispute the buyer escalated has no such timer.
func TestDisputeEscalatesAutomaticallyOnDay8(t *testing.T) {
	ctx := context.Background()
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	withUpdatesChannel(t, h)
	n := fileLateShipment(t, h, alice) // opened 2026-11-27: automatic escalation on 2026-12-05
	if o := order(t, h, n); !o.Deadline.Equal(day(t, "2026-12-05").Time()) {
		t.Fatalf("timer of the dispute: %v", o.Deadline)
	}
	if fired, err := h.App.Sweep(ctx, day(t, "2026-12-05").Time().Add(-time.Minute)); err != nil || fired != 0 {
		t.Fatalf("before day 8: fired %d, %v", fired, err)
	}
	if fired, err := h.App.Sweep(ctx, day(t, "2026-12-05").Time().Add(time.Minute)); err != nil || fired != 1 {
		t.Fatalf("on day 8: fired %d, %v", fired, err)
	}
	o, d := order(t, h, n), dispute(t, h, n, 1)
	if o.Status != assurance.DisputeEscalated || d.Stage != assurance.StageEscalated || len(d.Steps) != 1 ||
		d.Steps[0].Move != assurance.MoveAutoEscalate || d.Steps[0].By != "" || !o.Deadline.IsZero() {
		t.Fatalf("after the sweep: order %s (deadline %v), dispute %+v", o.Status, o.Deadline, d)
	}
	mustContain(t, announced(h), "escalated the dispute automatically")
	if fired, _ := h.App.Sweep(ctx, day(t, "2026-12-06").Time()); fired != 0 {
		t.Fatalf("the timer fired twice")
	}
	h.Today("2026-12-06")
	mustContain(t, h.Command(alice, fmt.Sprintf("/dispute status order:%d", n)).Text(), "Escalated automatically (day 8) · TradeGuard")

	m := fileLateShipment(t, h, alice) // opened 2026-12-06; the buyer escalates on day 4
	h.Today("2026-12-10")
	h.Command(alice, fmt.Sprintf("/dispute update order:%d stage:escalated", m))
	if fired, _ := h.App.Sweep(ctx, day(t, "2026-12-20").Time()); fired != 0 || dispute(t, h, m, 1).Steps[0].Move != assurance.MoveEscalate {
		t.Fatalf("a dispute the buyer escalated was escalated again: fired %d", fired)
	}
}
