package commands_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/commands/commandstest"
	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

func date(t testing.TB, s string) assurance.Date {
	t.Helper()
	d, err := assurance.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// storeOrder saves an order of buyer in the test server, filling in what every order has.
func storeOrder(t testing.TB, h *commandstest.Harness, buyer commandstest.Member, o *state.Order) int64 {
	t.Helper()
	at := h.Now().UTC()
	o.Guild, o.Buyer, o.BuyerName = commandstest.Guild, buyer.ID, buyer.Name
	if o.Supplier == "" {
		o.Supplier = "Shenzhen Acme"
	}
	if o.Currency == "" {
		o.Currency = "USD"
	}
	if o.Total.IsZero() {
		o.Total = decimal.RequireFromString("1200")
	}
	o.CreatedAt, o.UpdatedAt = at, at
	if err := h.Store.CreateOrder(context.Background(), o, state.Event{Type: "created", Actor: buyer.ID, At: at, To: o.Status}); err != nil {
		t.Fatal(err)
	}
	return o.Number
}

func paid(amount, method, day string) state.Payment {
	d, _ := assurance.ParseDate(day)
	return state.Payment{Amount: decimal.RequireFromString(amount), Method: method, Date: d, Status: "arrived"}
}

// fullOrder holds every fact an order can hold.
func fullOrder(t testing.TB) *state.Order {
	return &state.Order{
		Status: assurance.Received, Method: "tt", Incoterm: "DAP", Quantity: 100, Tracking: "SF1234567",
		BuyerTier: "enterprise", Coverage: assurance.CoveragePostDelivery,
		ShipDate: date(t, "2026-10-20"), ShippedOn: date(t, "2026-10-25"), ReceivedOn: date(t, "2026-11-10"),
		Inspection: &state.Inspection{Result: "pending"},
		Payments:   []state.Payment{paid("360", "tt", "2026-10-01"), paid("840", "tt", "2026-10-18")},
	}
}

// question is what a message asks: facts with buttons, evidence in a menu, and whether it has a form.
type question struct {
	buttons  []string // fact names with yes/no (or risk) buttons
	evidence []string // evidence kinds offered
	form     string   // custom_id of the form button, "" if none
	skip     string   // custom_id of "I don't know"
	menu     string   // custom_id of the evidence menu
}

func questionOf(t testing.TB, m commandstest.Message) question {
	t.Helper()
	var q question
	for _, c := range m.Components {
		r, ok := c.(discordgo.ActionsRow)
		if !ok {
			t.Fatalf("component %T is not an action row", c)
		}
		for _, x := range r.Components {
			switch v := x.(type) {
			case discordgo.Button:
				id, err := commands.ParseCustomID(v.CustomID)
				if err != nil || id.Flow != "elig" {
					continue
				}
				switch id.Step {
				case "ans":
					if !slices.Contains(q.buttons, id.Arg(0)) {
						q.buttons = append(q.buttons, id.Arg(0))
					}
				case "form":
					if id.Arg(0) == "" {
						q.form = v.CustomID
					}
				case "skip":
					q.skip = v.CustomID
				}
			case discordgo.SelectMenu:
				q.menu = v.CustomID
				for _, o := range v.Options {
					if o.Value != "none" {
						q.evidence = append(q.evidence, o.Value)
					}
				}
			}
		}
	}
	return q
}

func (q question) empty() bool { return q.buttons == nil && q.evidence == nil && q.form == "" }

// buttonFor returns the custom_id of the answer button for fact with value.
func buttonFor(t testing.TB, m commandstest.Message, fact, value string) string {
	t.Helper()
	for _, c := range m.Components {
		for _, x := range c.(discordgo.ActionsRow).Components {
			if b, ok := x.(discordgo.Button); ok {
				if id, err := commands.ParseCustomID(b.CustomID); err == nil && id.Step == "ans" && id.Arg(0) == fact && id.Arg(1) == value {
					return b.CustomID
				}
			}
		}
	}
	t.Fatalf("no %s=%s button in:\n%s", fact, value, m.Text())
	return ""
}

// modalFields lists the input custom_ids of a modal.
func modalFields(t testing.TB, d *discordgo.InteractionResponseData) []string {
	t.Helper()
	if d == nil {
		t.Fatal("no modal opened")
	}
	var out []string
	for _, c := range d.Components {
		for _, x := range c.(discordgo.ActionsRow).Components {
			out = append(out, x.(discordgo.TextInput).CustomID)
		}
	}
	return out
}

// goodValue is an answer a member might give to a form field.
func goodValue(name string) string {
	switch name {
	case "ship_date":
		return "2026-10-01"
	case "shipped_on":
		return "2026-10-05"
	case "received_on":
		return "2026-11-20"
	case "affected_qty":
		return "3"
	case "total_qty":
		return "10"
	}
	return "1200"
}

// answerAll answers every question "yes" (evidence: all of it, forms: goodValue) until a verdict,
// and returns every fact asked, in order.
func answerAll(t *testing.T, h *commandstest.Harness, m commandstest.Member, rec *commandstest.Recorder) ([]string, commandstest.Message) {
	t.Helper()
	var asked []string
	msg := rec.Last()
	for round := 0; ; round++ {
		if round > 12 {
			t.Fatalf("no verdict after %d rounds:\n%s", round, msg.Text())
		}
		q := questionOf(t, msg)
		if q.empty() {
			return asked, msg
		}
		switch {
		case q.buttons != nil:
			f := q.buttons[0]
			asked = append(asked, f)
			v := "true"
			if f == "transit_risk" {
				v = "supplier"
			}
			msg = h.Click(m, msg, buttonFor(t, msg, f, v)).Last()
		case q.evidence != nil:
			for _, k := range q.evidence {
				asked = append(asked, "evidence:"+k)
			}
			msg = h.Click(m, msg, q.menu, q.evidence...).Last()
		default:
			open := h.Click(m, msg, q.form)
			fields := map[string]string{}
			for _, f := range modalFields(t, open.Modal()) {
				asked = append(asked, f)
				fields[f] = goodValue(f)
			}
			msg = h.Submit(m, open.Modal().CustomID, fields).Last()
		}
	}
}

func TestEligibilityOrderAsksNothingTheOrderHolds(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	full := storeOrder(t, h, alice, fullOrder(t))
	// What the full order holds, by fact name: none of it may be asked.
	held := []string{"status", "paid_total", "paid_before_shipment", "paid_on_platform", "coverage", "buyer_tier",
		"ship_date", "shipped_on", "received_on", "transit_risk", "inspection_result", "total_qty", "currency",
		"evidence:tracking", "evidence:inspection_report", "today", "issue"}
	// What is left to ask per issue: only what no order records (the supplier's Trade Assurance
	// until the server has supplier records, whether a quality point is written, photos).
	wantAsked := map[string][]string{
		"not_shipped_by_date": {"supplier_ta"}, "not_received": {"supplier_ta"},
		"quality_mismatch": {"supplier_ta", "spec_in_order", "evidence:photos"},
		"short_quantity":   {"supplier_ta", "evidence:photos"},
		"wrong_item":       {"supplier_ta", "spec_in_order", "evidence:photos"},
		"damaged":          {"supplier_ta", "evidence:photos"},
	}
	for _, is := range h.Policy.Issues {
		t.Run(is.Code, func(t *testing.T) {
			rec := h.Command(alice, "/eligibility order order:"+itoa(full)+" issue:"+is.Code)
			asked, verdict := answerAll(t, h, alice, rec)
			for _, a := range asked {
				if slices.Contains(held, a) {
					t.Errorf("asked for %s, which order #%d holds", a, full)
				}
			}
			if is.Code == "short_quantity" && slices.Contains(asked, "spec_in_order") {
				t.Errorf("asked whether the quantity is in the order, which states it")
			}
			text := verdict.Text()
			if strings.Contains(text, "More information needed") {
				t.Errorf("no verdict after every answer:\n%s", text)
			}
			if !slices.Equal(asked, wantAsked[is.Code]) {
				t.Errorf("asked %v, want %v", asked, wantAsked[is.Code])
			}
		})
	}

	// A bare order (received, nothing recorded) is asked what it lacks, and only that.
	bare := storeOrder(t, h, alice, &state.Order{Status: assurance.Received})
	asked, verdict := answerAll(t, h, alice, h.Command(alice, "/eligibility order order:"+itoa(bare)+" issue:damaged"))
	want := []string{"supplier_ta", "paid_on_platform", "received_on", "transit_risk", "evidence:photos", "paid_total"}
	if !slices.Equal(asked, want) {
		t.Errorf("bare order asked %v, want %v", asked, want)
	}
	if !strings.Contains(verdict.Text(), "Likely eligible, up to 1,200.00 USD") {
		t.Errorf("bare order verdict:\n%s", verdict.Text())
	}
}

func itoa(n int64) string { return decimal.NewFromInt(n).String() }

func TestEligibilityOrderVerdictWithoutQuestions(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	cases := []struct {
		name  string
		o     *state.Order
		issue string
		want  []string
	}{
		{"nothing paid: cancel instead", &state.Order{Status: assurance.AwaitingPayment}, "damaged",
			[]string{"Not covered", "Nothing has been paid", "Cancel the order"}},
		{"closed order", &state.Order{Status: assurance.Refunded}, "quality_mismatch",
			[]string{"Not covered", "This order is Refunded"}},
		{"open dispute", &state.Order{Status: assurance.InDispute}, "damaged",
			[]string{"Not covered", "already open", "Follow the open refund application"}},
		{"window expired (standard tier, 30 days, stored receipt)", &state.Order{Status: assurance.Received, ReceivedOn: date(t, "2026-10-27"),
			Payments: []state.Payment{paid("500", "card", "2026-10-01")}}, "wrong_item",
			[]string{"Not covered", "You received the goods on 2026-10-27, so the window closed on 2026-11-26", "offline complaint"}},
		{"shipped on time", &state.Order{Status: assurance.InTransit, ShipDate: date(t, "2026-11-10"), ShippedOn: date(t, "2026-11-10"),
			Payments: []state.Payment{paid("500", "card", "2026-10-01")}}, "not_shipped_by_date",
			[]string{"Not covered", "The goods shipped on 2026-11-10"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := storeOrder(t, h, alice, c.o)
			msg := h.Command(alice, "/eligibility order order:"+itoa(n)+" issue:"+c.issue).Last()
			if q := questionOf(t, msg); !q.empty() {
				t.Fatalf("asked %+v although the answer does not depend on it:\n%s", q, msg.Text())
			}
			for _, w := range c.want {
				if !strings.Contains(msg.Text(), w) {
					t.Errorf("missing %q in:\n%s", w, msg.Text())
				}
			}
			if msg.CustomID("Open a dispute") != "" {
				t.Errorf("a verdict that is not eligible offers a dispute")
			}
			if !msg.Ephemeral() {
				t.Errorf("eligibility of an order is shown to the channel")
			}
		})
	}
}

func TestEligibilityOrderEligibleVerdictAndDisputeButton(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	o := fullOrder(t)
	o.Status, o.ReceivedOn, o.ShippedOn = assurance.AwaitingShipment, assurance.Date{}, assurance.Date{}
	n := storeOrder(t, h, alice, o)
	rec := h.Command(alice, "/eligibility order order:"+itoa(n)+" issue:not_shipped_by_date")
	msg := rec.Last()
	// Late shipment needs nothing but the stored facts... and whether the supplier offers TA.
	if q := questionOf(t, msg); !slices.Equal(q.buttons, []string{"supplier_ta"}) {
		t.Fatalf("questions %+v:\n%s", q, msg.Text())
	}
	msg = h.Click(alice, msg, buttonFor(t, msg, "supplier_ta", "true")).Last()
	text := msg.Text()
	for _, w := range []string{
		"Order #" + itoa(n) + ": Not shipped by the agreed date", "Likely eligible, up to 1,200.00 USD",
		"did not ship by the agreed ship date", "Paid: 1,200.00 USD", "not known, so not applied",
		"Maximum refund: 1,200.00 USD, set by the amount paid", "Last day to claim: 60 days after you confirm receipt",
		"Press **Open a dispute**", "Status: Paid, awaiting shipment", "Incoterm DAP: the supplier carries the risk",
		"TA supplier: yes", "Quantity: 100",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q in:\n%s", w, text)
		}
	}
	if questionOf(t, msg).form != "" || msg.CustomID("Only part affected?") != "" {
		t.Errorf("late shipment offers a partial refund form:\n%s", text)
	}
	// The dispute button starts the dispute walk-through with the issue and the answers given here.
	id := msg.CustomID("Open a dispute")
	if !strings.HasPrefix(id, "v1:dispute:open:"+itoa(n)+":not_shipped_by_date") {
		t.Fatalf("dispute button %q", id)
	}
	walk := h.Click(alice, msg, id)
	if in := walk.Initial(); in.Type != discordgo.InteractionResponseChannelMessageWithSource || !walk.Last().Ephemeral() ||
		!strings.Contains(walk.Text(), "Dispute on order #"+itoa(n)+" · step 2 of 5") || !strings.Contains(walk.Text(), "TA supplier: yes") ||
		strings.Contains(walk.Text(), "Does the supplier offer Trade Assurance") {
		t.Fatalf("dispute button answered:\n%s", walk.Text())
	}
}

