package commands_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands/commandstest"
	"github.com/tradeguard/tradeguard/state"
)

// refundChoice is step 4 of a walk: full, or a partial refund by quantity or amount.
type refundChoice struct {
	kind   string
	fields map[string]string
}

// TestDisputeWalkEveryIssue walks the whole conversation for every issue of POLICY.md section 3, from the
// command to the filed dispute: only the facts the rules still need are asked, the review shows the
// reading, the maximum and the clock, and Confirm files the dispute with its claim text.
func TestDisputeWalkEveryIssue(t *testing.T) {
	tests := []struct {
		issue    string
		status   assurance.Status
		order    func(o *state.Order)
		asked    []string // the questions, in order
		evidence []string // ticked on the checklist
		refund   refundChoice
		review   []string // in the review
		verdict  string
		asks     string // the amount asked
		claim    []string
	}{
		{issue: "not_shipped_by_date", status: assurance.AwaitingShipment,
			asked:  []string{"supplier_ta", "accepted_in_writing"},
			refund: refundChoice{kind: "full"},
			review: []string{"Likely eligible, up to 1,250.50 USD (limited by the amount paid)", "Paid: 1,250.50 USD",
				"Supplier should answer by **2026-11-30**", "escalate to Alibaba.com from **2026-12-01**", "automatically on **2026-12-05**",
				"No claim deadline yet: the 30-day claim window starts when you confirm receipt"},
			verdict: assurance.VerdictEligible, asks: "1250.5",
			claim: []string{"did not ship by the agreed ship date (2026-11-10)", "Ship by 2026-11-10", "1,250.50 USD (full refund)"}},
		{issue: "not_received", status: assurance.InTransit,
			order:  func(o *state.Order) { o.Incoterm, o.Tracking, o.ShippedOn = "DAP", "SF123456", day(t, "2026-11-12") },
			asked:  []string{"supplier_ta", "accepted_in_writing"},
			refund: refundChoice{kind: "full"},
			review: []string{"Likely eligible, up to 1,250.50 USD", "Tracking record"}, verdict: assurance.VerdictEligible, asks: "1250.5",
			claim: []string{"never arrived", "Shipped on 2026-11-12", "Incoterm DAP"}},
		{issue: "quality_mismatch", status: assurance.Received,
			order:    func(o *state.Order) { o.ShippedOn, o.ReceivedOn = day(t, "2026-11-12"), day(t, "2026-11-20") },
			asked:    []string{"supplier_ta", "spec_in_order", "accepted_in_writing", "inspection_result"},
			evidence: []string{"photos", "video"},
			refund:   refundChoice{kind: "quantity", fields: map[string]string{"affected": "40"}},
			review: []string{"Likely eligible, up to 100.04 USD (limited by the share of the goods affected)",
				"Share affected: 40 of 500 units × 1,250.50 USD = 100.04 USD", "Last day to claim: **2026-12-20**", "Partial refund for 40 of 500 items: 100.04 USD"},
			verdict: assurance.VerdictEligible, asks: "100.04",
			claim: []string{"do not match the quality", "Photos, Video", "100.04 USD (40 of 500 items affected)", "In the written order: yes"}},
		{issue: "short_quantity", status: assurance.Received,
			order:    func(o *state.Order) { o.ReceivedOn = day(t, "2026-11-20") },
			asked:    []string{"supplier_ta", "accepted_in_writing", "inspection_result"},
			evidence: []string{"photos", "packing_list"},
			refund:   refundChoice{kind: "amount", fields: map[string]string{"amount": "300"}},
			review:   []string{"Likely eligible, up to 300.00 USD (limited by the amount you claim)", "Partial refund: 300.00 USD"},
			verdict:  assurance.VerdictEligible, asks: "300",
			claim: []string{"Fewer goods arrived", "Quantity 500", "300.00 USD (partial refund)"}},
		{issue: "wrong_item", status: assurance.Received,
			order:    func(o *state.Order) { o.ReceivedOn, o.Quantity = day(t, "2026-11-20"), 0 },
			asked:    []string{"supplier_ta", "spec_in_order", "accepted_in_writing", "inspection_result"},
			evidence: []string{"photos"},
			refund:   refundChoice{kind: "quantity", fields: map[string]string{"affected": "10", "total": "100"}},
			review:   []string{"Likely eligible, up to 125.05 USD", "10 of 100 items"}, verdict: assurance.VerdictEligible, asks: "125.05",
			claim: []string{"not the item written in the order"}},
		{issue: "damaged", status: assurance.Received,
			order:    func(o *state.Order) { o.ReceivedOn, o.Incoterm = day(t, "2026-11-20"), "FOB" },
			asked:    []string{"supplier_ta"},
			evidence: []string{"photos"},
			refund:   refundChoice{kind: "full"},
			review: []string{"Not claimable under Trade Assurance", "you carried the risk while the goods were on the way",
				"Claim with the carrier or your cargo insurer", "Against the bot's reading", "Record it anyway"},
			verdict: assurance.VerdictNotEligible, asks: "1250.5",
			claim: []string{"arrived damaged"}},
		{issue: "change_of_mind", status: assurance.Received,
			order: func(o *state.Order) { o.ReceivedOn = day(t, "2026-11-20") }, asked: []string{"supplier_ta"},
			refund:  refundChoice{kind: "full"},
			review:  []string{"does not cover “Change of mind”", "Settle it with the supplier directly", "Record it anyway"},
			verdict: assurance.VerdictNotEligible, asks: "1250.5", claim: []string{"no longer wants the goods"}},
		{issue: "after_sales", status: assurance.AwaitingBalance,
			order: func(o *state.Order) {
				o.Payments[0].Amount = decimal.RequireFromString("400")
			},
			asked:  []string{"supplier_ta"},
			refund: refundChoice{kind: "amount", fields: map[string]string{"amount": "400"}},
			review: []string{"does not cover “After-sales service”", "Partial refund: 400.00 USD"}, verdict: assurance.VerdictNotEligible, asks: "400",
			claim: []string{"after-sales service"}},
		{issue: "port_or_customs_cost", status: assurance.InTransit,
			asked: []string{"supplier_ta"}, refund: refundChoice{kind: "full"},
			review: []string{"does not cover “Port or customs costs”"}, verdict: assurance.VerdictNotEligible, asks: "1250.5",
			claim: []string{"port or customs costs"}},
		{issue: "forwarder_freight_change", status: assurance.Received,
			order: func(o *state.Order) { o.ReceivedOn = day(t, "2026-11-20") }, asked: []string{"supplier_ta"},
			refund: refundChoice{kind: "full"},
			review: []string{"does not cover “Forwarder changed the freight or route”"}, verdict: assurance.VerdictNotEligible, asks: "1250.5",
			claim: []string{"freight forwarder changed"}},
	}
	for _, tc := range tests {
		t.Run(tc.issue, func(t *testing.T) {
			h := commandstest.New(t)
			alice := h.Buyer("alice")
			n := seedOrder(t, h, alice, tc.status, tc.order)
			w := newWalker(t, h, alice).command(fmt.Sprintf("/dispute open order:%d", n))
			if !w.msg.Ephemeral() || w.step() != 1 {
				t.Fatalf("first screen:\n%s", w.msg.Text())
			}
			w.click("issue", tc.issue)
			asked := w.answerAll(defaultAnswers())
			if !slices.Equal(asked, tc.asked) {
				t.Errorf("asked %v, want %v", asked, tc.asked)
			}
			if w.step() != 3 {
				t.Fatalf("after the questions:\n%s", w.msg.Text())
			}
			if len(tc.evidence) > 0 {
				w.click("ev", tc.evidence...)
			}
			w.click("next")
			if w.step() != 4 {
				t.Fatalf("after the evidence:\n%s", w.msg.Text())
			}
			w.refund(tc.refund.kind, tc.refund.fields)
			if w.step() != 5 {
				t.Fatalf("after the refund:\n%s", w.msg.Text())
			}
			mustContain(t, w.msg.Text(), tc.review...)
			w.click("confirm")
			text := w.msg.Text()
			mustContain(t, text, fmt.Sprintf("Dispute #1 filed on order #%d", n), "Refund application for Trade Assurance order #",
				"What was agreed:", "What happened:", "Evidence:", "Amount requested:", "Supplier should answer by **2026-11-30**")
			mustContain(t, text, tc.claim...)
			o := order(t, h, n)
			if o.Status != assurance.InDispute || o.Prior != tc.status || o.Dispute != 1 {
				t.Fatalf("order after filing: status %s prior %s dispute %d", o.Status, o.Prior, o.Dispute)
			}
			d := dispute(t, h, n, 1)
			if d.Verdict != tc.verdict || d.Against != (tc.verdict != assurance.VerdictEligible) || d.Asked.String() != tc.asks ||
				d.Stage != assurance.StageNegotiation || d.Issue != tc.issue || len(d.Answers) != len(tc.asked) {
				t.Fatalf("dispute %+v", d)
			}
			if tc.verdict != assurance.VerdictEligible {
				mustContain(t, text, "Filed against the bot's reading")
			}
		})
	}
}

