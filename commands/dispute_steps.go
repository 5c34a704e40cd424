package commands

import (
	"context"
	"slices"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// Handlers of the walk-through's clicks and forms. disputeStep has already checked that the
// conversation exists, that the member may act on it, and that the click is on the current screen.

// on answers a click that does not belong to the current step (a message older than the last step)
// with the current screen.
func (a *App) offStep(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	resp, err := a.screen(ctx, w, w.r.Msg.T("dispute.stale"), true)
	return "", resp, err
}

// stay answers with the current screen and a notice (an invalid value), without advancing.
func (a *App) stay(ctx context.Context, w *walk, ue *UserError) (string, *discordgo.InteractionResponse, error) {
	resp, err := a.screen(ctx, w, "⚠️ "+w.r.Msg.T(ue.Key, ue.Args...), true)
	return "", resp, err
}

// onIssue records what went wrong. A new issue starts the later steps afresh.
func (a *App) onIssue(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	values := w.r.Values()
	if w.c.Step != stepIssue || len(values) != 1 {
		return a.offStep(ctx, w)
	}
	issue := values[0]
	if _, ok := a.Policy.Issue(issue); !ok {
		return a.offStep(ctx, w)
	}
	if ue, err := a.refileRefusal(ctx, w.o, issue); err != nil || ue != nil {
		if err != nil {
			return "", nil, err
		}
		return a.stay(ctx, w, ue)
	}
	if issue == w.d.Issue && w.d.Editing {
		w.d.Editing = false
		return stepReview, nil, nil
	}
	if issue != w.d.Issue {
		*w.d = disputeData{Order: w.d.Order, Issue: issue, Items: w.d.Items}
	}
	step, err := a.afterFacts(ctx, w)
	return step, nil, err
}

// refileRefusal refuses an issue filed before on the order whose dispute may not be filed again
// (POLICY.md section 5: a cancelled application cannot be reopened; a decided one stands).
func (a *App) refileRefusal(ctx context.Context, o *state.Order, issue string) (*UserError, error) {
	if o.Disputes == 0 {
		return nil, nil
	}
	all, err := a.Store.Disputes(ctx, o.Guild, o.Number)
	if err != nil {
		return nil, err
	}
	for _, d := range all {
		if d.Issue == issue && !d.Stage.Open() && !d.Stage.Refileable() {
			return Fail("dispute.error.refile", "dispute", d.Number, "stage", string(d.Stage)), nil
		}
	}
	return nil, nil
}

// asking returns the fact a click or form answers when it is the question asked now; otherwise fact is
// "" and resp shows the current screen.
func (a *App) asking(ctx context.Context, w *walk) (fact string, resp *discordgo.InteractionResponse, err error) {
	fact = w.r.Custom.Arg(1)
	if w.c.Step == stepFacts {
		q, err := a.question(ctx, w)
		if err != nil {
			return "", nil, err
		}
		if q == fact {
			return fact, nil, nil
		}
	}
	_, resp, err = a.offStep(ctx, w)
	return "", resp, err
}

// onAnswer records a button answer (yes/no, or one of a few choices) to the current question.
func (a *App) onAnswer(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	fact, resp, err := a.asking(ctx, w)
	if fact == "" {
		return "", resp, err
	}
	value := w.r.Custom.Arg(2)
	if _, choices := questionKind(fact); !slices.Contains(choices, value) {
		return a.offStep(ctx, w)
	}
	return a.record(ctx, w, fact, value)
}

// record adds an answer and moves to the next question or step.
func (a *App) record(ctx context.Context, w *walk, fact, value string) (string, *discordgo.InteractionResponse, error) {
	f, err := a.facts(ctx, w, false)
	if err != nil {
		return "", nil, err
	}
	if fe := a.Policy.SetFact(&f, fact, value); fe != nil {
		return a.stay(ctx, w, Fail("dispute.error.answer", "field", a.shortName(w.r.Msg, fact), "value", value))
	}
	w.d.Answers = append(w.d.Answers, state.Answer{Fact: fact, Value: value, At: w.r.Now.UTC()})
	step, err := a.afterFacts(ctx, w)
	return step, nil, err
}

// onForm opens the form of a question answered by typing (a date, an amount).
func (a *App) onForm(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	fact, resp, err := a.asking(ctx, w)
	if fact == "" {
		return "", resp, err
	}
	p := w.r.Msg
	kind, _ := questionKind(fact)
	in := discordgo.TextInput{CustomID: "value", Label: truncate(a.shortName(p, fact), maxInputLabel), Style: discordgo.TextInputShort,
		Required: true, MaxLength: 100, Placeholder: p.T("dispute.form.placeholder." + kind), Value: w.d.Earlier[fact]}
	return "", modal(w.id(actFormSub, fact), p.T("dispute.form.title"), in), nil
}

// modal is a form of text inputs, one per row.
func modal(id, title string, inputs ...discordgo.TextInput) *discordgo.InteractionResponse {
	rows := make([]discordgo.MessageComponent, 0, len(inputs))
	for _, in := range inputs {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{in}})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: id, Title: truncate(title, maxModalTitle), Components: rows}}
}

