package assurance

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Result is the answer of the eligibility rules (POLICY.md section 3) to a set of facts.
type Result struct {
	Verdict string // VerdictEligible, VerdictNotEligible, VerdictNotYet, VerdictNeedsInfo (or VerdictInvalid)
	Reason  string // a Reason* code
	// Rule is the number (1-17) of the rule of section 3 that decided or stopped; 0 for
	// VerdictInvalid.
	Rule int
	// MaxRefund, LimitedBy and Computation are set for eligible results only.
	MaxRefund   *decimal.Decimal
	LimitedBy   string
	Computation *Computation
	// Currency is the facts' currency (default USD).
	Currency string
	// Deadline is the last day to claim (received_on + the tier's window, inclusive),
	// whenever received_on is known; otherwise zero.
	Deadline Date
	// Missing names the absent facts the stopping rule needs, by their JSON names
	// ("evidence:photos" for evidence); empty, never nil, unless the verdict is needs_info.
	Missing []string
	// Advice is the machine-readable next step of the reason (Policy.Reasons), and
	// AdviceDate the day it refers to, if any: from when a late-shipment claim is possible
	// (SHIP_DATE_NOT_PASSED, NOT_YET_SHIPPED) or the claim deadline (eligible).
	Advice     string
	AdviceDate Date
	// Explanation is the plain-English answer.
	Explanation string
	// Err is the validation error of VerdictInvalid results.
	Err *FieldError
}

// Evaluate applies the rules of POLICY.md section 3, in order; the first rule that decides
// wins, and a rule that needs an absent fact stops with needs_info naming it. f.Today must be
// set for the rules that read it (see WithToday and EvaluateAt); when it is zero and a rule
// needs it, the result asks for "today". Facts that fail Validate give VerdictInvalid.
//
// Asking the member for each name in Missing (see SetFact) and evaluating again converges:
// once the named facts are present, the stopping rule decides or passes, so each round moves
// on to a later rule or ends with a verdict.
func (p *Policy) Evaluate(f Facts) Result {
	if fe := f.Validate(p); fe != nil {
		return Result{
			Verdict: VerdictInvalid, Reason: ReasonInvalidFacts, Currency: f.currency(),
			Missing: []string{}, Explanation: "Invalid facts: " + fe.Error(), Err: fe,
		}
	}
	return p.evaluate(f)
}

// EvaluateAt is Evaluate with Today defaulting to the UTC date of now.
func (p *Policy) EvaluateAt(f Facts, now time.Time) Result {
	return p.Evaluate(f.WithToday(DateOf(now)))
}

// evaluate runs the rules on validated facts.
func (p *Policy) evaluate(f Facts) Result {
	r := p.decide(f)
	r.Currency = f.currency()
	window := p.Window(f.BuyerTier)
	if !f.ReceivedOn.IsZero() {
		r.Deadline = f.ReceivedOn.AddDays(window)
	}
	if r.Verdict == VerdictEligible {
		c, missing := p.Refund(f)
		if missing != nil {
			r.Verdict, r.Reason, r.Missing = VerdictNeedsInfo, ReasonMissingFacts, missing
		} else {
			r.MaxRefund, r.LimitedBy, r.Computation = &c.Max, c.LimitedBy, &c
		}
	}
	if r.Missing == nil {
		r.Missing = []string{}
	}
	r.Advice = p.Reasons[r.Reason].Advice
	switch {
	case r.Reason == ReasonShipDateNotPassed, r.Reason == ReasonNotYetShipped && !f.ShipDate.IsZero():
		r.AdviceDate = f.ShipDate.AddDays(1)
	case r.Verdict == VerdictEligible:
		r.AdviceDate = r.Deadline
	}
	r.Explanation = p.explain(f, &r, window)
	return r
}