func TestEligibilityOrderNoAnswersAndUnsure(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	n := itoa(storeOrder(t, h, alice, &state.Order{Status: assurance.Received, ReceivedOn: date(t, "2026-11-20"),
		Payments: []state.Payment{paid("1000", "card", "2026-10-01")}}))

	t.Run("paid another way: not covered", func(t *testing.T) {
		msg := h.Command(alice, "/eligibility order order:"+n+" issue:damaged").Last()
		msg = h.Click(alice, msg, buttonFor(t, msg, "supplier_ta", "false")).Last()
		if !strings.Contains(msg.Text(), "Not covered") || !strings.Contains(msg.Text(), "never covered") || !questionOf(t, msg).empty() {
			t.Fatalf("%s", msg.Text())
		}
		if !strings.Contains(msg.Text(), "TA supplier: no") {
			t.Errorf("answers not shown:\n%s", msg.Text())
		}
	})
	t.Run("not sure, buyer's transit risk, evidence lacking", func(t *testing.T) {
		msg := h.Command(alice, "/eligibility order order:"+n+" issue:damaged").Last()
		msg = h.Click(alice, msg, buttonFor(t, msg, "supplier_ta", "?")).Last()
		if q := questionOf(t, msg); slices.Contains(q.buttons, "supplier_ta") {
			t.Fatalf("asked again after not sure:\n%s", msg.Text())
		}
		msg = h.Click(alice, msg, buttonFor(t, msg, "transit_risk", "?")).Last()
		q := questionOf(t, msg)
		if !slices.Equal(q.evidence, []string{"photos"}) {
			t.Fatalf("evidence asked %v:\n%s", q.evidence, msg.Text())
		}
		msg = h.Click(alice, msg, q.menu, "none").Last()
		text := msg.Text()
		for _, w := range []string{
			"Likely eligible, up to 1,000.00 USD, if the supplier offers Trade Assurance, the supplier carried the risk until delivery (such as DAP or DDP) and you have photos of the goods",
			"If the supplier does not offer Trade Assurance: not covered",
			"If you carried the risk on the way (such as EXW, FOB or CIF): not covered, because you carried the risk on the way.",
			"If you do not have photos of the goods: more information needed, because the claim needs evidence first.",
			"TA supplier: not sure", "photos of the goods: no", "2026-12-20 (23 days left)",
		} {
			if !strings.Contains(text, w) {
				t.Errorf("missing %q in:\n%s", w, text)
			}
		}
	})
	t.Run("buyer carried the risk", func(t *testing.T) {
		msg := h.Command(alice, "/eligibility order order:"+n+" issue:not_received").Last()
		msg = h.Click(alice, msg, buttonFor(t, msg, "supplier_ta", "true")).Last()
		msg = h.Click(alice, msg, buttonFor(t, msg, "transit_risk", "buyer")).Last()
		if !strings.Contains(msg.Text(), "Not covered") || !strings.Contains(msg.Text(), "Claim with the carrier") {
			t.Fatalf("%s", msg.Text())
		}
	})
	t.Run("spec not in the order", func(t *testing.T) {
		msg := h.Command(alice, "/eligibility order order:"+n+" issue:quality_mismatch").Last()
		msg = h.Click(alice, msg, buttonFor(t, msg, "supplier_ta", "true")).Last()
		msg = h.Click(alice, msg, buttonFor(t, msg, "spec_in_order", "false")).Last()
		if !strings.Contains(msg.Text(), "judges the goods against the written order") {
			t.Fatalf("%s", msg.Text())
		}
	})
}

