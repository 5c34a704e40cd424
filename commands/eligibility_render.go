package commands

import (
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// Rendering of eligibility answers, shared by /eligibility order and /eligibility quick. Every
// text comes from the catalog (elig.*); the engine's English explanation is not shown.

// amountOnly reports whether r is an eligible claim whose maximum refund cannot be computed
// because an amount is missing (the rules never ask for amounts; only the refund maths does).
func amountOnly(r assurance.Result) bool {
	if r.Verdict != assurance.VerdictNeedsInfo || r.Reason != assurance.ReasonMissingFacts || len(r.Missing) == 0 {
		return false
	}
	for _, m := range r.Missing {
		if m != "paid_total" && m != "paid_before_shipment" {
			return false
		}
	}
	return true
}

// likelyEligible reports whether the rules found the claim eligible (with or without an amount).
func likelyEligible(r assurance.Result) bool {
	return r.Verdict == assurance.VerdictEligible || amountOnly(r)
}

// shownReason is the reason code to explain: for an eligible claim without an amount, the
// reason of the rule that found it eligible.
func shownReason(r assurance.Result) string {
	if amountOnly(r) {
		if r.Rule == 10 {
			return assurance.ReasonLateShipment
		}
		return assurance.ReasonContractBreach
	}
	return r.Reason
}

// shownVerdict is the verdict to show: eligible for an eligible claim without an amount.
func shownVerdict(r assurance.Result) string {
	if amountOnly(r) {
		return assurance.VerdictEligible
	}
	return r.Verdict
}

func verdictColor(verdict string) int {
	switch verdict {
	case assurance.VerdictEligible:
		return colorOK
	case assurance.VerdictNotEligible:
		return colorProblem
	}
	return colorWarn
}

// assumed reports whether a condition with the code was assumed.
func assumed(as assurance.Assumed, code string) bool {
	return slices.ContainsFunc(as.Conditions, func(c assurance.Condition) bool { return c.Code == code })
}

// verdictEmbed renders a verdict: the headline (with the conditions it depends on), the reason,
// what happens otherwise, the maximum refund and how it was computed, the last day to claim and
// what to do next. quick selects the texts for answers without a stored order.
func (a *App) verdictEmbed(p Printer, f assurance.Facts, as assurance.Assumed, quick bool) *discordgo.MessageEmbed {
	res := as.Result
	verdict := shownVerdict(res)
	head := p.T("elig.verdict." + verdict)
	if res.MaxRefund != nil {
		head = p.T("elig.verdict.eligible_upto", "amount", assurance.FormatMoney(*res.MaxRefund, res.Currency))
	}
	if len(as.Conditions) > 0 {
		conds := make([]string, len(as.Conditions))
		for i, c := range as.Conditions {
			conds[i] = a.condition(p, c, "")
		}
		head = p.T("elig.headline.if", "verdict", head, "conditions", joinList(p, conds))
	}
	desc := "**" + head + "**\n" + a.reasonText(p, f, res, as)
	if len(as.Conditions) > 0 {
		desc += "\n\n" + p.T("elig.otherwise.title")
		for _, c := range as.Conditions {
			o := c.Otherwise
			desc += "\n• " + p.T("elig.otherwise", "condition", a.condition(p, c, ".not"),
				"verdict", p.T("elig.word."+shownVerdict(o)), "why", p.T("elig.why."+shownReason(o)))
		}
	}
	e := &discordgo.MessageEmbed{
		Title:       a.issueName(p, f.Issue),
		Description: truncate(desc, maxEmbedDesc),
		Color:       verdictColor(verdict),
		Footer:      &discordgo.MessageEmbedFooter{Text: p.T("elig.footer")},
	}
	if likelyEligible(res) {
		if c := res.Computation; c != nil {
			e.Fields = append(e.Fields,
				field(p.T("elig.field.refund"), p.T("elig.refund.upto", "amount", assurance.FormatMoney(c.Max, c.Currency),
					"limited_by", p.T("elig.limited."+c.LimitedBy)), false),
				field(p.T("elig.field.computation"), a.computation(p, c), false))
		} else {
			key := "elig.refund.unknown"
			if quick {
				key = "elig.refund.unknown_quick"
			}
			e.Fields = append(e.Fields, field(p.T("elig.field.refund"), p.T(key), false))
		}
	}
	if d := a.deadline(p, f, as); d != "" {
		e.Fields = append(e.Fields, field(p.T("elig.field.deadline"), d, false))
	}
	e.Fields = append(e.Fields, field(p.T("elig.field.next"), a.advice(p, res, quick), false))
	return e
}

// condition phrases a condition ("you paid through Alibaba.com"); suffix ".not" gives its opposite.
func (a *App) condition(p Printer, c assurance.Condition, suffix string) string {
	return p.T("elig.cond."+c.Code+suffix, "date", c.Date.String(),
		"kind", a.evidenceLabel(p, assurance.EvidencePrefix+c.Kind))
}

// reasonText explains the reason in plain words.
func (a *App) reasonText(p Printer, f assurance.Facts, res assurance.Result, as assurance.Assumed) string {
	missing := make([]string, 0, len(res.Missing))
	for _, m := range res.Missing {
		missing = append(missing, a.shortName(p, m))
	}
	status := ""
	if f.Status != "" {
		status = p.T("status." + string(f.Status))
	}
	next := ""
	if !f.ShipDate.IsZero() {
		next = f.ShipDate.AddDays(1).String()
	}
	return p.T("elig.reason."+shownReason(res),
		"issue", a.issueName(p, f.Issue), "status", status, "window_days", a.Policy.Window(f.BuyerTier),
		"received_on", f.ReceivedOn.String(), "deadline", res.Deadline.String(), "ship_date", f.ShipDate.String(),
		"shipped_on", f.ShippedOn.String(), "next_day", next, "missing", joinList(p, missing))
}

// deadline phrases the last day to claim: the date when receipt is known (not assumed), or the
// window after receipt for a claim that is likely eligible.
func (a *App) deadline(p Printer, f assurance.Facts, as assurance.Assumed) string {
	res := as.Result
	window := a.Policy.Window(f.BuyerTier)
	switch {
	case !res.Deadline.IsZero() && !assumed(as, assurance.CondReceivedSince):
		if left := f.Today.DaysUntil(res.Deadline); !f.Today.IsZero() && left >= 0 && res.Verdict != assurance.VerdictNotEligible {
			return p.T("elig.deadline.date_left", "date", res.Deadline.String(), "days", left)
		}
		return res.Deadline.String()
	case likelyEligible(res):
		return p.T("elig.deadline.window", "days", window)
	}
	return ""
}

// advice says what to do next.
func (a *App) advice(p Printer, res assurance.Result, quick bool) string {
	code := res.Advice
	if amountOnly(res) {
		code = a.Policy.Reasons[shownReason(res)].Advice
	}
	key := "elig.advice." + code
	if quick && code == "open_dispute" {
		key += ".quick"
	}
	text := p.T(key)
	if text == key {
		text = p.T("elig.advice.other")
	}
	if (res.Reason == assurance.ReasonShipDateNotPassed || res.Reason == assurance.ReasonNotYetShipped) && !res.AdviceDate.IsZero() {
		text += " " + p.T("elig.advice.from", "date", res.AdviceDate.String())
	}
	return text
}

// computation spells out the refund maths of POLICY.md 3.1, one line per step.
func (a *App) computation(p Printer, c *assurance.Computation) string {
	cur := c.Currency
	var lines []string
	if c.BaseFrom == assurance.LimitedByDeposit {
		lines = append(lines, p.T("elig.calc.deposit", "amount", assurance.FormatMoney(c.Base, cur)))
	} else {
		lines = append(lines, p.T("elig.calc.paid", "amount", assurance.FormatMoney(c.Base, cur)))
	}
	if c.TALimit != nil {
		lines = append(lines, p.T("elig.calc.ta", "limit", assurance.FormatMoney(*c.TALimit, cur), "cap", assurance.FormatMoney(c.Cap, cur)))
	} else {
		lines = append(lines, p.T("elig.calc.ta_unknown"))
	}
	switch c.AskFrom {
	case assurance.LimitedByClaimed:
		lines = append(lines, p.T("elig.calc.claimed", "amount", assurance.FormatMoney(*c.Ask, cur)))
	case assurance.LimitedByProRata:
		lines = append(lines, p.T("elig.calc.pro_rata", "affected", c.AffectedQty, "total", c.TotalQty,
			"paid", assurance.FormatMoney(c.Base, cur), "amount", assurance.FormatMoney(*c.Ask, cur)))
	}
	lines = append(lines, p.T("elig.calc.max", "amount", assurance.FormatMoney(c.Max, cur), "limited_by", p.T("elig.limited."+c.LimitedBy)))
	return strings.Join(lines, "\n")
}

// issueName is an issue's plain-word label: the catalog's, else the policy's.
func (a *App) issueName(p Printer, code string) string {
	key := "issue." + code
	if s := p.T(key); s != key {
		return s
	}
	if is, ok := a.Policy.Issue(code); ok {
		return is.Label
	}
	return code
}

// evidenceLabel names an evidence kind ("evidence:photos" or a plain fact name gives "").
func (a *App) evidenceLabel(p Printer, name string) string {
	kind, ok := strings.CutPrefix(name, assurance.EvidencePrefix)
	if !ok || kind == "" {
		return ""
	}
	key := "evidence." + kind
	if s := p.T(key); s != key {
		return s
	}
	return strings.ReplaceAll(kind, "_", " ")
}

// shortName names a fact in a few words.
func (a *App) shortName(p Printer, name string) string {
	if l := a.evidenceLabel(p, name); l != "" {
		return l
	}
	key := "elig.short." + name
	if s := p.T(key); s != key {
		return s
	}
	return strings.ReplaceAll(name, "_", " ")
}

// joinList joins items as "a, b and c".
func joinList(p Printer, items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return p.T("elig.list.and", "first", strings.Join(items[:len(items)-1], p.T("elig.list.sep")), "last", items[len(items)-1])
}

// knownLines lists what the order says that the rules read.
func (a *App) knownLines(p Printer, o *state.Order, f assurance.Facts) string {
	lines := []string{p.T("elig.known.status", "status", p.T("status."+string(o.Status)))}
	add := func(key string, args ...any) { lines = append(lines, p.T(key, args...)) }
	if f.PaidTotal != nil {
		add("elig.known.paid", "amount", assurance.FormatMoney(*f.PaidTotal, currencyOf(f)))
	}
	if f.Coverage == assurance.CoveragePreShipment {
		add("elig.known.pre_shipment")
	}
	if f.BuyerTier != "" && f.BuyerTier != a.Policy.DefaultTier {
		add("elig.known.tier", "tier", p.T("elig.tier."+f.BuyerTier), "days", a.Policy.Window(f.BuyerTier))
	}
	for _, d := range []struct {
		key string
		day assurance.Date
	}{{"elig.known.ship_date", f.ShipDate}, {"elig.known.shipped_on", f.ShippedOn}, {"elig.known.received_on", f.ReceivedOn}} {
		if !d.day.IsZero() {
			add(d.key, "date", d.day.String())
		}
	}
	if f.TransitRisk != "" {
		add("elig.known.risk."+f.TransitRisk, "incoterm", strings.ToUpper(o.Incoterm))
	}
	if f.InspectionResult != "" {
		add("elig.known.inspection", "result", p.T("elig.inspection."+f.InspectionResult))
	}
	if o.Tracking != "" {
		add("elig.known.tracking")
	}
	if f.TotalQty != nil {
		add("elig.known.quantity", "qty", *f.TotalQty)
	}
	return strings.Join(lines, "\n")
}

// basisFields are the verdict's "what the order says" and "your answers".
func (a *App) basisFields(p Printer, o *state.Order, conv *state.Answers, st *eligState) []*discordgo.MessageEmbedField {
	out := []*discordgo.MessageEmbedField{field(p.T("elig.field.known", "number", o.Number), a.knownLines(p, o, st.facts), false)}
	if len(st.answered) == 0 {
		return out
	}
	lines := make([]string, 0, len(st.answered))
	for _, name := range st.answered {
		lines = append(lines, p.T("elig.answer.line", "what", a.shortName(p, name), "answer", a.answerText(p, name, conv.Values[name], st.facts)))
	}
	return append(out, field(p.T("elig.field.answers"), strings.Join(lines, "\n"), false))
}

// answerText renders a stored answer for the member.
func (a *App) answerText(p Printer, name, v string, f assurance.Facts) string {
	switch v {
	case answerUnsure:
		return p.T("elig.answer.unsure")
	case "true", answerHave:
		return p.T("elig.answer.yes")
	case "false", answerLack:
		return p.T("elig.answer.no")
	case assurance.RiskBuyer, assurance.RiskSupplier:
		return p.T("elig.answer.risk." + v)
	}
	switch name {
	case "paid_total", "paid_before_shipment", "ta_limit_remaining", "claimed":
		if d, err := assurance.ParseNonNegativeAmount(v, currencyOf(f)); err == nil {
			return assurance.FormatMoney(d, currencyOf(f))
		}
	}
	return v
}

// addFooter adds a line to an embed's footer.
func addFooter(e *discordgo.MessageEmbed, line string) {
	if e.Footer == nil {
		e.Footer = &discordgo.MessageEmbedFooter{}
	}
	if e.Footer.Text != "" {
		line = e.Footer.Text + "\n" + line
	}
	e.Footer.Text = truncate(line, maxFooter)
}