// TestDisputeNotYetAndMissingEvidence: a reading of "not yet" says from when a claim is possible, one
// without the required evidence says to gather it; both may still be recorded, flagged as against the reading.
func TestDisputeNotYetAndMissingEvidence(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	early := seedOrder(t, h, alice, assurance.AwaitingShipment, func(o *state.Order) { o.ShipDate = day(t, "2026-12-05") })
	w := newWalker(t, h, alice).command(fmt.Sprintf("/dispute open order:%d", early))
	w.click("issue", "not_shipped_by_date")
	w.answerAll(defaultAnswers())
	w.click("next")
	w.refund("full", nil)
	mustContain(t, w.msg.Text(), "Not claimable yet", "has not passed yet", "a late-shipment claim is possible from 2026-12-06", "Record it anyway")

	photos := seedOrder(t, h, alice, assurance.Received, func(o *state.Order) { o.ReceivedOn = day(t, "2026-11-20") })
	w = newWalker(t, h, alice).command(fmt.Sprintf("/dispute open order:%d", photos))
	w.click("issue", "quality_mismatch")
	w.answerAll(defaultAnswers())
	mustContain(t, w.msg.Text(), "Needed for this problem: Photos")
	w.click("next")
	w.refund("full", nil)
	mustContain(t, w.msg.Text(), "Not claimable until something is added", "needs this evidence first: photos of the goods",
		"Gather the missing evidence first")
	w.click("confirm")
	if d := dispute(t, h, photos, 1); !d.Against || d.Verdict != assurance.VerdictNeedsInfo || d.Reason != assurance.ReasonEvidenceMissing {
		t.Fatalf("dispute %+v", d)
	}
}

