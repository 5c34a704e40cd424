package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// The /eligibility order conversation. The facts come from the stored order; the member is
// asked only for what Evaluate still misses, one rule at a time: yes/no buttons for yes/no
// facts, a form for dates and amounts, a menu for evidence. The answers live in a Redis hash
// (state.Answers) named in every custom_id: v1:elig:<step>:<conversation>[:<fact>:<value>].
// "Not sure" (or "I don't have it") is an answer too: the verdict then says what it depends
// on, as /eligibility quick does.

// Steps of the elig flow's custom_ids.
const (
	eligFlow   = "elig"
	stepAnswer = "ans"    // button: v1:elig:ans:<id>:<fact>:<value>
	stepForm   = "form"   // button opening the form: v1:elig:form:<id>[:part]
	stepSkip   = "skip"   // button: the member does not know the form's facts
	stepSubmit = "submit" // the form: v1:elig:submit:<id>
	stepProof  = "ev"     // evidence menu: v1:elig:ev:<id>
	formPart   = "part"   // form argument: the partial-refund form
)

// Stored answer values besides the facts' own texts.
const (
	answerUnsure = "?"   // the member does not know
	answerHave   = "yes" // evidence at hand
	answerLack   = "no"  // evidence not at hand
	evidenceNone = "none"
)

// Kinds of facts, by how they are asked.
const (
	askBool = iota
	askRisk
	askForm
	askEvidence
)

// askKind says how a missing fact is asked.
func askKind(name string) int {
	switch name {
	case "supplier_ta", "paid_on_platform", "spec_in_order", "accepted_in_writing":
		return askBool
	case "transit_risk":
		return askRisk
	}
	if strings.HasPrefix(name, assurance.EvidencePrefix) {
		return askEvidence
	}
	return askForm
}

// formFacts lists the facts the form may carry, with the input's maximum length.
var formFacts = map[string]int{
	"ship_date": 10, "shipped_on": 10, "received_on": 10,
	"paid_total": 20, "paid_before_shipment": 20, "ta_limit_remaining": 20, "claimed": 20,
	"affected_qty": 12, "total_qty": 12,
}

func issueOption(p *assurance.Policy) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "issue", Required: true}
	for _, is := range p.Issues {
		// The choice name is a catalog key when the catalog has one, else the policy's label.
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: "issue." + is.Code, Value: is.Code})
	}
	return o
}

func (a *App) eligibilityOrderSpec() Spec {
	return Spec{
		Command: "eligibility", Sub: "order", Handle: a.eligibilityOrder, Autocomplete: a.orderSuggest,
		Write:   true, // may store a conversation: counts against the member's write limit
		Options: []*discordgo.ApplicationCommandOption{orderOption(true), issueOption(a.Policy)},
	}
}

// eligibilityRoutes are the components of the conversation.
func (a *App) eligibilityRoutes() []Route {
	comp := discordgo.InteractionMessageComponent
	return []Route{
		{Type: comp, Path: eligFlow + ":" + stepAnswer, Handle: a.eligAnswer},
		{Type: comp, Path: eligFlow + ":" + stepForm, Handle: a.eligForm, OpensModal: true},
		{Type: comp, Path: eligFlow + ":" + stepSkip, Handle: a.eligSkip},
		{Type: comp, Path: eligFlow + ":" + stepProof, Handle: a.eligEvidence},
		{Type: discordgo.InteractionModalSubmit, Path: eligFlow + ":" + stepSubmit, Handle: a.eligSubmit},
	}
}

// issueCode checks an issue option against the policy.
func (a *App) issueCode(r *Request, name string) (string, error) {
	codes := make([]string, len(a.Policy.Issues))
	for i, is := range a.Policy.Issues {
		codes[i] = is.Code
	}
	code, err := r.Choice(name, codes...)
	if err == nil && code == "" {
		err = Fail("error.field.required", "field", name)
	}
	return code, err
}

// eligibilityOrder answers /eligibility order issue: the verdict, or the first questions.
func (a *App) eligibilityOrder(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	o, _, err := a.loadOrder(ctx, r, "order")
	if err != nil {
		return nil, err
	}
	issue, err := a.issueCode(r, "issue")
	if err != nil {
		return nil, err
	}
	conv := &state.Answers{Owner: r.User.ID, Order: o.Number, Issue: issue, Values: map[string]string{}}
	embeds, rows, err := a.eligStep(ctx, r, o, conv)
	if err != nil {
		return nil, err
	}
	return reply(false, "", embeds, rows), nil
}

