package commands

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

// /eligibility quick: a quick question without a stored order, answered in one reply. Facts the
// member leaves out are assumed in the claim's favour where the rules allow it, and the answer
// says what it depends on ("likely eligible if you paid through Alibaba.com").

// maxDaysSinceReceipt bounds days-since-receipt (ten years).
const maxDaysSinceReceipt = 3650

func (a *App) eligibilityQuickSpec() Spec {
	str := func(name string, maxLen int) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, MaxLength: maxLen}
	}
	boolean := func(name string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: name}
	}
	integer := func(name string, lo, hi float64) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: name, MinValue: &lo, MaxValue: hi}
	}
	choices := func(name, keyPrefix string, values []string) *discordgo.ApplicationCommandOption {
		o := str(name, 0)
		for _, v := range values {
			o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: keyPrefix + strings.ToLower(v), Value: v})
		}
		return o
	}
	statuses := make([]string, len(assurance.Statuses))
	for i, s := range assurance.Statuses {
		statuses[i] = string(s)
	}
	date := func(name string) *discordgo.ApplicationCommandOption {
		o := str(name, 10)
		o.MinLength = ptr(10)
		return o
	}
	return Spec{
		Command: "eligibility", Sub: "quick", Handle: a.eligibilityQuick, ReadOnly: true,
		Options: []*discordgo.ApplicationCommandOption{
			issueOption(a.Policy),
			integer("days-since-receipt", 0, maxDaysSinceReceipt),
			boolean("paid-through-alibaba"),
			boolean("supplier-has-ta"),
			str("amount-paid", 20),
			str("currency", 3),
			choices("status", "status.", statuses),
			choices("buyer-tier", "elig.tier.", slices.Sorted(maps.Keys(a.Policy.ClaimWindowDays))),
			boolean("spec-in-order"),
			str("evidence", 100),
			integer("affected-qty", 1, maxQty),
			integer("total-qty", 1, maxQty),
			str("claimed", 20),
			choices("incoterm", "elig.incoterm.", slices.Sorted(maps.Keys(a.Policy.Incoterms))),
			date("ship-date"),
			date("shipped-on"),
			choices("coverage", "elig.coverage.", []string{assurance.CoveragePostDelivery, assurance.CoveragePreShipment}),
			str("paid-before-shipment", 20),
			str("ta-limit-left", 20),
			boolean("accepted-in-writing"),
			choices("inspection", "elig.inspection.", []string{assurance.InspectionPass, assurance.InspectionFail, assurance.InspectionPending, assurance.InspectionNone}),
		},
	}
}

// boolOption returns a boolean option, or nil when absent.
func boolOption(r *Request, name string) (*bool, error) {
	o := r.Option(name)
	if o == nil {
		return nil, nil
	}
	b, ok := o.Value.(bool)
	if !ok {
		return nil, Fail("error.choice", "field", name, "value", o.Value, "allowed", joinCodes([]string{"true", "false"}))
	}
	return &b, nil
}