// TestDisputeBackAndEdit: Back re-asks the previous question with the earlier answer shown; Edit from the
// review changes one step and returns to the review; a new issue starts the later steps afresh.
func TestDisputeBackAndEdit(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	n := seedOrder(t, h, alice, assurance.Received, func(o *state.Order) { o.ReceivedOn = day(t, "2026-11-20") })
	w := newWalker(t, h, alice).command(fmt.Sprintf("/dispute open order:%d", n))
	w.click("issue", "quality_mismatch")
	w.answer("true") // supplier_ta
	if w.fact() != "spec_in_order" {
		t.Fatalf("second question %q", w.fact())
	}
	w.click("back")
	if w.fact() != "supplier_ta" {
		t.Fatalf("Back asks %q, want supplier_ta again", w.fact())
	}
	mustContain(t, w.msg.Text(), "Earlier you answered: yes")
	w.answerAll(defaultAnswers())
	w.click("back") // from the evidence: the last question again
	if w.step() != 2 || w.fact() != "inspection_result" {
		t.Fatalf("Back from the evidence:\n%s", w.msg.Text())
	}
	w.answer("none")
	w.click("ev", "photos")
	w.click("next")
	w.click("back")
	if w.step() != 3 {
		t.Fatalf("Back from the refund:\n%s", w.msg.Text())
	}
	w.click("next")
	w.refund("full", nil)
	mustContain(t, w.msg.Text(), "Full refund: 1,250.50 USD")

	// Edit the refund: back to the review afterwards.
	w.click("edit")
	w.click("pick", "refund")
	if w.step() != 4 {
		t.Fatalf("Edit refund:\n%s", w.msg.Text())
	}
	w.form(w.find("refund", "amount"), map[string]string{"amount": "99.90"})
	if w.step() != 5 {
		t.Fatalf("after editing the refund:\n%s", w.msg.Text())
	}
	mustContain(t, w.msg.Text(), "Partial refund: 99.90 USD", "up to 99.90 USD")

	// Edit the answers: asked again, earlier answers shown, then the review.
	w.click("edit")
	w.click("pick", "facts")
	mustContain(t, w.msg.Text(), "Earlier you answered: yes")
	answers := defaultAnswers()
	answers["inspection_result"] = "pass"
	w.answerAll(answers)
	if w.step() != 5 {
		t.Fatalf("after editing the answers:\n%s", w.msg.Text())
	}
	mustContain(t, w.msg.Text(), "inspection report found the goods match the order", "Record it anyway")

	// Edit the issue: a new issue starts afresh, so the walk goes through the steps again.
	w.click("edit")
	w.click("pick", "issue")
	w.click("issue", "short_quantity")
	if w.step() != 2 {
		t.Fatalf("a new issue:\n%s", w.msg.Text())
	}
	mustContain(t, w.msg.Text(), "Your answers so far: None yet.")
	w.answerAll(defaultAnswers())
	w.click("ev", "photos")
	w.click("next")
	w.refund("full", nil)
	mustContain(t, w.msg.Text(), "Fewer goods than ordered", "Likely eligible")

	// Stop: nothing filed.
	w.click("stop")
	mustContain(t, w.text(), "Walk-through stopped; nothing was filed")
	if o := order(t, h, n); o.Status != assurance.Received || o.Dispute != 0 {
		t.Fatalf("order after Stop: %+v", o)
	}
}