// decide returns Verdict, Reason, Rule and Missing of the first rule that decides or stops.
func (p *Policy) decide(f Facts) Result {
	need := func(rule int, names ...string) Result {
		return Result{Verdict: VerdictNeedsInfo, Reason: ReasonMissingFacts, Rule: rule, Missing: names}
	}
	is := func(rule int, verdict, reason string) Result {
		return Result{Verdict: verdict, Reason: reason, Rule: rule}
	}
	st := f.Status

	// 1-2: closed orders and open disputes.
	if st == "" {
		return need(1, "status")
	}
	switch st {
	case Refunded, Cancelled:
		return is(1, VerdictNotEligible, ReasonOrderClosed)
	case InDispute, DisputeEscalated, RefundPending:
		return is(2, VerdictNotEligible, ReasonDisputeOpen)
	}

	// 3: a Trade Assurance supplier and an on-platform payment. One known false decides
	// even when the other is absent.
	if isFalse(f.SupplierTA) || isFalse(f.PaidOnPlatform) {
		return is(3, VerdictNotEligible, ReasonOffPlatformPayment)
	}
	var miss []string
	if f.SupplierTA == nil {
		miss = append(miss, "supplier_ta")
	}
	if f.PaidOnPlatform == nil {
		miss = append(miss, "paid_on_platform")
	}
	if miss != nil {
		return need(3, miss...)
	}

	// 4-5: nothing paid, or the payment still on its way.
	switch st {
	case AwaitingConfirmation, AwaitingPayment:
		return is(4, VerdictNotEligible, ReasonNotPaid)
	case PaymentProcessing:
		return is(5, VerdictNotYet, ReasonPaymentPending)
	}

	// 6-8: what the issue is, whether it was accepted, and what the coverage protects.
	issue := p.issue(f.Issue)
	if issue == nil {
		return need(6, "issue")
	}
	if issue.Excluded {
		return is(6, VerdictNotEligible, ReasonExcludedIssue)
	}
	if isTrue(f.AcceptedInWriting) {
		return is(7, VerdictNotEligible, ReasonAcceptedBreach)
	}
	if f.Coverage == CoveragePreShipment && !issue.PreShipmentCovered {
		return is(8, VerdictNotEligible, ReasonPreShipmentOnly)
	}

	// 9: the claim window after receipt. The last day is received_on + window, inclusive.
	if st == Received || st == Completed {
		miss = nil
		if f.ReceivedOn.IsZero() {
			miss = append(miss, "received_on")
		}
		if f.Today.IsZero() {
			miss = append(miss, "today")
		}
		if miss != nil {
			return need(9, miss...)
		}
		if f.ReceivedOn.DaysUntil(f.Today) > p.Window(f.BuyerTier) {
			return is(9, VerdictNotEligible, ReasonWindowExpired)
		}
	}

	// 10: late shipment, decided by the agreed ship date.
	beforeShipment := st == AwaitingBalance || st == AwaitingShipment
	if issue.LateShipment {
		miss = nil
		if f.ShipDate.IsZero() {
			miss = append(miss, "ship_date")
		}
		switch {
		case !f.ShippedOn.IsZero():
		case beforeShipment:
			if f.Today.IsZero() {
				miss = append(miss, "today")
			}
		default:
			miss = append(miss, "shipped_on")
		}
		if miss != nil {
			return need(10, miss...)
		}
		if !f.ShippedOn.IsZero() {
			if f.ShippedOn.After(f.ShipDate) {
				return is(10, VerdictEligible, ReasonLateShipment)
			}
			return is(10, VerdictNotEligible, ReasonShippedOnTime)
		}
		if f.Today.After(f.ShipDate) {
			return is(10, VerdictEligible, ReasonLateShipment)
		}
		return is(10, VerdictNotYet, ReasonShipDateNotPassed)
	}

	// 11-12: too early for goods problems, or for missing goods.
	if issue.NotYetBeforeReceipt && (beforeShipment || st == InTransit) {
		return is(11, VerdictNotYet, ReasonNotYetReceived)
	}
	if issue.NotYetBeforeShipment && beforeShipment {
		return is(12, VerdictNotYet, ReasonNotYetShipped)
	}

	// 13-14: conformity is judged against the written order and the inspection.
	if issue.SpecInOrder {
		if f.SpecInOrder == nil {
			return need(13, "spec_in_order")
		}
		if !*f.SpecInOrder {
			return is(13, VerdictNotEligible, ReasonSpecNotInContract)
		}
	}
	if issue.Inspection && f.InspectionResult == InspectionPass {
		return is(14, VerdictNotEligible, ReasonInspectionConforms)
	}

	// 15: transit loss or damage at the buyer's risk.
	if issue.Transit {
		if f.TransitRisk == "" {
			return need(15, "transit_risk")
		}
		if f.TransitRisk == RiskBuyer {
			return is(15, VerdictNotEligible, ReasonBuyerTransitRisk)
		}
	}

	// 16: the evidence the issue needs.
	miss = nil
	for _, k := range issue.Evidence {
		if !slices.Contains(f.Evidence, k) {
			miss = append(miss, EvidencePrefix+k)
		}
	}
	if miss != nil {
		r := need(16, miss...)
		r.Reason = ReasonEvidenceMissing
		return r
	}

	// 17.
	return is(17, VerdictEligible, ReasonContractBreach)
}

