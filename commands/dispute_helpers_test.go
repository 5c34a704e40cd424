package commands_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/commands/commandstest"
	"github.com/tradeguard/tradeguard/state"
)

// seedOrder stores an order of buyer, paid in full by card, in the state a test needs (the lifecycle
// commands that move orders there are tested with the orders); change adjusts it before it is stored.
func seedOrder(t *testing.T, h *commandstest.Harness, buyer commandstest.Member, status assurance.Status, change func(o *state.Order)) int64 {
	t.Helper()
	at := h.Now().UTC()
	total := decimal.RequireFromString("1250.50")
	o := &state.Order{
		Guild: commandstest.Guild, Buyer: buyer.ID, BuyerName: buyer.Name, Supplier: "Shenzhen Acme", Total: total,
		Currency: "USD", Method: "card", Status: status, ShipDate: day(t, "2026-11-10"), Quantity: 500,
		Payments:  []state.Payment{{Amount: total, Method: "card", Status: "arrived", By: buyer.ID, At: at.AddDate(0, 0, -30)}},
		CreatedAt: at.AddDate(0, 0, -40), UpdatedAt: at.AddDate(0, 0, -1),
	}
	if change != nil {
		change(o)
	}
	if err := h.Store.CreateOrder(context.Background(), o, state.Event{Type: "created", Actor: buyer.ID, Name: buyer.Name, At: o.CreatedAt, To: status}); err != nil {
		t.Fatal(err)
	}
	b := h.Store.Batch()
	b.MarkGuild(commandstest.Guild) // the timer sweep visits servers with orders
	if err := b.Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return o.Number
}