// TestDisputeInvalidFormValues: every invalid value is named, and the conversation stays on its step.
func TestDisputeInvalidFormValues(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	n := seedOrder(t, h, alice, assurance.Received, func(o *state.Order) { o.ReceivedOn, o.Quantity = assurance.Date{}, 0 })
	w := newWalker(t, h, alice).command(fmt.Sprintf("/dispute open order:%d", n))
	w.click("issue", "quality_mismatch")
	w.answer("true")
	if w.fact() != "received_on" {
		t.Fatalf("asked %q, want received_on", w.fact())
	}
	before := w.conv()
	for _, bad := range []struct{ value, want string }{
		{"2026-02-30", "`Received on`: `2026-02-30` is not a real date"},
		{"27/11/2026", "`Received on`: `27/11/2026` is not a real date"},
		{"2026-12-24", "`Received on`: `2026-12-24` is in the future"},
	} {
		w.answer(bad.value)
		mustContain(t, w.msg.Text(), bad.want)
		if w.fact() != "received_on" || w.step() != 2 {
			t.Fatalf("after %s the walk moved on:\n%s", bad.value, w.msg.Text())
		}
	}
	if c := w.conv(); c.Version != before.Version || c.Step != before.Step {
		t.Fatalf("an invalid value changed the conversation: %+v -> %+v", before, c)
	}
	w.answer("2026-11-20")
	w.answerAll(defaultAnswers())
	w.click("ev", "photos")
	w.click("next")
	before = w.conv()
	for _, bad := range []struct {
		kind   string
		fields map[string]string
		want   string
	}{
		{"amount", map[string]string{"amount": "1250.51"}, "`Amount to ask (USD)`: `1250.51` is more than 1,250.50 USD"},
		{"amount", map[string]string{"amount": "12.345"}, "`Amount to ask (USD)`: `12.345` has too many decimals"},
		{"amount", map[string]string{"amount": "-5"}, "`Amount to ask (USD)`: `-5` must be greater than zero"},
		{"quantity", map[string]string{"affected": "abc", "total": "100"}, "`Items affected`: `abc` is not a whole number above zero"},
		{"quantity", map[string]string{"affected": "5", "total": "0"}, "`Items ordered in total`: `0` is not a whole number above zero"},
		{"quantity", map[string]string{"affected": "101", "total": "100"}, "`Items affected`: 101 is more than the 100 items ordered"},
	} {
		w.form(w.find("refund", bad.kind), bad.fields)
		mustContain(t, w.msg.Text(), bad.want)
		if w.step() != 4 {
			t.Fatalf("after %v the walk moved on:\n%s", bad.fields, w.msg.Text())
		}
	}
	if c := w.conv(); c.Version != before.Version || c.Step != "refund" {
		t.Fatalf("an invalid value changed the conversation: %+v -> %+v", before, c)
	}
	w.form(w.find("refund", "amount"), map[string]string{"amount": "1250.50"})
	if w.step() != 5 {
		t.Fatalf("a valid amount:\n%s", w.msg.Text())
	}
}

// TestDisputeOpenRefusals: only the buyer opens, only money received can be claimed, one dispute at a time.
func TestDisputeOpenRefusals(t *testing.T) {
	h := commandstest.New(t)
	alice, bob, agent := h.Buyer("alice"), h.Buyer("bob"), h.Agent("ann")
	n := seedOrder(t, h, alice, assurance.AwaitingShipment, nil)
	if text := h.Command(bob, fmt.Sprintf("/dispute open order:%d", n)).Text(); !strings.Contains(text, "no order #1 in this server that you can see") {
		t.Errorf("another member: %s", text)
	}
	if text := h.Command(agent, fmt.Sprintf("/dispute open order:%d", n)).Text(); !strings.Contains(text, "Only the buyer of order #1") {
		t.Errorf("an agent: %s", text)
	}
	unpaid := seedOrder(t, h, alice, assurance.AwaitingPayment, func(o *state.Order) { o.Payments = nil })
	if text := h.Command(alice, fmt.Sprintf("/dispute open order:%d", unpaid)).Text(); !strings.Contains(text, "cancel the order instead") {
		t.Errorf("unpaid order: %s", text)
	}
	done := seedOrder(t, h, alice, assurance.Completed, nil)
	if text := h.Command(alice, fmt.Sprintf("/dispute open order:%d", done)).Text(); !strings.Contains(text, "claim window has ended") {
		t.Errorf("completed order: %s", text)
	}
}