// onFormSubmit checks a typed answer: an invalid one is named and the question asked again.
func (a *App) onFormSubmit(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	fact, resp, err := a.asking(ctx, w)
	if fact == "" {
		return "", resp, err
	}
	f, err := a.facts(ctx, w, false)
	if err != nil {
		return "", nil, err
	}
	value, ue := a.checkAnswer(w.r.Msg, w, f, fact, w.r.Field("value"))
	if ue != nil {
		return a.stay(ctx, w, ue)
	}
	return a.record(ctx, w, fact, value)
}

// onBack goes one step (or one question) back.
func (a *App) onBack(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	w.d.Editing = false
	popAnswer := func() string {
		if len(w.d.Answers) == 0 {
			return stepIssue
		}
		last := w.d.Answers[len(w.d.Answers)-1]
		w.d.Answers = w.d.Answers[:len(w.d.Answers)-1]
		if w.d.Earlier == nil {
			w.d.Earlier = map[string]string{}
		}
		w.d.Earlier[last.Fact] = last.Value
		return stepFacts
	}
	switch w.c.Step {
	case stepFacts, stepEvidence:
		return popAnswer(), nil, nil
	case stepRefund:
		return stepEvidence, nil, nil
	case stepReview:
		return stepRefund, nil, nil
	case stepEdit:
		return stepReview, nil, nil
	}
	return a.offStep(ctx, w)
}

// onStop abandons the walk-through; nothing was filed.
func (a *App) onStop(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	switch err := a.Store.DeleteConversation(ctx, w.c); {
	case state.IsConflict(err):
		return a.offStep(ctx, w)
	case err != nil && !state.IsNotFound(err):
		return "", nil, err
	}
	return "", update(w.r.Msg.T("dispute.stopped", "order", w.o.Number), nil, nil), nil
}

// onEvidence records the evidence at hand (the checklist); the screen stays for more changes.
func (a *App) onEvidence(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	if w.c.Step != stepEvidence {
		return a.offStep(ctx, w)
	}
	var kinds []string
	for _, k := range a.Policy.EvidenceKinds { // policy order, known kinds only
		if slices.Contains(w.r.Values(), k) {
			kinds = append(kinds, k)
		}
	}
	w.d.Evidence = kinds
	return stepEvidence, nil, nil
}

// onNext leaves the checklist (or a question the order has since answered).
func (a *App) onNext(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	switch w.c.Step {
	case stepFacts:
		step, err := a.afterFacts(ctx, w)
		return step, nil, err
	case stepEvidence:
		if w.d.Editing {
			w.d.Editing = false
			return stepReview, nil, nil
		}
		return stepRefund, nil, nil
	}
	return a.offStep(ctx, w)
}