func TestEligibilityOrderForm(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	n := itoa(storeOrder(t, h, alice, &state.Order{Status: assurance.Received, Currency: "JPY", Quantity: 50, Incoterm: "DDP"}))
	start := func() commandstest.Message {
		msg := h.Command(alice, "/eligibility order order:"+n+" issue:wrong_item").Last()
		msg = h.Click(alice, msg, buttonFor(t, msg, "supplier_ta", "true")).Last()
		return h.Click(alice, msg, buttonFor(t, msg, "paid_on_platform", "true")).Last()
	}
	msg := start()
	q := questionOf(t, msg)
	if q.form == "" {
		t.Fatalf("no form for the receipt date:\n%s", msg.Text())
	}
	open := h.Click(alice, msg, q.form)
	if got := modalFields(t, open.Modal()); !slices.Equal(got, []string{"received_on"}) {
		t.Fatalf("form fields %v", got)
	}
	modal := open.Modal().CustomID
	for _, bad := range []struct{ value, want string }{
		{"2026-02-30", "is not a real date"},
		{"27/11/2026", "is not a real date"},
		{"2026-11-28", "is in the future"},
	} {
		rec := h.Submit(alice, modal, map[string]string{"received_on": bad.value})
		if m := rec.Last(); !m.Ephemeral() || !strings.Contains(m.Content, "Day you confirmed receipt") || !strings.Contains(m.Content, bad.want) {
			t.Errorf("received_on %q answered %q", bad.value, m.Content)
		}
	}
	if rec := h.Submit(alice, modal, map[string]string{}); !strings.Contains(rec.Text(), "Fill in at least one field") {
		t.Errorf("empty form answered %q", rec.Text())
	}
	msg = h.Submit(alice, modal, map[string]string{"received_on": "2026-11-27"}).Last() // today counts
	msg = h.Click(alice, msg, buttonFor(t, msg, "spec_in_order", "true")).Last()
	q = questionOf(t, msg)
	msg = h.Click(alice, msg, q.menu, "photos", "video").Last()
	// Eligible, but nothing paid is recorded: the amount is asked last.
	open = h.Click(alice, msg, questionOf(t, msg).form)
	if got := modalFields(t, open.Modal()); !slices.Equal(got, []string{"paid_total"}) {
		t.Fatalf("form fields %v", got)
	}
	for _, bad := range []struct{ value, want string }{
		{"12.5", "JPY allows at most 0"}, {"abc", "is not an amount"}, {"0", "must be greater than zero"}, {"-3", "must be greater than zero"},
	} {
		if rec := h.Submit(alice, open.Modal().CustomID, map[string]string{"paid_total": bad.value}); !strings.Contains(rec.Text(), bad.want) ||
			!strings.Contains(rec.Text(), "Total paid on this order") {
			t.Errorf("paid_total %q answered %q", bad.value, rec.Text())
		}
	}
	msg = h.Submit(alice, open.Modal().CustomID, map[string]string{"paid_total": "150,000"}).Last()
	if !strings.Contains(msg.Text(), "Likely eligible, up to 150,000 JPY") || !strings.Contains(msg.Text(), "Received on: 2026-11-27") {
		t.Fatalf("%s", msg.Text())
	}

	// Partial refund: affected units of the stored quantity, or an amount claimed.
	part := h.Click(alice, msg, msg.CustomID("Only part affected?"))
	if got := modalFields(t, part.Modal()); !slices.Equal(got, []string{"affected_qty", "claimed"}) {
		t.Fatalf("partial form fields %v", got)
	}
	if rec := h.Submit(alice, part.Modal().CustomID, map[string]string{"affected_qty": "51"}); !strings.Contains(rec.Text(), "more than the units ordered") {
		t.Errorf("51 of 50 answered %q", rec.Text())
	}
	if rec := h.Submit(alice, part.Modal().CustomID, map[string]string{"affected_qty": "0"}); !strings.Contains(rec.Text(), "whole number from 1") {
		t.Errorf("0 units answered %q", rec.Text())
	}
	msg = h.Submit(alice, part.Modal().CustomID, map[string]string{"affected_qty": "7"}).Last()
	for _, w := range []string{"up to 21,000 JPY", "Share affected: 7 of 50 units × 150,000 JPY = 21,000 JPY", "set by the share of the goods affected"} {
		if !strings.Contains(msg.Text(), w) {
			t.Errorf("missing %q in:\n%s", w, msg.Text())
		}
	}
	msg = h.Submit(alice, part.Modal().CustomID, map[string]string{"claimed": "5000"}).Last()
	if !strings.Contains(msg.Text(), "up to 5,000 JPY") || !strings.Contains(msg.Text(), "You claim: 5,000 JPY") {
		t.Errorf("claimed:\n%s", msg.Text())
	}

	// "I don't know" on the form: the verdict says what it depends on.
	msg = start()
	msg = h.Click(alice, msg, questionOf(t, msg).skip).Last()
	if q := questionOf(t, msg); q.form != "" {
		t.Fatalf("form asked again after I don't know:\n%s", msg.Text())
	}
	msg = h.Click(alice, msg, buttonFor(t, msg, "spec_in_order", "true")).Last()
	msg = h.Click(alice, msg, questionOf(t, msg).menu, "photos").Last()
	msg = h.Click(alice, msg, questionOf(t, msg).skip).Last()
	for _, w := range []string{
		"Likely eligible, if you received the goods on or after 2026-10-28",
		"If you received the goods before 2026-10-28: not covered, because the claim window has closed.",
		"Up to what you paid", "Record the payments on the order", "30 days after you confirm receipt",
		"Received on: not sure", "Total paid: not sure",
	} {
		if !strings.Contains(msg.Text(), w) {
			t.Errorf("missing %q in:\n%s", w, msg.Text())
		}
	}
	if msg.CustomID("Open a dispute") == "" {
		t.Errorf("an eligible claim without an amount offers no dispute")
	}
}

