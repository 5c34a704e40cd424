package commands

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// stepNumbers numbers the steps of the walk-through for the title ("step 2 of 5").
var stepNumbers = map[string]int{stepIssue: 1, stepFacts: 2, stepEvidence: 3, stepRefund: 4, stepReview: 5, stepEdit: 5}

// screen renders the walk-through where it stands, with an optional notice on top (an error in a form,
// a stale click). asUpdate replaces the message clicked; otherwise it is a new ephemeral message.
func (a *App) screen(ctx context.Context, w *walk, notice string, asUpdate bool) (*discordgo.InteractionResponse, error) {
	p := w.r.Msg
	var e *discordgo.MessageEmbed
	var rows []discordgo.MessageComponent
	var err error
	switch w.c.Step {
	case stepIssue:
		e, rows = a.issueScreen(p, w)
	case stepFacts:
		e, rows, err = a.factsScreen(ctx, p, w)
	case stepEvidence:
		e, rows, err = a.evidenceScreen(ctx, p, w)
	case stepRefund:
		e, rows, err = a.refundScreen(ctx, p, w)
	case stepReview:
		e, rows, err = a.reviewScreen(ctx, p, w)
	case stepEdit:
		e, rows = a.editScreen(p, w)
	case stepDone:
		e, err = a.doneScreen(ctx, p, w)
	default:
		return nil, fmt.Errorf("conversation %s: unknown step %q", w.c.ID, w.c.Step)
	}
	if err != nil {
		return nil, err
	}
	if n, ok := stepNumbers[w.c.Step]; ok {
		e.Title = p.T("dispute.title", "order", w.o.Number, "step", n, "name", p.T("dispute.step."+w.c.Step))
		e.Footer = &discordgo.MessageEmbedFooter{Text: p.T("dispute.footer", "order", w.o.Number)}
	}
	e.Description = truncate(e.Description, maxEmbedDesc)
	embeds := []*discordgo.MessageEmbed{e}
	if asUpdate {
		return update(notice, embeds, rows), nil
	}
	return reply(false, notice, embeds, rows), nil
}

// orderLine summarises the order a walk-through is about.
func orderLine(p Printer, o *state.Order) string {
	return p.T("dispute.order_line", "order", o.Number, "supplier", o.Supplier,
		"total", assurance.FormatMoney(o.Total, o.Currency), "status", p.T("status."+string(o.Status)))
}

// navRow is the row of Back and Stop (Back left out on the first step).
func navRow(p Printer, w *walk, back bool, extra ...discordgo.MessageComponent) discordgo.ActionsRow {
	var c []discordgo.MessageComponent
	c = append(c, extra...)
	if back {
		c = append(c, discordgo.Button{Label: p.T("dispute.button.back"), Style: discordgo.SecondaryButton, CustomID: w.id(actBack)})
	}
	c = append(c, discordgo.Button{Label: p.T("dispute.button.stop"), Style: discordgo.SecondaryButton, CustomID: w.id(actStop)})
	return row(c...)
}

func (a *App) issueScreen(p Printer, w *walk) (*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	opts := make([]discordgo.SelectMenuOption, 0, len(a.Policy.Issues))
	for _, is := range a.Policy.Issues {
		opts = append(opts, discordgo.SelectMenuOption{
			Label: truncate(a.issueName(p, is.Code), maxOptionText), Value: is.Code,
			Description: truncate(p.T("dispute.issue."+is.Code+".hint"), maxOptionText), Default: is.Code == w.d.Issue,
		})
	}
	menu := discordgo.SelectMenu{CustomID: w.id(actIssue), Placeholder: p.T("dispute.issue.placeholder"), Options: opts}
	e := &discordgo.MessageEmbed{Color: colorInfo, Description: orderLine(p, w.o) + "\n\n" + p.T("dispute.issue.question")}
	return e, []discordgo.MessageComponent{row(menu), navRow(p, w, false)}
}

// answersField lists the walk-through's answers so far.
func (a *App) answersField(p Printer, w *walk) *discordgo.MessageEmbedField {
	var lines []string
	for _, ans := range w.d.Answers {
		lines = append(lines, "• "+a.shortName(p, ans.Fact)+": "+answerWords(p, ans.Fact, ans.Value, w.o.Currency))
	}
	if len(lines) == 0 {
		lines = []string{p.T("dispute.answers.none")}
	}
	return field(p.T("dispute.answers.title"), strings.Join(lines, "\n"), false)
}