// quickFacts reads the options into facts; inferred is true when the status was not given.
func (a *App) quickFacts(r *Request) (f assurance.Facts, inferred bool, err error) {
	today := assurance.DateOf(r.Now)
	f.Today = today
	if f.Issue, err = a.issueCode(r, "issue"); err != nil {
		return f, false, err
	}
	if f.Currency, err = r.Currency("currency"); err != nil {
		return f, false, err
	}
	statuses := make([]string, len(assurance.Statuses))
	for i, s := range assurance.Statuses {
		statuses[i] = string(s)
	}
	st, err := r.Choice("status", statuses...)
	if err != nil {
		return f, false, err
	}
	f.Status = assurance.Status(st)
	if f.BuyerTier, err = r.Choice("buyer-tier", slices.Sorted(maps.Keys(a.Policy.ClaimWindowDays))...); err != nil {
		return f, false, err
	}
	if f.Coverage, err = r.Choice("coverage", assurance.CoveragePostDelivery, assurance.CoveragePreShipment); err != nil {
		return f, false, err
	}
	if f.InspectionResult, err = r.Choice("inspection", assurance.InspectionPass, assurance.InspectionFail, assurance.InspectionPending, assurance.InspectionNone); err != nil {
		return f, false, err
	}
	incoterm, err := r.Choice("incoterm", slices.Sorted(maps.Keys(a.Policy.Incoterms))...)
	if err != nil {
		return f, false, err
	}
	if incoterm != "" {
		f.TransitRisk, _ = a.Policy.TransitRisk(incoterm)
	}
	for _, b := range []struct {
		name string
		to   **bool
	}{
		{"paid-through-alibaba", &f.PaidOnPlatform}, {"supplier-has-ta", &f.SupplierTA},
		{"spec-in-order", &f.SpecInOrder}, {"accepted-in-writing", &f.AcceptedInWriting},
	} {
		if *b.to, err = boolOption(r, b.name); err != nil {
			return f, false, err
		}
	}
	if days, ok, err := r.Int("days-since-receipt", 0, maxDaysSinceReceipt); err != nil {
		return f, false, err
	} else if ok {
		f.ReceivedOn = today.AddDays(-int(days))
	}
	for _, d := range []struct {
		name string
		to   *assurance.Date
	}{{"ship-date", &f.ShipDate}, {"shipped-on", &f.ShippedOn}} {
		if *d.to, err = r.Date(d.name); err != nil {
			return f, false, err
		}
	}
	if f.ShippedOn.After(today) {
		return f, false, Fail("error.elig.future", "field", "shipped-on", "value", f.ShippedOn.String())
	}
	for _, m := range []struct {
		name     string
		to       **decimal.Decimal
		positive bool
	}{
		{"amount-paid", &f.PaidTotal, true}, {"claimed", &f.Claimed, true},
		{"paid-before-shipment", &f.PaidBeforeShipment, false}, {"ta-limit-left", &f.TALimitRemaining, false},
	} {
		if *m.to, err = amountOption(r, m.name, f.Currency, m.positive); err != nil {
			return f, false, err
		}
	}
	for _, q := range []struct {
		name string
		to   **int64
	}{{"affected-qty", &f.AffectedQty}, {"total-qty", &f.TotalQty}} {
		if n, ok, err := r.Int(q.name, 1, maxQty); err != nil {
			return f, false, err
		} else if ok {
			*q.to = &n
		}
	}
	if f.AffectedQty != nil && f.TotalQty != nil && *f.AffectedQty > *f.TotalQty {
		return f, false, Fail("error.elig.affected_over_total", "field", "affected-qty", "value", *f.AffectedQty)
	}
	if f.Evidence, err = a.evidenceOption(r, "evidence"); err != nil {
		return f, false, err
	}
	if f.Status == "" {
		f.Status, inferred = a.quickStatus(f), true
	}
	return f, inferred, nil
}

// quickStatus infers the order's state from the question when the member did not give it:
// received when days-since-receipt is given or the issue is found only after receipt (goods
// problems, excluded issues); in transit for missing goods, or for a late shipment that has
// shipped; else awaiting shipment.
func (a *App) quickStatus(f assurance.Facts) assurance.Status {
	is, _ := a.Policy.Issue(f.Issue)
	switch {
	case !f.ReceivedOn.IsZero():
		return assurance.Received
	case is.LateShipment && !f.ShippedOn.IsZero(), is.NotYetBeforeShipment:
		return assurance.InTransit
	case is.LateShipment:
		return assurance.AwaitingShipment
	}
	return assurance.Received
}

// amountOption parses an optional amount option in the currency: positive, or also zero.
func amountOption(r *Request, name, currency string, positive bool) (*decimal.Decimal, error) {
	if positive {
		d, ok, err := r.Amount(name, currency, false)
		if !ok || err != nil {
			return nil, err
		}
		return &d, nil
	}
	s := r.String(name)
	if s == "" {
		return nil, nil
	}
	d, err := assurance.ParseNonNegativeAmount(s, currency)
	if err != nil {
		return nil, amountError(name, s, currency, err)
	}
	return &d, nil
}

// evidenceOption parses a comma-separated list of evidence kinds.
func (a *App) evidenceOption(r *Request, name string) ([]string, error) {
	s, err := r.Text(name, false, 100)
	if err != nil || s == "" {
		return nil, err
	}
	var out []string
	for k := range strings.SplitSeq(s, ",") {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "" {
			continue
		}
		if !slices.Contains(a.Policy.EvidenceKinds, k) {
			return nil, Fail("error.choice", "field", name, "value", k, "allowed", joinCodes(a.Policy.EvidenceKinds))
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// eligibilityQuick answers /eligibility quick in one reply.
func (a *App) eligibilityQuick(_ context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	f, inferred, err := a.quickFacts(r)
	if err != nil {
		return nil, err
	}
	as := a.Policy.EvaluateAssuming(f, func(string) bool { return true })
	e := a.verdictEmbed(r.Msg, f, as, true)
	if inferred {
		addFooter(e, r.Msg.T("elig.quick.status", "status", r.Msg.T("status."+string(f.Status))))
	}
	return reply(false, "", []*discordgo.MessageEmbed{e}, nil), nil
}