// explain fills the reason's template.
func (p *Policy) explain(f Facts, r *Result, window int) string {
	value := func(key string) string {
		switch key {
		case "issue":
			if is := p.issue(f.Issue); is != nil {
				return is.Label
			}
			return f.Issue
		case "status":
			return strings.ReplaceAll(string(f.Status), "_", " ")
		case "window_days":
			return strconv.Itoa(window)
		case "received_on":
			return f.ReceivedOn.String()
		case "deadline":
			return r.Deadline.String()
		case "ship_date":
			return f.ShipDate.String()
		case "shipped_on":
			return f.ShippedOn.String()
		case "next_day":
			if f.ShipDate.IsZero() {
				return ""
			}
			return f.ShipDate.AddDays(1).String()
		case "today":
			return f.Today.String()
		case "max_refund":
			if r.MaxRefund == nil {
				return ""
			}
			return amount2(*r.MaxRefund) + " " + r.Currency
		case "limited_by":
			return p.LimitedByTexts[r.LimitedBy]
		case "computation":
			if r.Computation == nil {
				return ""
			}
			return strings.Join(r.Computation.Steps, "; ")
		case "missing":
			names := make([]string, len(r.Missing))
			for i, m := range r.Missing {
				names[i] = strings.TrimPrefix(m, EvidencePrefix)
			}
			return strings.Join(names, ", ")
		}
		return ""
	}
	s := expand(p.Reasons[r.Reason].Text, value)
	if !r.Deadline.IsZero() && r.Verdict != VerdictNotEligible {
		s += " " + expand(p.DeadlineText, value)
	}
	return s
}

// resultWire is the JSON contract of POLICY.md section 3.2, in its key order.
type resultWire struct {
	Verdict     string   `json:"verdict"`
	Reason      string   `json:"reason"`
	MaxRefund   string   `json:"max_refund,omitempty"`
	Currency    string   `json:"currency"`
	LimitedBy   string   `json:"limited_by,omitempty"`
	Deadline    string   `json:"deadline,omitempty"`
	Missing     []string `json:"missing"`
	Explanation string   `json:"explanation"`
}

// errorWire is the error line of POLICY.md section 3.2.
type errorWire struct {
	Error string `json:"error"`
	Field string `json:"field"`
}

// JSON renders r as the JSON object of POLICY.md section 3.2: verdict, reason, max_refund
// (2 decimals) and limited_by for eligible results only, currency, deadline when known,
// missing (always, [] when empty) and explanation. A VerdictInvalid result renders as the
// error object {"error": ..., "field": ...}.
func (r Result) JSON() ([]byte, error) {
	if r.Verdict == VerdictInvalid && r.Err != nil {
		return json.Marshal(errorWire{Error: r.Err.Message, Field: r.Err.Field})
	}
	w := resultWire{
		Verdict: r.Verdict, Reason: r.Reason, Currency: r.Currency, Deadline: r.Deadline.String(),
		Missing: r.Missing, Explanation: r.Explanation,
	}
	if w.Missing == nil {
		w.Missing = []string{}
	}
	if r.Verdict == VerdictEligible && r.MaxRefund != nil {
		w.MaxRefund = r.MaxRefund.StringFixed(2)
		w.LimitedBy = r.LimitedBy
	}
	return json.Marshal(w)
}

func isTrue(b *bool) bool  { return b != nil && *b }
func isFalse(b *bool) bool { return b != nil && !*b }
