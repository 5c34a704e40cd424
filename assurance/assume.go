package assurance

import (
	"slices"
	"strings"
)

// Condition codes of Condition.Code: what an answer was assumed to be.
const (
	CondSupplierTA     = "supplier_ta"      // the supplier offers Trade Assurance
	CondPaidOnPlatform = "paid_on_platform" // paid through Alibaba.com checkout or to the designated account
	CondSpecInOrder    = "spec_in_order"    // the disputed requirement is written in the order
	CondEvidence       = "evidence"         // the buyer has evidence of kind Condition.Kind
	CondSupplierRisk   = "transit_risk"     // the supplier carries the transit risk (DAP, DPU, DDP)
	CondReceivedSince  = "received_since"   // the goods were received on or after Condition.Date
	CondShipDatePassed = "ship_date_passed" // the agreed ship date was before Condition.Date (today)
	CondShipDateBefore = "ship_date_before" // the agreed ship date was before Condition.Date (shipped_on)
	CondShippedAfter   = "shipped_after"    // the goods shipped after Condition.Date (ship_date)
	CondShippedLate    = "shipped_late"     // the goods shipped after the agreed ship date (both unknown)
)

// Condition is one answer assumed to reach a verdict, and the answer without it.
type Condition struct {
	Code  string   // a Cond* code
	Facts []string // the names of Result.Missing it stands for ("evidence:photos", "ship_date", ...)
	Kind  string   // the evidence kind of CondEvidence
	Date  Date     // the day the condition refers to, if any
	// Otherwise is the result when the condition does not hold (every other assumption kept).
	Otherwise Result

	set, flip func(*Facts)
}

// Assumed is a verdict reached by assuming answers to missing facts.
type Assumed struct {
	// Result is the result with every assumption applied: still needs_info when a fact that
	// may not be assumed (an amount, today) is missing.
	Result Result
	// Conditions lists the assumptions the verdict depends on, in the order the rules met
	// them: only those whose opposite gives another verdict.
	Conditions []Condition
}

// maxAssumptionRounds bounds the evaluation loop of EvaluateAssuming; each round answers at
// least one missing fact, and there are fewer facts than this.
const maxAssumptionRounds = 32

// EvaluateAssuming evaluates f like Evaluate, but where a rule stops for missing facts that
// may be assumed (assume(name) is true for every name of Result.Missing) it assumes the answer
// that lets the claim go on, notes the condition, and evaluates again, so that an answer can
// say what it depends on ("eligible if you paid through Alibaba.com"). Facts that can be
// assumed: supplier_ta, paid_on_platform and spec_in_order (true), evidence kinds (at hand),
// transit_risk (the supplier's), received_on (inside the window: on or after today minus the
// window), ship_date and shipped_on (the goods shipped, or will ship, after the agreed date).
// Amounts, status, issue and today are never assumed: when one of them is missing, Result is
// needs_info naming it.
//
// Each condition's Otherwise is the result with that one answer reversed; conditions whose
// reversal gives the same verdict are left out, since the answer does not depend on them (for a
// needs_info result, the same verdict with the same reason).
func (p *Policy) EvaluateAssuming(f Facts, assume func(name string) bool) Assumed {
	cur := f
	cur.Evidence = slices.Clone(f.Evidence)
	var conds []Condition
	r := p.Evaluate(cur)
	for range maxAssumptionRounds {
		if r.Verdict != VerdictNeedsInfo {
			break
		}
		next, ok := p.assumptions(cur, r.Missing, assume)
		if !ok {
			break
		}
		for _, c := range next {
			c.set(&cur)
		}
		conds = append(conds, next...)
		r = p.Evaluate(cur)
	}
	out := Assumed{Result: r}
	for _, c := range conds {
		g := cur
		g.Evidence = slices.Clone(cur.Evidence)
		c.flip(&g)
		c.Otherwise = p.Evaluate(g)
		if c.Otherwise.Verdict != r.Verdict || (r.Verdict == VerdictNeedsInfo && c.Otherwise.Reason != r.Reason) {
			out.Conditions = append(out.Conditions, c)
		}
	}
	return out
}