// eligState is one round of the conversation: the facts, what the member declined, and the
// verdict under the declined facts' assumptions.
type eligState struct {
	facts    assurance.Facts
	answered []string        // names the member answered (in a stable order)
	declined map[string]bool // names the member does not know or lacks
	as       assurance.Assumed
	ask      []string // names to ask now; empty when the verdict is final
}

// eligEvaluate builds the facts of an order plus the conversation's answers and evaluates them.
func (a *App) eligEvaluate(ctx context.Context, r *Request, o *state.Order, conv *state.Answers) (*eligState, error) {
	f, err := a.storedFacts(ctx, o, conv.Issue, assurance.DateOf(r.Now))
	if err != nil {
		return nil, err
	}
	st := &eligState{declined: map[string]bool{}}
	held := presentFacts(f)
	names := make([]string, 0, len(conv.Values))
	for k := range conv.Values {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, name := range names {
		v := conv.Values[name]
		kind, isEvidence := strings.CutPrefix(name, assurance.EvidencePrefix)
		switch {
		case isEvidence && slices.Contains(f.Evidence, kind), !isEvidence && held[name]:
			continue // the order holds it (it may have changed since the question)
		case v == answerUnsure, isEvidence && v == answerLack:
			st.declined[name] = true
		case isEvidence && v == answerHave:
			f.Evidence = append(f.Evidence, kind)
		default:
			if a.Policy.SetFact(&f, name, v) != nil {
				continue // no longer fits the order (say, more affected than its new quantity)
			}
		}
		st.answered = append(st.answered, name)
	}
	st.facts = f
	// Ask only what the verdict depends on: with every open question assumed, the conditions
	// that remain name the answers that matter; the others are assumed without asking.
	full := a.Policy.EvaluateAssuming(f, func(string) bool { return true })
	matters := map[string]bool{}
	for _, c := range full.Conditions {
		for _, n := range c.Facts {
			matters[n] = true
		}
	}
	st.as = a.Policy.EvaluateAssuming(f, func(n string) bool { return st.declined[n] || !matters[n] })
	if res := st.as.Result; res.Verdict == assurance.VerdictNeedsInfo {
		for _, m := range res.Missing {
			if !st.declined[m] {
				st.ask = append(st.ask, m)
			}
		}
	}
	return st, nil
}

// presentFacts returns the JSON names of the facts f holds.
func presentFacts(f assurance.Facts) map[string]bool {
	b, _ := json.Marshal(f)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// eligStep renders the next question, or the verdict. A conversation that needs a question is
// stored first, so its ID can go into the custom_ids.
func (a *App) eligStep(ctx context.Context, r *Request, o *state.Order, conv *state.Answers) ([]*discordgo.MessageEmbed, []discordgo.MessageComponent, error) {
	st, err := a.eligEvaluate(ctx, r, o, conv)
	if err != nil {
		return nil, nil, err
	}
	is, _ := a.Policy.Issue(conv.Issue)
	partial := is.ProRata && likelyEligible(st.as.Result) // the verdict offers the partial-refund form
	if (len(st.ask) > 0 || partial) && conv.ID == "" {
		if err := a.Store.NewAnswers(ctx, r.Guild, conv); err != nil {
			return nil, nil, fmt.Errorf("eligibility of order %d: %w", o.Number, err)
		}
	}
	if len(st.ask) > 0 {
		e, rows := a.eligQuestion(r.Msg, o, conv, st)
		return []*discordgo.MessageEmbed{e}, rows, nil
	}
	e := a.verdictEmbed(r.Msg, st.facts, st.as, false)
	e.Title = r.Msg.T("elig.order.title", "number", o.Number, "issue", a.issueName(r.Msg, conv.Issue))
	e.Fields = append(e.Fields, a.basisFields(r.Msg, o, conv, st)...)
	var rows []discordgo.MessageComponent
	if likelyEligible(st.as.Result) {
		btns := []discordgo.MessageComponent{
			button(r.Msg.T("elig.btn.dispute"), discordgo.PrimaryButton, disputeButtonID(o.Number, conv)),
		}
		if partial {
			btns = append(btns, button(r.Msg.T("elig.btn.part"), discordgo.SecondaryButton,
				CustomID{Flow: eligFlow, Step: stepForm, ID: conv.ID, Args: []string{formPart}}))
		}
		rows = append(rows, row(btns...))
	}
	return []*discordgo.MessageEmbed{e}, rows, nil
}

// eligQuestion renders the questions for st.ask: one row of buttons per yes/no fact, a row for
// who carried the transit risk, a menu for evidence, and a button opening the form.
func (a *App) eligQuestion(p Printer, o *state.Order, conv *state.Answers, st *eligState) (*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	var lines []string
	var rows []discordgo.MessageComponent
	var form, proof []string
	id := func(step string, args ...string) CustomID {
		return CustomID{Flow: eligFlow, Step: step, ID: conv.ID, Args: args}
	}
	for _, name := range st.ask {
		lines = append(lines, "• "+p.T("elig.q."+factKey(name), "kind", a.evidenceLabel(p, name)))
		switch askKind(name) {
		case askBool:
			what := p.T("elig.short." + name)
			rows = append(rows, row(
				button(p.T("elig.btn.yes", "what", what), discordgo.SuccessButton, id(stepAnswer, name, "true")),
				button(p.T("elig.btn.no", "what", what), discordgo.DangerButton, id(stepAnswer, name, "false")),
				button(p.T("elig.btn.unsure"), discordgo.SecondaryButton, id(stepAnswer, name, answerUnsure)),
			))
		case askRisk:
			rows = append(rows, row(
				button(p.T("elig.btn.risk_supplier", "terms", a.incoterms(assurance.RiskSupplier)), discordgo.PrimaryButton, id(stepAnswer, name, assurance.RiskSupplier)),
				button(p.T("elig.btn.risk_buyer", "terms", a.incoterms(assurance.RiskBuyer)), discordgo.PrimaryButton, id(stepAnswer, name, assurance.RiskBuyer)),
				button(p.T("elig.btn.unsure"), discordgo.SecondaryButton, id(stepAnswer, name, answerUnsure)),
			))
		case askEvidence:
			proof = append(proof, name)
		default:
			form = append(form, name)
		}
	}
	if len(proof) > 0 {
		opts := make([]discordgo.SelectMenuOption, 0, len(proof)+1)
		for _, name := range proof {
			kind := strings.TrimPrefix(name, assurance.EvidencePrefix)
			opts = append(opts, discordgo.SelectMenuOption{Label: truncate(a.evidenceLabel(p, name), 100), Value: kind})
		}
		opts = append(opts, discordgo.SelectMenuOption{Label: p.T("elig.evidence.none"), Value: evidenceNone})
		rows = append(rows, row(discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: id(stepProof).String(), Placeholder: p.T("elig.evidence.placeholder"),
			MinValues: ptr(1), MaxValues: len(opts), Options: opts,
		}))
	}
	if len(form) > 0 {
		rows = append(rows, row(
			button(p.T("elig.btn.form"), discordgo.PrimaryButton, id(stepForm)),
			button(p.T("elig.btn.skip"), discordgo.SecondaryButton, id(stepSkip)),
		))
	}
	e := &discordgo.MessageEmbed{
		Title:       p.T("elig.order.title", "number", o.Number, "issue", a.issueName(p, conv.Issue)),
		Description: p.T("elig.ask.intro") + "\n" + strings.Join(lines, "\n"),
		Color:       colorInfo,
		Footer:      &discordgo.MessageEmbedFooter{Text: p.T("elig.ask.footer")},
	}
	if known := a.knownLines(p, o, st.facts); known != "" {
		e.Fields = append(e.Fields, field(p.T("elig.field.known", "number", o.Number), known, false))
	}
	return e, rows
}

// factKey turns a fact name into a catalog key part ("evidence:photos" -> "evidence").
func factKey(name string) string {
	if strings.HasPrefix(name, assurance.EvidencePrefix) {
		return "evidence"
	}
	return name
}

// incoterms lists the policy's Incoterms that put the transit risk on side, for button labels.
func (a *App) incoterms(side string) string {
	var codes []string
	for code, risk := range a.Policy.Incoterms {
		if risk == side {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	return strings.Join(codes, ", ")
}

// eligConversation loads the conversation of a click with its order, re-checking that the
// member may continue it: its owner or a moderator, who can still see the order.
func (a *App) eligConversation(ctx context.Context, r *Request) (*state.Answers, *state.Order, error) {
	conv, err := a.Store.GetAnswers(ctx, r.Guild, r.Custom.ID)
	if state.IsNotFound(err) {
		return nil, nil, Fail("error.elig.expired")
	}
	if err != nil {
		return nil, nil, err
	}
	if conv.Owner != r.User.ID && !r.IsModerator() {
		return nil, nil, Fail("error.elig.not_yours")
	}
	server, err := a.memberRole(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	o, err := a.Store.GetOrder(ctx, r.Guild, conv.Order)
	if state.IsNotFound(err) {
		return nil, nil, Fail("error.order.not_found", "number", conv.Order)
	}
	if err != nil {
		return nil, nil, err
	}
	if orderRole(server, r, o) == assurance.RoleNone {
		return nil, nil, Fail("error.order.not_found", "number", conv.Order)
	}
	return conv, o, nil
}

// eligClick is a click on a conversation: its answers, its order and the round they make now.
type eligClick struct {
	conv *state.Answers
	o    *state.Order
	st   *eligState
}

// eligOpen loads the click's conversation and order (see eligConversation) and evaluates them.
func (a *App) eligOpen(ctx context.Context, r *Request) (*eligClick, error) {
	conv, o, err := a.eligConversation(ctx, r)
	if err != nil {
		return nil, err
	}
	st, err := a.eligEvaluate(ctx, r, o, conv)
	if err != nil {
		return nil, err
	}
	return &eligClick{conv: conv, o: o, st: st}, nil
}

// asked lists the names asked now that are asked in one way (askForm, askEvidence ...).
func (st *eligState) asked(kind int) []string {
	var out []string
	for _, name := range st.ask {
		if askKind(name) == kind {
			out = append(out, name)
		}
	}
	return out
}

// eligSave stores answers and renders the next step as an update of the message.
func (a *App) eligSave(ctx context.Context, r *Request, conv *state.Answers, o *state.Order, values map[string]string) (*discordgo.InteractionResponse, error) {
	if len(values) == 0 {
		return nil, Fail("error.elig.stale") // the question this click answers is no longer asked
	}
	if err := a.Store.SetAnswers(ctx, r.Guild, conv.ID, values); err != nil {
		if state.IsNotFound(err) {
			return nil, Fail("error.elig.expired")
		}
		return nil, err
	}
	for k, v := range values {
		conv.Values[k] = v
	}
	embeds, rows, err := a.eligStep(ctx, r, o, conv)
	if err != nil {
		return nil, err
	}
	return update("", embeds, rows), nil
}

// eligAnswer records a yes/no/not-sure button (or the transit-risk side).
func (a *App) eligAnswer(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	conv, o, err := a.eligConversation(ctx, r)
	if err != nil {
		return nil, err
	}
	name, value := r.Custom.Arg(0), r.Custom.Arg(1)
	valid := map[int][]string{
		askBool: {"true", "false", answerUnsure},
		askRisk: {assurance.RiskBuyer, assurance.RiskSupplier, answerUnsure},
	}[askKind(name)]
	if !slices.Contains(valid, value) || !slices.Contains(assurance.FactNames(), name) {
		return nil, Fail("error.elig.stale")
	}
	return a.eligSave(ctx, r, conv, o, map[string]string{name: value})
}

// eligSkip records that the member does not know the facts the form asks for now.
func (a *App) eligSkip(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	c, err := a.eligOpen(ctx, r)
	if err != nil {
		return nil, err
	}
	values := map[string]string{}
	for _, name := range c.st.asked(askForm) {
		values[name] = answerUnsure
	}
	return a.eligSave(ctx, r, c.conv, c.o, values)
}

// eligEvidence records the evidence menu: chosen kinds are at hand, the others offered are not.
func (a *App) eligEvidence(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	c, err := a.eligOpen(ctx, r)
	if err != nil {
		return nil, err
	}
	chosen := r.Values()
	for _, v := range chosen {
		if v != evidenceNone && !slices.Contains(a.Policy.EvidenceKinds, v) {
			return nil, Fail("error.elig.stale")
		}
	}
	values := map[string]string{}
	for _, name := range c.st.asked(askEvidence) {
		values[name] = answerLack
		if slices.Contains(chosen, strings.TrimPrefix(name, assurance.EvidencePrefix)) {
			values[name] = answerHave
		}
	}
	return a.eligSave(ctx, r, c.conv, c.o, values)
}

// eligForm opens the form for the dates and amounts asked now (at most 5), or the
// partial-refund form (affected quantity, total quantity when the order lacks it, amount claimed).
func (a *App) eligForm(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	c, err := a.eligOpen(ctx, r)
	if err != nil {
		return nil, err
	}
	var names []string
	optional := false
	if r.Custom.Arg(0) == formPart {
		optional = true
		names = append(names, "affected_qty")
		if c.st.facts.TotalQty == nil {
			names = append(names, "total_qty")
		}
		names = append(names, "claimed")
	} else {
		names = c.st.asked(askForm)
		names = names[:min(len(names), maxModalRows)]
	}
	if len(names) == 0 {
		return nil, Fail("error.elig.stale")
	}
	var rows []discordgo.MessageComponent
	for _, name := range names {
		max, ok := formFacts[name]
		if !ok {
			max = 40
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: name, Label: truncate(r.Msg.T("elig.label."+name), 45), Style: discordgo.TextInputShort,
			Placeholder: truncate(a.formHint(r.Msg, name, c.st.facts), 100), Required: !optional, MaxLength: max,
		}}})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID:   CustomID{Flow: eligFlow, Step: stepSubmit, ID: c.conv.ID}.String(),
		Title:      truncate(r.Msg.T("elig.form.title", "number", c.o.Number), 45),
		Components: rows,
	}}, nil
}