func TestEligibilityOrderWhoMayAnswer(t *testing.T) {
	h := commandstest.New(t)
	alice, bob, mod := h.Buyer("alice"), h.Buyer("bob"), h.Moderator("mia")
	n := itoa(storeOrder(t, h, alice, &state.Order{Status: assurance.Received, ReceivedOn: date(t, "2026-11-20")}))
	if rec := h.Command(bob, "/eligibility order order:"+n+" issue:damaged"); !strings.Contains(rec.Text(), "no order #"+n) {
		t.Fatalf("another member sees the order: %s", rec.Text())
	}
	if rec := h.Command(alice, "/eligibility order order:999 issue:damaged"); !strings.Contains(rec.Text(), "no order #999") {
		t.Fatalf("missing order: %s", rec.Text())
	}
	msg := h.Command(alice, "/eligibility order order:"+n+" issue:damaged").Last()
	yes := buttonFor(t, msg, "supplier_ta", "true")
	if rec := h.Click(bob, msg, yes); !strings.Contains(rec.Text(), "Only the member who asked") {
		t.Fatalf("bob answered alice's question: %s", rec.Text())
	}
	if rec := h.Click(mod, msg, yes); questionOf(t, rec.Last()).empty() || strings.Contains(rec.Text(), "Only the member") {
		t.Fatalf("a moderator may continue: %s", rec.Text())
	}

	// A restart (or another replica) continues from Redis.
	h2 := commandstest.NewOn(t, h.Store)
	h2.SetNow(h.Now())
	msg2 := h2.Click(alice, msg, buttonFor(t, msg, "paid_on_platform", "true")).Last()
	if q := questionOf(t, msg2); slices.Contains(q.buttons, "supplier_ta") || slices.Contains(q.buttons, "paid_on_platform") {
		t.Fatalf("answers lost across replicas:\n%s", msg2.Text())
	}

	// Tampered or stale custom_ids and expired conversations.
	id, _ := commands.ParseCustomID(yes)
	for _, bad := range []string{
		commands.CustomID{Flow: "elig", Step: "ans", ID: id.ID, Args: []string{"supplier_ta", "maybe"}}.String(),
		commands.CustomID{Flow: "elig", Step: "ans", ID: id.ID, Args: []string{"shoe_size", "true"}}.String(),
		commands.CustomID{Flow: "elig", Step: "ans", ID: id.ID, Args: []string{"transit_risk", "true"}}.String(),
	} {
		if rec := h.Click(alice, msg, bad); !strings.Contains(rec.Text(), "out of date") {
			t.Errorf("%s answered %q", bad, rec.Text())
		}
	}
	if rec := h.Click(alice, msg, commands.CustomID{Flow: "dispute", Step: "open", ID: "x"}.String()); !strings.Contains(rec.Text(), "out of date") {
		t.Errorf("bad dispute button answered %q", rec.Text())
	}
	keys, _ := statetest.Keys(context.Background(), h.Store.Client(), h.Store.Prefix()+":*:elig:*")
	for _, k := range keys {
		h.Store.Client().Del(context.Background(), k)
	}
	if rec := h.Click(alice, msg, yes); !strings.Contains(rec.Text(), "expired") {
		t.Fatalf("expired conversation answered %q", rec.Text())
	}
	if rec := h.Submit(alice, commands.CustomID{Flow: "elig", Step: "submit", ID: id.ID}.String(), map[string]string{"received_on": "2026-11-01"}); !strings.Contains(rec.Text(), "expired") {
		t.Fatalf("expired form answered %q", rec.Text())
	}
}