func (a *App) factsScreen(ctx context.Context, p Printer, w *walk) (*discordgo.MessageEmbed, []discordgo.MessageComponent, error) {
	fact, err := a.question(ctx, w)
	if err != nil {
		return nil, nil, err
	}
	e := &discordgo.MessageEmbed{Color: colorInfo, Fields: []*discordgo.MessageEmbedField{a.answersField(p, w)}}
	if fact == "" { // the order changed under the walk-through and answered the rest
		e.Description = p.T("dispute.q.none")
		next := discordgo.Button{Label: p.T("dispute.button.continue"), Style: discordgo.PrimaryButton, CustomID: w.id(actNext)}
		return e, []discordgo.MessageComponent{navRow(p, w, true, next)}, nil
	}
	e.Description = orderLine(p, w.o) + "\n\n**" + questionText(p, fact) + "**"
	if slices.Contains(askedFacts, fact) {
		e.Description += "\n" + p.T("dispute.q."+fact+".help")
	}
	if v, ok := w.d.Earlier[fact]; ok {
		e.Description += "\n\n" + p.T("dispute.q.earlier", "answer", answerWords(p, fact, v, w.o.Currency))
	}
	kind, choices := questionKind(fact)
	var buttons []discordgo.MessageComponent
	switch kind {
	case qBool, qChoice:
		for _, v := range choices {
			buttons = append(buttons, discordgo.Button{Label: truncate(a.answerLabel(p, fact, v, w.o.Currency), maxButtonLabel),
				Style: discordgo.PrimaryButton, CustomID: w.id(actAnswer, fact, v)})
		}
	default:
		buttons = append(buttons, discordgo.Button{Label: p.T("dispute.button.enter." + kind), Style: discordgo.PrimaryButton, CustomID: w.id(actForm, fact)})
	}
	return e, []discordgo.MessageComponent{row(buttons...), navRow(p, w, true)}, nil
}

// riskButtons are the catalog keys of the transit-risk answers' buttons.
var riskButtons = map[string]string{assurance.RiskSupplier: "elig.btn.risk_supplier", assurance.RiskBuyer: "elig.btn.risk_buyer"}

// answerLabel is the label of an answer's button, in the eligibility conversation's words.
func (a *App) answerLabel(p Printer, fact, value, currency string) string {
	switch kind, _ := questionKind(fact); {
	case kind == qBool && value == "true":
		return p.T("elig.btn.yes", "what", a.shortName(p, fact))
	case kind == qBool:
		return p.T("elig.btn.no", "what", a.shortName(p, fact))
	case fact == "transit_risk":
		return p.T(riskButtons[value], "terms", a.incoterms(value))
	}
	return answerWords(p, fact, value, currency)
}

// evidenceLabels names evidence kinds in words.
func evidenceLabels(p Printer, kinds []string) string {
	if len(kinds) == 0 {
		return p.T("dispute.evidence.none")
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = p.T("dispute.evidence." + k)
	}
	return strings.Join(names, ", ")
}

// itemsField lists the links, files and notes added as evidence.
func itemsField(p Printer, items []state.EvidenceItem) *discordgo.MessageEmbedField {
	lines := make([]string, 0, len(items))
	for _, it := range items {
		lines = append(lines, "• "+itemText(p, it))
	}
	if len(lines) == 0 {
		lines = []string{p.T("dispute.items.none")}
	}
	return field(p.T("dispute.items.title"), strings.Join(lines, "\n"), false)
}

// itemText shows one evidence item on one line.
func itemText(p Printer, it state.EvidenceItem) string {
	var parts []string
	if it.Kind != "" {
		parts = append(parts, p.T("dispute.evidence."+it.Kind))
	}
	if it.File != "" {
		parts = append(parts, "["+it.File+"]("+it.FileURL+")")
	}
	if it.Link != "" {
		parts = append(parts, "<"+it.Link+">")
	}
	if it.Note != "" {
		parts = append(parts, "“"+truncate(it.Note, 120)+"”")
	}
	return strings.Join(parts, " · ")
}