// formHint is a form field's placeholder: the format and an example.
func (a *App) formHint(pr Printer, name string, f assurance.Facts) string {
	switch name {
	case "ship_date", "shipped_on", "received_on":
		return pr.T("elig.hint.date")
	case "affected_qty", "total_qty":
		return pr.T("elig.hint.qty")
	}
	return pr.T("elig.hint.amount", "currency", currencyOf(f))
}

func currencyOf(f assurance.Facts) string {
	if f.Currency == "" {
		return assurance.DefaultCurrency
	}
	return f.Currency
}

// eligSubmit validates the form and records its answers.
func (a *App) eligSubmit(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	c, err := a.eligOpen(ctx, r)
	if err != nil {
		return nil, err
	}
	values := map[string]string{}
	next := c.st.facts
	for _, name := range assurance.FactNames() {
		if _, ok := formFacts[name]; !ok {
			continue
		}
		raw := r.Field(name)
		if raw == "" {
			continue
		}
		label := r.Msg.T("elig.label." + name)
		v, err := a.formValue(r, name, label, raw, next)
		if err != nil {
			return nil, err
		}
		if fe := a.Policy.SetFact(&next, name, v); fe != nil {
			return nil, factError(label, raw, fe)
		}
		values[name] = v
	}
	if len(values) == 0 {
		return nil, Fail("error.elig.form_empty")
	}
	if next.AffectedQty != nil && next.TotalQty == nil {
		return nil, Fail("error.elig.total_needed", "field", r.Msg.T("elig.label.total_qty"))
	}
	return a.eligSave(ctx, r, c.conv, c.o, values)
}