func TestEligibilityOrderStaleButtons(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	n := itoa(storeOrder(t, h, alice, &state.Order{Status: assurance.Received, Incoterm: "FOB"}))
	msg := h.Command(alice, "/eligibility order order:"+n+" issue:short_quantity").Last()
	// No form or evidence question yet: the form, skip and evidence steps are out of date.
	id, _ := commands.ParseCustomID(buttonFor(t, msg, "supplier_ta", "true"))
	for _, step := range []string{"form", "skip"} {
		if rec := h.Click(alice, msg, commands.CustomID{Flow: "elig", Step: step, ID: id.ID}.String()); !strings.Contains(rec.Text(), "out of date") {
			t.Errorf("%s answered %q", step, rec.Text())
		}
	}
	ev := commands.CustomID{Flow: "elig", Step: "ev", ID: id.ID}.String()
	if rec := h.Click(alice, msg, ev, "photos"); !strings.Contains(rec.Text(), "out of date") {
		t.Errorf("evidence answered %q", rec.Text())
	}
	if rec := h.Click(alice, msg, ev, "selfie"); !strings.Contains(rec.Text(), "out of date") {
		t.Errorf("unknown evidence answered %q", rec.Text())
	}
}

// Answers kept in Redis must not outlive the order's own facts: when the order gains a fact
// after it was answered, the order wins.
func TestEligibilityOrderFactsWinOverOldAnswers(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	o := &state.Order{Status: assurance.Received, ReceivedOn: date(t, "2026-11-20"), Incoterm: "DDP"}
	n := storeOrder(t, h, alice, o)
	msg := h.Command(alice, "/eligibility order order:"+itoa(n)+" issue:damaged").Last()
	id, _ := commands.ParseCustomID(buttonFor(t, msg, "supplier_ta", "true"))
	if err := h.Store.SetAnswers(context.Background(), commandstest.Guild, id.ID, map[string]string{"received_on": "2026-01-01"}); err != nil {
		t.Fatal(err)
	}
	msg = h.Click(alice, msg, buttonFor(t, msg, "supplier_ta", "true")).Last()
	if strings.Contains(msg.Text(), "window closed") || strings.Contains(msg.Text(), "2026-01-01") {
		t.Fatalf("an old answer overrode the order:\n%s", msg.Text())
	}
}

func TestEligibilityOrderUsesTheSupplierRecord(t *testing.T) {
	h := commandstest.New(t)
	alice, bob := h.Buyer("alice"), h.Agent("bob")
	if text := h.Command(bob, `/supplier set name:"Shenzhen Acme" ta-limit:1000`).Text(); !strings.Contains(text, "1,000.00") {
		t.Fatalf("supplier set: %s", text)
	}
	o := fullOrder(t)
	o.SupplierSlug = state.Slug("Shenzhen Acme")
	n := storeOrder(t, h, alice, o)
	rec := h.Command(alice, "/eligibility order order:"+itoa(n)+" issue:not_received")
	asked, verdict := answerAll(t, h, alice, rec)
	if len(asked) != 0 {
		t.Errorf("asked %v although the server records the supplier's Trade Assurance limit", asked)
	}
	// Paid 1,200 but the supplier's remaining Trade Assurance limit is 1,000.
	if text := verdict.Text(); !strings.Contains(text, "up to 1,000.00 USD") {
		t.Errorf("verdict does not apply the remaining limit:\n%s", text)
	}
}