func day(t testing.TB, s string) assurance.Date {
	t.Helper()
	d, err := assurance.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// walker drives one member's dispute walk-through through the router, as clicks and forms.
type walker struct {
	t        *testing.T
	h        *commandstest.Harness
	m        commandstest.Member
	msg      commandstest.Message // the walk-through message as the member sees it
	rec      *commandstest.Recorder
	replicas []*commandstest.Harness // when set, each interaction goes to the next replica in turn
	turn     int
}

func newWalker(t *testing.T, h *commandstest.Harness, m commandstest.Member) *walker {
	return &walker{t: t, h: h, m: m}
}

// via returns the harness (router) that handles the next interaction.
func (w *walker) via() *commandstest.Harness {
	if len(w.replicas) == 0 {
		return w.h
	}
	h := w.replicas[w.turn%len(w.replicas)]
	w.turn++
	return h
}

// seeRec records an answer; an update of the message, or a new message with components, becomes the
// walk-through message the member sees (a refusal is a separate message and leaves it).
func (w *walker) seeRec(rec *commandstest.Recorder) *walker {
	w.rec = rec
	if in := rec.Initial(); in != nil && (in.Type == discordgo.InteractionResponseUpdateMessage || len(rec.Last().Components) > 0) {
		w.msg = rec.Last()
	}
	return w
}

func (w *walker) command(line string) *walker {
	w.t.Helper()
	return w.seeRec(w.via().Command(w.m, line))
}

// text is what the member sees of the latest answer.
func (w *walker) text() string { return w.rec.Text() }

// ids returns the parsed custom_ids of the current message.
func (w *walker) ids() []commands.CustomID {
	var out []commands.CustomID
	for _, s := range w.msg.CustomIDs() {
		if c, err := commands.ParseCustomID(s); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// find returns the custom_id of the current message's component for an action (and first args), or fails.
func (w *walker) find(act string, args ...string) string {
	w.t.Helper()
	for _, c := range w.ids() {
		if c.Step != act {
			continue
		}
		ok := true
		for i, a := range args {
			ok = ok && c.Arg(i+1) == a
		}
		if ok {
			return c.String()
		}
	}
	w.t.Fatalf("no %s %v component on:\n%s", act, args, w.msg.Text())
	return ""
}

func (w *walker) has(act string) bool {
	for _, c := range w.ids() {
		if c.Step == act {
			return true
		}
	}
	return false
}

// click presses the action's button (or picks values in its menu).
func (w *walker) click(act string, values ...string) *walker {
	w.t.Helper()
	return w.seeRec(w.via().Click(w.m, w.msg, w.find(act), values...))
}

// step reads the step number from the title ("step 2 of 5"); 0 when the message has none.
func (w *walker) step() int {
	m := regexp.MustCompile(`step (\d) of 5`).FindStringSubmatch(w.msg.Text())
	if m == nil {
		return 0
	}
	return int(m[1][0] - '0')
}

// fact is the fact the facts step asks now ("" when none).
func (w *walker) fact() string {
	for _, c := range w.ids() {
		if c.Step == "ans" || c.Step == "form" {
			return c.Arg(1)
		}
	}
	return ""
}

// answer answers the current question: a button, or the form's field.
func (w *walker) answer(value string) *walker {
	w.t.Helper()
	fact := w.fact()
	if w.has("ans") {
		return w.seeRec(w.via().Click(w.m, w.msg, w.find("ans", fact, value)))
	}
	return w.form(w.find("form", fact), map[string]string{"value": value})
}

// form presses a button that opens a form, checks the form, and submits fields.
func (w *walker) form(customID string, fields map[string]string) *walker {
	w.t.Helper()
	rec := w.via().Click(w.m, w.msg, customID)
	modal := rec.Modal()
	if modal == nil {
		w.t.Fatalf("no form opened:\n%s", rec.Text())
	}
	return w.seeRec(w.via().Submit(w.m, modal.CustomID, fields))
}

// refund presses a refund button: full at once, or a partial one through its form.
func (w *walker) refund(kind string, fields map[string]string) *walker {
	w.t.Helper()
	if kind == "full" {
		return w.seeRec(w.via().Click(w.m, w.msg, w.find("refund", "full")))
	}
	return w.form(w.find("refund", kind), fields)
}

// answerAll answers every question of step 2 from answers (fact -> value); a question not in it fails.
func (w *walker) answerAll(answers map[string]string) []string {
	w.t.Helper()
	var asked []string
	for w.step() == 2 {
		fact := w.fact()
		v, ok := answers[fact]
		if !ok {
			w.t.Fatalf("unexpected question %q:\n%s", fact, w.msg.Text())
		}
		asked = append(asked, fact)
		w.answer(v)
	}
	return asked
}

// defaultAnswers answer every question a claim can ask, in the claim's favour.
func defaultAnswers() map[string]string {
	return map[string]string{
		"supplier_ta": "true", "paid_on_platform": "true", "accepted_in_writing": "false", "spec_in_order": "true",
		"inspection_result": "none", "transit_risk": "supplier", "received_on": "2026-11-20", "shipped_on": "2026-11-15",
		"ship_date": "2026-11-10",
	}
}

// convOf returns the stored walk-through of the current message.
func (w *walker) conv() *state.Conversation {
	w.t.Helper()
	ids := w.ids()
	if len(ids) == 0 {
		w.t.Fatalf("no walk-through components:\n%s", w.msg.Text())
	}
	c, err := w.h.Store.Conversation(context.Background(), commandstest.Guild, ids[0].ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func mustContain(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

func dispute(t *testing.T, h *commandstest.Harness, n, d int64) *state.Dispute {
	t.Helper()
	got, err := h.Store.Dispute(context.Background(), commandstest.Guild, n, d)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// decode reads a walk-through's answers.
func decode(t *testing.T, c *state.Conversation) (struct {
	Answers []state.Answer `json:"answers"`
}, error) {
	t.Helper()
	var d struct {
		Answers []state.Answer `json:"answers"`
	}
	err := json.Unmarshal(c.Data, &d)
	if err != nil {
		t.Fatal(err)
	}
	return d, err
}