func (a *App) evidenceScreen(ctx context.Context, p Printer, w *walk) (*discordgo.MessageEmbed, []discordgo.MessageComponent, error) {
	f, err := a.facts(ctx, w, false)
	if err != nil {
		return nil, nil, err
	}
	is, _ := a.Policy.Issue(w.d.Issue)
	opts := make([]discordgo.SelectMenuOption, 0, len(a.Policy.EvidenceKinds))
	for _, k := range a.Policy.EvidenceKinds {
		o := discordgo.SelectMenuOption{Label: p.T("dispute.evidence." + k), Value: k, Default: slices.Contains(w.d.Evidence, k)}
		if slices.Contains(is.Evidence, k) {
			o.Description = p.T("dispute.evidence.needed")
		}
		opts = append(opts, o)
	}
	menu := discordgo.SelectMenu{CustomID: w.id(actEvidence), Placeholder: p.T("dispute.evidence.placeholder"),
		MinValues: ptr(0), MaxValues: len(opts), Options: opts}
	e := &discordgo.MessageEmbed{Color: colorInfo, Description: p.T("dispute.evidence.question",
		"needed", evidenceLabels(p, is.Evidence), "order", w.o.Number)}
	e.Fields = []*discordgo.MessageEmbedField{
		field(p.T("dispute.evidence.have"), evidenceLabels(p, f.Evidence), false),
		itemsField(p, w.d.Items),
	}
	next := discordgo.Button{Label: p.T("dispute.button.continue"), Style: discordgo.PrimaryButton, CustomID: w.id(actNext)}
	return e, []discordgo.MessageComponent{row(menu), navRow(p, w, true, next)}, nil
}

func (a *App) refundScreen(ctx context.Context, p Printer, w *walk) (*discordgo.MessageEmbed, []discordgo.MessageComponent, error) {
	f, err := a.facts(ctx, w, false)
	if err != nil {
		return nil, nil, err
	}
	e := &discordgo.MessageEmbed{Color: colorInfo, Description: p.T("dispute.refund.question",
		"paid", assurance.FormatMoney(paid(f, w.o), w.o.Currency))}
	if w.d.Refund != "" {
		ff, err := a.facts(ctx, w, true)
		if err != nil {
			return nil, nil, err
		}
		e.Fields = []*discordgo.MessageEmbedField{field(p.T("dispute.refund.chosen"), a.refundText(p, w, ff), false)}
	}
	buttons := []discordgo.MessageComponent{
		discordgo.Button{Label: p.T("dispute.button.refund.full"), Style: discordgo.PrimaryButton, CustomID: w.id(actRefund, refundFull)},
	}
	if is, _ := a.Policy.Issue(w.d.Issue); is.ProRata {
		buttons = append(buttons, discordgo.Button{Label: p.T("dispute.button.refund.quantity"), Style: discordgo.SecondaryButton, CustomID: w.id(actRefund, refundQuantity)})
	}
	buttons = append(buttons, discordgo.Button{Label: p.T("dispute.button.refund.amount"), Style: discordgo.SecondaryButton, CustomID: w.id(actRefund, refundAmount)})
	return e, []discordgo.MessageComponent{row(buttons...), navRow(p, w, true)}, nil
}

// refundText says what the buyer asks and how much that is.
func (a *App) refundText(p Printer, w *walk, f assurance.Facts) string {
	amount := assurance.FormatMoney(a.asked(f, w.o), w.o.Currency)
	switch w.d.Refund {
	case refundQuantity:
		total := w.d.Total
		if f.TotalQty != nil {
			total = *f.TotalQty
		}
		return p.T("dispute.refund.text.quantity", "affected", w.d.Affected, "total", total, "amount", amount)
	case refundAmount:
		return p.T("dispute.refund.text.amount", "amount", amount)
	}
	return p.T("dispute.refund.text.full", "amount", amount)
}

func (a *App) editScreen(p Printer, w *walk) (*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	var opts []discordgo.SelectMenuOption
	for _, s := range []string{stepIssue, stepFacts, stepEvidence, stepRefund} {
		if s == stepFacts && len(w.d.Answers) == 0 {
			continue // nothing was asked: nothing to change
		}
		opts = append(opts, discordgo.SelectMenuOption{Label: p.T("dispute.edit." + s), Value: s, Description: truncate(p.T("dispute.edit."+s+".hint"), maxOptionText)})
	}
	menu := discordgo.SelectMenu{CustomID: w.id(actPick), Placeholder: p.T("dispute.edit.placeholder"), Options: opts}
	back := discordgo.Button{Label: p.T("dispute.button.to_review"), Style: discordgo.SecondaryButton, CustomID: w.id(actBack)}
	e := &discordgo.MessageEmbed{Color: colorInfo, Description: p.T("dispute.edit.question")}
	return e, []discordgo.MessageComponent{row(menu), row(back)}
}

// clockLines shows the dispute clock of an application opened on opened, and the last day to claim.
func (a *App) clockLines(p Printer, opened, deadline assurance.Date, tier string) string {
	c := a.Policy.DisputeClock(opened)
	lines := []string{
		p.T("dispute.clock.answer", "date", c.SupplierAnswerDue.String()),
		p.T("dispute.clock.escalate", "date", c.EscalationFrom.String()),
		p.T("dispute.clock.auto", "date", c.AutoEscalation.String()),
	}
	if deadline.IsZero() {
		lines = append(lines, p.T("dispute.clock.no_deadline", "days", a.Policy.Window(tier)))
	} else {
		lines = append(lines, p.T("dispute.clock.deadline", "date", deadline.String()))
	}
	return strings.Join(lines, "\n")
}

