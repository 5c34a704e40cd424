package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// disputeData is what a walk-through has gathered so far; it is the conversation's data. The facts are
// never stored here: they are derived again from the order as it is now plus these answers.
type disputeData struct {
	Order    int64                `json:"order"`
	Issue    string               `json:"issue,omitempty"`
	Answers  []state.Answer       `json:"answers,omitempty"`  // step 2, in the order asked
	Earlier  map[string]string    `json:"earlier,omitempty"`  // answers given before an Edit, shown as hints
	Evidence []string             `json:"evidence,omitempty"` // step 3: kinds at hand
	Items    []state.EvidenceItem `json:"items,omitempty"`    // links and files added before filing
	Refund   string               `json:"refund,omitempty"`   // step 4: full, quantity or amount
	Affected int64                `json:"affected,omitempty"`
	Total    int64                `json:"total,omitempty"` // total quantity, when the order does not state it
	Amount   string               `json:"amount,omitempty"`
	Editing  bool                 `json:"editing,omitempty"` // changing one step from the review: back to it afterwards
	Dispute  int64                `json:"dispute,omitempty"` // the dispute filed (step done)
}

func decodeDisputeData(b []byte) (*disputeData, error) {
	d := &disputeData{}
	if err := json.Unmarshal(b, d); err != nil {
		return nil, fmt.Errorf("decode dispute walk-through: %w", err)
	}
	return d, nil
}

func (d *disputeData) encode() ([]byte, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("encode dispute walk-through: %w", err)
	}
	return b, nil
}

// answer returns the member's answer to a fact, if any.
func (d *disputeData) answer(fact string) (string, bool) {
	for _, a := range d.Answers {
		if a.Fact == fact {
			return a.Value, true
		}
	}
	return "", false
}

// evidenceKinds are the kinds at hand: ticked on the checklist or named on an item added.
func (d *disputeData) evidenceKinds() []string {
	out := slices.Clone(d.Evidence)
	for _, it := range d.Items {
		if it.Kind != "" && !slices.Contains(out, it.Kind) {
			out = append(out, it.Kind)
		}
	}
	return out
}

// facts derives the eligibility facts: what the order and the server hold, the member's answers and
// evidence, and (withRefund) the refund asked.
func (a *App) facts(ctx context.Context, w *walk, withRefund bool) (assurance.Facts, error) {
	f, err := a.storedFacts(ctx, w.o, w.d.Issue, w.today)
	if err != nil {
		return f, err
	}
	for _, ans := range w.d.Answers {
		// An answer the order has since made invalid (the order changed) is left out; the rules ask again.
		_ = a.Policy.SetFact(&f, ans.Fact, ans.Value)
	}
	for _, k := range w.d.evidenceKinds() {
		_ = a.Policy.SetFact(&f, assurance.EvidencePrefix+k, "")
	}
	if !withRefund {
		return f, nil
	}
	switch w.d.Refund {
	case refundAmount:
		if amt, err := decimal.NewFromString(w.d.Amount); err == nil {
			f.Claimed = &amt
		}
	case refundQuantity:
		f.AffectedQty = assurance.Ptr(w.d.Affected)
		if f.TotalQty == nil {
			f.TotalQty = assurance.Ptr(w.d.Total)
		}
	}
	return f, nil
}

// question returns the next fact the rules need, or "".
func (a *App) question(ctx context.Context, w *walk) (string, error) {
	f, err := a.facts(ctx, w, false)
	if err != nil {
		return "", err
	}
	return a.Policy.NextQuestion(f), nil
}

// afterFacts is the step that follows the issue or an answer: the next question, else the
// evidence checklist, or back to the review when editing.
func (a *App) afterFacts(ctx context.Context, w *walk) (string, error) {
	q, err := a.question(ctx, w)
	switch {
	case err != nil:
		return "", err
	case q != "":
		return stepFacts, nil
	case w.d.Editing:
		w.d.Editing = false
		return stepReview, nil
	}
	return stepEvidence, nil
}

// paid is what the buyer paid on the order, the ceiling of any refund: the payments recorded, else the
// member's answer, else the order total.
func paid(f assurance.Facts, o *state.Order) decimal.Decimal {
	if f.PaidTotal != nil {
		return *f.PaidTotal
	}
	return o.Total
}

