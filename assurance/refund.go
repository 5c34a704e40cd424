package assurance

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Computation shows how the maximum refund of POLICY.md section 3.1 was reached, for the
// "how it was computed" part of an answer.
type Computation struct {
	Currency string
	// Base is paid_total, or paid_before_shipment under pre_shipment coverage; BaseFrom is
	// LimitedByPaid or LimitedByDeposit accordingly.
	Base     decimal.Decimal
	BaseFrom string
	// TALimit is ta_limit_remaining when known. Cap = min(Base, TALimit); CapBy names which.
	TALimit *decimal.Decimal
	Cap     decimal.Decimal
	CapBy   string
	// Ask is claimed, or the pro-rata share of paid_total (rounded for display), or nil.
	// AskFrom is LimitedByClaimed, LimitedByProRata or "".
	Ask     *decimal.Decimal
	AskFrom string
	// AffectedQty and TotalQty are the quantities of a pro-rata ask, else 0.
	AffectedQty, TotalQty int64
	// Max is the maximum refund, rounded half away from zero to 2 decimals; LimitedBy names
	// what set it.
	Max       decimal.Decimal
	LimitedBy string
	// Steps spells the computation out, one line per step, for display.
	Steps []string
}

// Refund computes the maximum refund of POLICY.md section 3.1 for facts whose claim is
// eligible (the rules are not checked here). missing lists the absent amounts it needs:
// paid_total always, and paid_before_shipment under pre_shipment coverage.
//
//	base       = paid_before_shipment if coverage = pre_shipment, else paid_total
//	cap        = min(base, ta_limit_remaining)              (ta_limit_remaining when known)
//	ask        = claimed if given, else paid_total × affected_qty / total_qty when both
//	             quantities are given and the issue is a pro-rata issue, else none
//	max_refund = min(cap, ask) if ask, else cap; rounded half away from zero to 2 decimals
//
// limited_by names the figure that set max_refund. Ties: a later figure (ta_limit against
// the base, then the ask against the cap) takes over only when it is strictly smaller, so
// equal figures keep the earlier name: paid_total 500 with ta_limit_remaining 500 is "paid",
// and claimed 500 against a cap of 500 is "paid" (or "ta_limit"/"deposit"), not "claimed".
// The comparison with a pro-rata ask is exact (no rounding before comparing).
func (p *Policy) Refund(f Facts) (c Computation, missing []string) {
	pre := f.Coverage == CoveragePreShipment
	if f.PaidTotal == nil {
		missing = append(missing, "paid_total")
	}
	if pre && f.PaidBeforeShipment == nil {
		missing = append(missing, "paid_before_shipment")
	}
	if missing != nil {
		return Computation{}, missing
	}
	cur := f.currency()
	c.Currency = cur
	if pre {
		c.Base, c.BaseFrom = *f.PaidBeforeShipment, LimitedByDeposit
		c.Steps = append(c.Steps, "base = paid_before_shipment "+amount2(c.Base)+" (pre-shipment coverage)")
	} else {
		c.Base, c.BaseFrom = *f.PaidTotal, LimitedByPaid
		c.Steps = append(c.Steps, "base = paid_total "+amount2(c.Base))
	}
	c.Cap, c.CapBy = c.Base, c.BaseFrom
	if f.TALimitRemaining != nil {
		c.TALimit = f.TALimitRemaining
		if c.TALimit.LessThan(c.Base) {
			c.Cap, c.CapBy = *c.TALimit, LimitedByTALimit
		}
		c.Steps = append(c.Steps, fmt.Sprintf("cap = min(base %s, ta_limit_remaining %s) = %s",
			amount2(c.Base), amount2(*c.TALimit), amount2(c.Cap)))
	} else {
		c.Steps = append(c.Steps, "cap = base "+amount2(c.Cap)+" (no remaining TA limit given)")
	}

	c.Max, c.LimitedBy = c.Cap.Round(2), c.CapBy
	is := p.issue(f.Issue)
	switch {
	case f.Claimed != nil:
		ask := *f.Claimed
		c.Ask, c.AskFrom = &ask, LimitedByClaimed
		c.Steps = append(c.Steps, "ask = claimed "+amount2(ask))
		if ask.LessThan(c.Cap) {
			c.Max, c.LimitedBy = ask.Round(2), LimitedByClaimed
		}
	case is != nil && is.ProRata && f.AffectedQty != nil && f.TotalQty != nil:
		c.AffectedQty, c.TotalQty = *f.AffectedQty, *f.TotalQty
		num := f.PaidTotal.Mul(decimal.NewFromInt(c.AffectedQty))
		den := decimal.NewFromInt(c.TotalQty)
		ask := divRound2(num, den)
		c.Ask, c.AskFrom = &ask, LimitedByProRata
		c.Steps = append(c.Steps, fmt.Sprintf("ask = paid_total × affected_qty / total_qty = %s × %s / %s = %s",
			amount2(*f.PaidTotal), groupDigits(strconv.FormatInt(c.AffectedQty, 10)),
			groupDigits(strconv.FormatInt(c.TotalQty, 10)), amount2(ask)))
		if num.LessThan(c.Cap.Mul(den)) { // num/den < cap, exactly
			c.Max, c.LimitedBy = ask, LimitedByProRata
		}
	}
	if c.Ask != nil {
		c.Steps = append(c.Steps, fmt.Sprintf("max_refund = min(cap %s, ask %s) = %s %s",
			amount2(c.Cap), amount2(*c.Ask), amount2(c.Max), cur))
	} else {
		c.Steps = append(c.Steps, fmt.Sprintf("max_refund = cap = %s %s", amount2(c.Max), cur))
	}
	return c, nil
}

// divRound2 returns num/den rounded half away from zero to 2 decimals, exactly, for a
// non-negative num and a positive den.
func divRound2(num, den decimal.Decimal) decimal.Decimal {
	q, r := num.QuoRem(den, 2) // num = den×q + r, 0 <= r < den/100
	if r.Shift(2).Mul(decimal.NewFromInt(2)).GreaterThanOrEqual(den) {
		q = q.Add(decimal.New(1, -2))
	}
	return q
}

// amount2 formats d with 2 decimals and thousands separators: "12,000.00".
func amount2(d decimal.Decimal) string {
	s := d.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	out := groupDigits(intPart) + "." + frac
	if neg {
		return "-" + out
	}
	return out
}

// groupDigits inserts thousands separators into a string of digits.
func groupDigits(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