// verdictText phrases the bot's reading: "Likely eligible, up to ..." or why not.
func verdictText(p Printer, r assurance.Result, currency string) string {
	if r.Verdict == assurance.VerdictEligible && r.MaxRefund != nil {
		return p.T("dispute.verdict.eligible", "max", assurance.FormatMoney(*r.MaxRefund, currency),
			"limited_by", p.T("elig.limited."+r.LimitedBy))
	}
	return p.T("dispute.verdict." + r.Verdict)
}

// adviceText says what to do instead of (or before) filing, for a reading other than eligible.
func adviceText(p Printer, r assurance.Result) string {
	return p.T("dispute.advice."+r.Advice, "date", r.AdviceDate.String())
}

func (a *App) reviewScreen(ctx context.Context, p Printer, w *walk) (*discordgo.MessageEmbed, []discordgo.MessageComponent, error) {
	f, err := a.facts(ctx, w, true)
	if err != nil {
		return nil, nil, err
	}
	r := a.Policy.Evaluate(f)
	eligible := r.Verdict == assurance.VerdictEligible
	e := &discordgo.MessageEmbed{Color: colorOK, Description: orderLine(p, w.o)}
	e.Fields = append(e.Fields,
		field(p.T("dispute.review.issue"), a.issueName(p, w.d.Issue), false),
		field(p.T("dispute.review.verdict"), verdictText(p, r, w.o.Currency), false),
	)
	if eligible && r.Computation != nil {
		e.Fields = append(e.Fields, field(p.T("dispute.review.computed"), a.computation(p, r.Computation), false))
	} else {
		e.Color = colorWarn
		e.Fields = append(e.Fields,
			field(p.T("dispute.review.why"), a.reasonText(p, f, r, assurance.Assumed{Result: r}), false),
			field(p.T("dispute.review.instead"), adviceText(p, r), false),
		)
	}
	e.Fields = append(e.Fields,
		a.answersField(p, w),
		field(p.T("dispute.review.evidence"), evidenceLabels(p, f.Evidence), false),
		itemsField(p, w.d.Items),
		field(p.T("dispute.review.refund"), a.refundText(p, w, f), false),
		field(p.T("dispute.review.clock", "date", w.today.String()), a.clockLines(p, w.today, r.Deadline, f.BuyerTier), false),
	)
	confirm := discordgo.Button{Label: p.T("dispute.button.confirm"), Style: discordgo.SuccessButton, CustomID: w.id(actConfirm)}
	if !eligible {
		confirm.Label, confirm.Style = p.T("dispute.button.confirm_anyway"), discordgo.DangerButton
		e.Fields = append(e.Fields, field(p.T("dispute.review.against"), p.T("dispute.review.against_text"), false))
	}
	edit := discordgo.Button{Label: p.T("dispute.button.edit"), Style: discordgo.SecondaryButton, CustomID: w.id(actEdit)}
	return e, []discordgo.MessageComponent{row(confirm, edit), navRow(p, w, true)}, nil
}

func (a *App) doneScreen(ctx context.Context, p Printer, w *walk) (*discordgo.MessageEmbed, error) {
	d, err := a.Store.Dispute(ctx, w.r.Guild, w.o.Number, w.d.Dispute)
	if err != nil {
		return nil, err
	}
	items, err := a.Store.Evidence(ctx, w.r.Guild, w.o.Number, d.Number)
	if err != nil {
		return nil, err
	}
	return a.claimEmbed(p, w.o, d, items), nil
}

// claimEmbed is the filed dispute: the clock and the claim text to paste into Alibaba.com's refund application.
func (a *App) claimEmbed(p Printer, o *state.Order, d *state.Dispute, items []state.EvidenceItem) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{
		Title: p.T("dispute.filed.title", "dispute", d.Number, "order", o.Number),
		Color: colorOK,
		Description: p.T("dispute.filed.intro") + "\n```\n" +
			truncate(a.claimText(p, o, d, items), maxEmbedDesc-200) + "\n```",
		Fields: []*discordgo.MessageEmbedField{
			field(p.T("dispute.filed.clock", "date", d.Opened.String()), a.clockLines(p, d.Opened, d.Deadline, o.BuyerTier), false),
			field(p.T("dispute.filed.next"), p.T("dispute.filed.next_text", "order", o.Number), false),
		},
	}
	if d.Against {
		e.Color = colorWarn
		e.Fields = append(e.Fields, field(p.T("dispute.review.against"), p.T("dispute.filed.against_text"), false))
	}
	return e
}