// assumptions returns the conditions answering every name of missing, or false when one of
// them may not be assumed.
func (p *Policy) assumptions(f Facts, missing []string, assume func(string) bool) ([]Condition, bool) {
	for _, m := range missing {
		if !assume(m) {
			return nil, false
		}
	}
	var out []Condition
	has := func(name string) bool { return slices.Contains(missing, name) }
	boolean := func(code string, field func(*Facts) **bool) Condition {
		return Condition{Code: code, Facts: []string{code},
			set:  func(g *Facts) { *field(g) = Ptr(true) },
			flip: func(g *Facts) { *field(g) = Ptr(false) }}
	}
	for _, m := range missing {
		switch m {
		case "supplier_ta":
			out = append(out, boolean(CondSupplierTA, func(g *Facts) **bool { return &g.SupplierTA }))
		case "paid_on_platform":
			out = append(out, boolean(CondPaidOnPlatform, func(g *Facts) **bool { return &g.PaidOnPlatform }))
		case "spec_in_order":
			out = append(out, boolean(CondSpecInOrder, func(g *Facts) **bool { return &g.SpecInOrder }))
		case "transit_risk":
			out = append(out, Condition{Code: CondSupplierRisk, Facts: []string{m},
				set:  func(g *Facts) { g.TransitRisk = RiskSupplier },
				flip: func(g *Facts) { g.TransitRisk = RiskBuyer }})
		case "received_on":
			if f.Today.IsZero() {
				return nil, false
			}
			since := f.Today.AddDays(-p.Window(f.BuyerTier))
			out = append(out, Condition{Code: CondReceivedSince, Facts: []string{m}, Date: since,
				set:  func(g *Facts) { g.ReceivedOn = since },
				flip: func(g *Facts) { g.ReceivedOn = since.AddDays(-1) }})
		case "ship_date", "shipped_on":
			c, ok := p.shipAssumption(f, has("ship_date"), has("shipped_on"))
			if !ok {
				return nil, false
			}
			if !slices.ContainsFunc(out, func(o Condition) bool { return o.Code == c.Code }) {
				out = append(out, c)
			}
		default:
			kind, ok := strings.CutPrefix(m, EvidencePrefix)
			if !ok {
				return nil, false // amounts, status, issue, today ...
			}
			out = append(out, Condition{Code: CondEvidence, Facts: []string{m}, Kind: kind,
				set: func(g *Facts) {
					if !slices.Contains(g.Evidence, kind) {
						g.Evidence = append(g.Evidence, kind)
					}
				},
				flip: func(g *Facts) {
					g.Evidence = slices.DeleteFunc(g.Evidence, func(k string) bool { return k == kind })
				}})
		}
	}
	return out, true
}

// shipAssumption assumes a late shipment (rule 10) from whichever of the agreed ship date and
// the shipping date is missing.
func (p *Policy) shipAssumption(f Facts, needShipDate, needShippedOn bool) (Condition, bool) {
	switch {
	case needShipDate && needShippedOn:
		base := f.Today
		if !f.ReceivedOn.IsZero() && (base.IsZero() || f.ReceivedOn.Before(base)) {
			base = f.ReceivedOn
		}
		if base.IsZero() {
			return Condition{}, false
		}
		return Condition{Code: CondShippedLate, Facts: []string{"ship_date", "shipped_on"},
			set:  func(g *Facts) { g.ShipDate, g.ShippedOn = base.AddDays(-2), base.AddDays(-1) },
			flip: func(g *Facts) { g.ShippedOn = g.ShipDate }}, true
	case needShipDate && !f.ShippedOn.IsZero():
		shipped := f.ShippedOn
		return Condition{Code: CondShipDateBefore, Facts: []string{"ship_date"}, Date: shipped,
			set:  func(g *Facts) { g.ShipDate = shipped.AddDays(-1) },
			flip: func(g *Facts) { g.ShipDate = shipped }}, true
	case needShipDate:
		if f.Today.IsZero() {
			return Condition{}, false
		}
		today := f.Today
		return Condition{Code: CondShipDatePassed, Facts: []string{"ship_date"}, Date: today,
			set:  func(g *Facts) { g.ShipDate = today.AddDays(-1) },
			flip: func(g *Facts) { g.ShipDate = today }}, true
	case needShippedOn && !f.ShipDate.IsZero():
		agreed := f.ShipDate
		return Condition{Code: CondShippedAfter, Facts: []string{"shipped_on"}, Date: agreed,
			set:  func(g *Facts) { g.ShippedOn = agreed.AddDays(1) },
			flip: func(g *Facts) { g.ShippedOn = agreed }}, true
	}
	return Condition{}, false
}