// formValue checks one form field and returns its value as SetFact takes it.
func (a *App) formValue(r *Request, name, label, raw string, f assurance.Facts) (string, error) {
	today := assurance.DateOf(r.Now)
	switch name {
	case "ship_date", "shipped_on", "received_on":
		d, err := assurance.ParseDate(raw)
		if err != nil {
			return "", Fail("error.date", "field", label, "value", raw)
		}
		if name != "ship_date" && d.After(today) {
			return "", Fail("error.elig.future", "field", label, "value", raw)
		}
		return d.String(), nil
	case "affected_qty", "total_qty":
		n, err := parseCount(raw)
		if err != nil {
			return "", Fail("error.int", "field", label, "min", 1, "max", maxQty)
		}
		return fmt.Sprint(n), nil
	}
	cur := currencyOf(f)
	parse := assurance.ParseAmount
	if name == "paid_before_shipment" || name == "ta_limit_remaining" {
		parse = assurance.ParseNonNegativeAmount
	}
	d, err := parse(raw, cur)
	if err != nil {
		return "", amountError(label, raw, cur, err)
	}
	return d.String(), nil
}

// factError turns an engine validation error into the member's message.
func factError(label, raw string, fe *assurance.FieldError) error {
	if fe.Field == "affected_qty" {
		return Fail("error.elig.affected_over_total", "field", label, "value", raw)
	}
	return Fail("error.elig.invalid", "field", label, "value", raw)
}

// maxQty bounds quantities typed by members.
const maxQty = 1_000_000_000

// parseCount parses a positive whole number up to maxQty.
func parseCount(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 1 || n > maxQty {
		return 0, fmt.Errorf("%q is not a whole number from 1 to %d", s, maxQty)
	}
	return n, nil
}