// onRefund takes a full refund at once, or opens the form of a partial one.
func (a *App) onRefund(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	if w.c.Step != stepRefund {
		return a.offStep(ctx, w)
	}
	p := w.r.Msg
	switch kind := w.r.Custom.Arg(1); kind {
	case refundFull:
		w.d.Refund, w.d.Affected, w.d.Total, w.d.Amount, w.d.Editing = refundFull, 0, 0, "", false
		return stepReview, nil, nil
	case refundQuantity:
		in := []discordgo.TextInput{{CustomID: "affected", Label: p.T("dispute.form.affected"), Style: discordgo.TextInputShort,
			Required: true, MaxLength: 10, Placeholder: "40"}}
		if w.o.Quantity <= 0 {
			in = append(in, discordgo.TextInput{CustomID: "total", Label: p.T("dispute.form.total"), Style: discordgo.TextInputShort,
				Required: true, MaxLength: 10, Placeholder: "500"})
		}
		return "", modal(w.id(actRefSub, refundQuantity), p.T("dispute.form.refund"), in...), nil
	case refundAmount:
		in := discordgo.TextInput{CustomID: "amount", Label: p.T("dispute.form.amount", "currency", w.o.Currency),
			Style: discordgo.TextInputShort, Required: true, MaxLength: 20, Placeholder: "250.00", Value: w.d.Amount}
		return "", modal(w.id(actRefSub, refundAmount), p.T("dispute.form.refund"), in), nil
	}
	return a.offStep(ctx, w)
}

// onRefundSubmit checks a partial refund: the quantity at most what was ordered, the amount at most what was paid.
func (a *App) onRefundSubmit(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	if w.c.Step != stepRefund {
		return a.offStep(ctx, w)
	}
	p := w.r.Msg
	f, err := a.facts(ctx, w, false)
	if err != nil {
		return "", nil, err
	}
	switch w.r.Custom.Arg(1) {
	case refundQuantity:
		affected, ue := wholeNumber(p.T("dispute.form.affected"), w.r.Field("affected"))
		if ue != nil {
			return a.stay(ctx, w, ue)
		}
		total := w.o.Quantity
		if total <= 0 {
			if total, ue = wholeNumber(p.T("dispute.form.total"), w.r.Field("total")); ue != nil {
				return a.stay(ctx, w, ue)
			}
		}
		if affected > total {
			return a.stay(ctx, w, Fail("dispute.error.affected_over", "field", p.T("dispute.form.affected"), "value", affected, "total", total))
		}
		w.d.Refund, w.d.Affected, w.d.Total, w.d.Amount = refundQuantity, affected, 0, ""
		if w.o.Quantity <= 0 {
			w.d.Total = total
		}
	case refundAmount:
		label, raw := p.T("dispute.form.amount", "currency", w.o.Currency), w.r.Field("amount")
		amt, err := assurance.ParseAmount(raw, w.o.Currency)
		if err != nil {
			return a.stay(ctx, w, asUserError(amountError(label, raw, w.o.Currency, err)))
		}
		if limit := paid(f, w.o); amt.GreaterThan(limit) {
			return a.stay(ctx, w, Fail("dispute.error.amount_over", "field", label, "value", raw, "limit", assurance.FormatMoney(limit, w.o.Currency)))
		}
		w.d.Refund, w.d.Affected, w.d.Total, w.d.Amount = refundAmount, 0, 0, amt.String()
	default:
		return a.offStep(ctx, w)
	}
	w.d.Editing = false
	return stepReview, nil, nil
}

// maxQuantity bounds typed quantities.
const maxQuantity = 1_000_000_000

// wholeNumber parses a positive whole number typed in a form.
func wholeNumber(label, s string) (int64, *UserError) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || n > maxQuantity {
		return 0, Fail("dispute.error.whole", "field", label, "value", s)
	}
	return n, nil
}

// onEdit shows what can be changed from the review.
func (a *App) onEdit(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	if w.c.Step != stepReview {
		return a.offStep(ctx, w)
	}
	return stepEdit, nil, nil
}

// onPick goes to the step to change; the review follows it.
func (a *App) onPick(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	values := w.r.Values()
	if w.c.Step != stepEdit || len(values) != 1 {
		return a.offStep(ctx, w)
	}
	w.d.Editing = true
	switch values[0] {
	case stepIssue, stepEvidence, stepRefund:
		return values[0], nil, nil
	case stepFacts:
		w.d.Earlier = map[string]string{}
		for _, ans := range w.d.Answers {
			w.d.Earlier[ans.Fact] = ans.Value
		}
		w.d.Answers = nil
		step, err := a.afterFacts(ctx, w)
		return step, nil, err
	}
	return a.offStep(ctx, w)
}