// claimText is the text the buyer pastes into Alibaba.com's refund application: the order, what was
// agreed, what happened, the evidence and the amount asked.
func (a *App) claimText(p Printer, o *state.Order, d *state.Dispute, items []state.EvidenceItem) string {
	ref := "#" + strconv.FormatInt(o.Number, 10)
	if o.AlibabaOrder != "" {
		ref = o.AlibabaOrder
	}
	var agreed []string
	agreed = append(agreed, p.T("dispute.claim.total", "total", assurance.FormatMoney(o.Total, o.Currency)))
	if !o.ShipDate.IsZero() {
		agreed = append(agreed, p.T("dispute.claim.ship_date", "date", o.ShipDate.String()))
	}
	if o.Quantity > 0 {
		agreed = append(agreed, p.T("dispute.claim.quantity", "quantity", o.Quantity))
	}
	if o.Incoterm != "" {
		agreed = append(agreed, p.T("dispute.claim.incoterm", "incoterm", o.Incoterm))
	}
	for _, s := range []struct{ key, v string }{{"quality", o.Specs.Quality}, {"packaging", o.Specs.Packaging},
		{"customisation", o.Specs.Customisation}, {"design_files", o.Specs.DesignFiles}} {
		if s.v != "" {
			agreed = append(agreed, p.T("dispute.claim.spec."+s.key, "text", s.v))
		}
	}
	happened := []string{p.T("dispute.claim.issue."+d.Issue, "ship_date", o.ShipDate.String(), "today", d.Opened.String())}
	if !o.ShippedOn.IsZero() {
		happened = append(happened, p.T("dispute.claim.shipped_on", "date", o.ShippedOn.String()))
	}
	for _, ans := range d.Answers {
		if !claimFacts[ans.Fact] {
			continue // what the claim itself implies (Trade Assurance, paid on the platform, nothing accepted)
		}
		happened = append(happened, a.shortName(p, ans.Fact)+": "+answerWords(p, ans.Fact, ans.Value, d.Currency))
	}
	if !o.ReceivedOn.IsZero() && !slices.ContainsFunc(d.Answers, func(a state.Answer) bool { return a.Fact == "received_on" }) {
		happened = append(happened, p.T("dispute.claim.received_on", "date", o.ReceivedOn.String()))
	}
	evidence := []string{evidenceLabels(p, d.Evidence)}
	for _, it := range items {
		evidence = append(evidence, "- "+plainItem(p, it))
	}
	var ask string
	switch d.Refund {
	case refundQuantity:
		ask = p.T("dispute.claim.ask.quantity", "affected", d.AffectedQty, "total", d.TotalQty, "amount", assurance.FormatMoney(d.Asked, d.Currency))
	case refundAmount:
		ask = p.T("dispute.claim.ask.amount", "amount", assurance.FormatMoney(d.Asked, d.Currency))
	default:
		ask = p.T("dispute.claim.ask.full", "amount", assurance.FormatMoney(d.Asked, d.Currency))
	}
	return strings.Join([]string{
		p.T("dispute.claim.heading", "order", ref, "supplier", o.Supplier),
		"",
		p.T("dispute.claim.agreed"), "- " + strings.Join(agreed, "\n- "),
		"",
		p.T("dispute.claim.happened"), "- " + strings.Join(happened, "\n- "),
		"",
		p.T("dispute.claim.evidence"), strings.Join(evidence, "\n"),
		"",
		p.T("dispute.claim.ask"), ask,
	}, "\n")
}

// claimFacts are the answers worth telling Alibaba.com's team in the claim text.
var claimFacts = map[string]bool{
	"spec_in_order": true, "inspection_result": true, "transit_risk": true, "ship_date": true, "shipped_on": true,
	"received_on": true, "paid_total": true, "paid_before_shipment": true,
}

// plainItem shows an evidence item without Markdown (for the claim text and the export).
func plainItem(p Printer, it state.EvidenceItem) string {
	var parts []string
	if it.Kind != "" {
		parts = append(parts, p.T("dispute.evidence."+it.Kind))
	}
	if it.File != "" {
		parts = append(parts, it.File+" "+it.FileURL)
	}
	if it.Link != "" {
		parts = append(parts, it.Link)
	}
	if it.Note != "" {
		parts = append(parts, it.Note)
	}
	return strings.Join(parts, " · ")
}