// asked is the amount a dispute asks: the maximum refund of the rules (section 3.1) whenever the amounts
// are known, else what the refund choice gives on the order total.
func (a *App) asked(f assurance.Facts, o *state.Order) decimal.Decimal {
	if c, missing := a.Policy.Refund(f); missing == nil {
		return c.Max
	}
	switch {
	case f.Claimed != nil:
		return *f.Claimed
	case f.AffectedQty != nil && f.TotalQty != nil && *f.TotalQty > 0:
		return o.Total.Mul(decimal.NewFromInt(*f.AffectedQty)).Div(decimal.NewFromInt(*f.TotalQty)).Round(2)
	}
	return paid(f, o)
}

// Kinds of questions: how a fact is asked and its answer shown.
const (
	qBool   = "bool"
	qChoice = "choice"
	qDate   = "date"
	qAmount = "amount"
	qText   = "text"
)

// questionKind tells how a fact is asked; choices lists the answers of a choice question.
func questionKind(fact string) (kind string, choices []string) {
	switch fact {
	case "supplier_ta", "paid_on_platform", "accepted_in_writing", "spec_in_order":
		return qBool, []string{"true", "false"}
	case "inspection_result":
		return qChoice, []string{assurance.InspectionPass, assurance.InspectionFail, assurance.InspectionPending, assurance.InspectionNone}
	case "transit_risk":
		return qChoice, []string{assurance.RiskSupplier, assurance.RiskBuyer}
	case "ship_date", "shipped_on", "received_on":
		return qDate, nil
	case "paid_total", "paid_before_shipment":
		return qAmount, nil
	}
	return qText, nil
}

// askedFacts are the facts the walk-through has help texts for.
var askedFacts = []string{
	"supplier_ta", "paid_on_platform", "accepted_in_writing", "spec_in_order", "inspection_result",
	"transit_risk", "ship_date", "shipped_on", "received_on", "paid_total", "paid_before_shipment",
}

// questionText is the question asked for a fact (the eligibility conversation's wording).
func questionText(p Printer, fact string) string {
	if key := "elig.q." + fact; p.T(key) != key {
		return p.T(key)
	}
	return p.T("dispute.q.other", "fact", fact)
}

// answerWords shows an answer in words.
func answerWords(p Printer, fact, value, currency string) string {
	kind, _ := questionKind(fact)
	switch {
	case kind == qBool && value == "true":
		return p.T("elig.answer.yes")
	case kind == qBool:
		return p.T("elig.answer.no")
	case fact == "transit_risk":
		return p.T("elig.answer.risk." + value)
	case fact == "inspection_result":
		return p.T("elig.inspection." + value)
	case kind == qAmount:
		if d, err := decimal.NewFromString(value); err == nil {
			return assurance.FormatMoney(d, currency)
		}
	}
	return value
}

// checkAnswer validates a typed answer (a date or an amount) against the order; the error names the
// field and the value, for the member.
func (a *App) checkAnswer(p Printer, w *walk, f assurance.Facts, fact, value string) (string, *UserError) {
	label := a.shortName(p, fact)
	kind, _ := questionKind(fact)
	switch kind {
	case qDate:
		d, err := assurance.ParseDate(value)
		if err != nil {
			return "", Fail("error.date", "field", label, "value", value)
		}
		if fact != "ship_date" && d.After(w.today) {
			return "", Fail("dispute.error.future", "field", label, "value", value)
		}
		if fact == "received_on" && !f.ShippedOn.IsZero() && d.Before(f.ShippedOn) {
			return "", Fail("dispute.error.before_shipping", "field", label, "value", value, "shipped", f.ShippedOn.String())
		}
		return d.String(), nil
	case qAmount:
		d, err := assurance.ParseAmount(value, w.o.Currency)
		if err != nil {
			return "", asUserError(amountError(label, value, w.o.Currency, err))
		}
		limit := w.o.Total
		if fact == "paid_before_shipment" && f.PaidTotal != nil {
			limit = *f.PaidTotal
		}
		if d.GreaterThan(limit) {
			return "", Fail("dispute.error.amount_over", "field", label, "value", value, "limit", assurance.FormatMoney(limit, w.o.Currency))
		}
		return d.String(), nil
	}
	if value == "" {
		return "", Fail("error.field.required", "field", label)
	}
	return value, nil
}

// asUserError returns err as a *UserError (parsers only return those).
func asUserError(err error) *UserError {
	if ue, ok := err.(*UserError); ok {
		return ue
	}
	return Fail("error.field.required", "field", "?")
}
