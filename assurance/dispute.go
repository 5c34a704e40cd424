package assurance

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
)

// Stage is the stage of a refund application (POLICY.md section 5):
// negotiation → (escalated) → resolved_refund | resolved_no_refund | cancelled_by_buyer | closed_no_response.
type Stage string

// The stages of POLICY.md section 5.
const (
	StageNegotiation      Stage = "negotiation"
	StageEscalated        Stage = "escalated"
	StageResolvedRefund   Stage = "resolved_refund"
	StageResolvedNoRefund Stage = "resolved_no_refund"
	StageCancelledByBuyer Stage = "cancelled_by_buyer"
	StageClosedNoResponse Stage = "closed_no_response"
)

// Open reports whether an application at stage s is still being negotiated or decided.
func (s Stage) Open() bool { return s == StageNegotiation || s == StageEscalated }

// Refileable reports whether the same issue may be filed again on the order after an application
// ended at s. POLICY.md section 5: a buyer-cancelled application cannot be reopened, one closed for
// no response may be filed again inside the claim window (the eligibility rules check the window);
// a decided application (with or without refund) stands, so it is not filed again either.
// A different issue of the same order may always be filed.
func (s Stage) Refileable() bool { return s == StageClosedNoResponse }

// DisputeMove is a change recorded on a dispute: one of the stages of POLICY.md section 5, or
// "supplier_responded" (the stage stays negotiation) and "refund_paid" (the agreed refund was paid
// out, which moves the order on from refund_pending).
type DisputeMove string

// The moves of /dispute update, and the buyer's cancellation.
const (
	MoveSupplierResponded DisputeMove = "supplier_responded"
	MoveEscalate          DisputeMove = "escalated"
	MoveResolveRefund     DisputeMove = "resolved_refund"
	MoveResolveNoRefund   DisputeMove = "resolved_no_refund"
	MoveCloseNoResponse   DisputeMove = "closed_no_response"
	MoveRefundPaid        DisputeMove = "refund_paid"
	MoveCancel            DisputeMove = "cancelled_by_buyer"
	// MoveAutoEscalate is the bot's own move (RoleSystem) on the clock's AutoEscalation day; it is not
	// in DisputeMoves, which members choose from.
	MoveAutoEscalate DisputeMove = "auto_escalated"
)

// Dispute reports whether a is one of the moves of a dispute (section 5): opening it, and every step
// from in_dispute, dispute_escalated and refund_pending except a moderator's forced move.
func (a Action) Dispute() bool {
	switch a {
	case ActionOpenDispute, ActionEscalate, ActionAutoEscalate, ActionResolveRefund, ActionResolveNoRefund,
		ActionCancelDispute, ActionCloseNoResponse, ActionRefundFull, ActionRefundPartial:
		return true
	}
	return false
}

// DisputeMoves lists the moves in the order a dispute usually takes them.
var DisputeMoves = []DisputeMove{
	MoveSupplierResponded, MoveEscalate, MoveResolveRefund, MoveResolveNoRefund,
	MoveCloseNoResponse, MoveRefundPaid, MoveCancel,
}

// Refusal codes of PlanDisputeMove besides those of Transition.
const (
	CodeTooEarly       RefusalCode = "too_early"       // escalation before the clock allows it (MoveError.Date)
	CodeAmountRequired RefusalCode = "amount_required" // a refund needs its amount
	CodeAmountTooHigh  RefusalCode = "amount_too_high" // a refund cannot exceed what was paid
	CodeNotNegotiating RefusalCode = "not_negotiating" // the supplier's answer belongs to the negotiation
)

// MoveError is a refused dispute move that Transition does not cover.
type MoveError struct {
	Move DisputeMove
	Code RefusalCode
	Date Date // CodeTooEarly: the first day the move is possible
}

func (e *MoveError) Error() string {
	return fmt.Sprintf("assurance: dispute move %s refused: %s", e.Move, e.Code)
}

// DisputeState is what PlanDisputeMove needs to know about a dispute and its order.
type DisputeState struct {
	Status Status           // the order's state
	Prior  Status           // the order's state before the dispute
	Stage  Stage            // the dispute's stage
	Opened Date             // the day the application was opened
	Paid   decimal.Decimal  // what the buyer paid on the order: no refund exceeds it
	Agreed *decimal.Decimal // the refund agreed at resolved_refund (for refund_paid)
}

// DisputePlan is what an allowed move does.
type DisputePlan struct {
	Action Action // the order's action; "" when the order stays where it is
	To     Status // the order's state afterwards
	Stage  Stage  // the dispute's stage afterwards
	Ends   bool   // the order leaves the dispute states: the dispute is over
}

// PlanDisputeMove decides whether a member with role may record move on a dispute today, and what
// it does to the order and the dispute. The order's side follows Transition (who may do what,
// in which state); on top of it:
//   - supplier_responded: buyer, agent or moderator, during the negotiation only; nothing moves;
//   - escalated: the buyer, from the clock's EscalationFrom day (CodeTooEarly with that date);
//   - resolved_refund: amount required (CodeAmountRequired), positive and at most Paid (CodeAmountTooHigh);
//   - refund_paid: refunded when the agreed refund covers everything paid (ActionRefundFull), else
//     back to the state before the dispute with the goods kept (ActionRefundPartial);
//   - resolved_no_refund, closed_no_response, cancelled_by_buyer: back to the state before the dispute.
func (p *Policy) PlanDisputeMove(move DisputeMove, role Role, st DisputeState, today Date, amount *decimal.Decimal) (DisputePlan, error) {
	refuse := func(c RefusalCode, d Date) (DisputePlan, error) {
		return DisputePlan{}, &MoveError{Move: move, Code: c, Date: d}
	}
	var a Action
	plan := DisputePlan{Stage: st.Stage}
	switch move {
	case MoveSupplierResponded:
		if !slices.Contains(anyMember, role) {
			return DisputePlan{}, &TransitionError{From: st.Status, Action: Action(move), Role: role, Code: CodeWrongRole}
		}
		if st.Status != InDispute {
			return refuse(CodeNotNegotiating, Date{})
		}
		plan.To = st.Status
		return plan, nil
	case MoveEscalate:
		a, plan.Stage = ActionEscalate, StageEscalated
	case MoveAutoEscalate:
		a, plan.Stage = ActionAutoEscalate, StageEscalated
	case MoveResolveRefund:
		a, plan.Stage = ActionResolveRefund, StageResolvedRefund
	case MoveResolveNoRefund:
		a, plan.Stage, plan.Ends = ActionResolveNoRefund, StageResolvedNoRefund, true
	case MoveCloseNoResponse:
		a, plan.Stage, plan.Ends = ActionCloseNoResponse, StageClosedNoResponse, true
	case MoveCancel:
		a, plan.Stage, plan.Ends = ActionCancelDispute, StageCancelledByBuyer, true
	case MoveRefundPaid:
		a, plan.Ends = ActionRefundPartial, true
		if st.Agreed != nil && st.Agreed.GreaterThanOrEqual(st.Paid) {
			a = ActionRefundFull
		}
	default:
		return DisputePlan{}, &TransitionError{From: st.Status, Action: Action(move), Role: role, Code: CodeUnknownAction}
	}
	to, err := Transition(st.Status, a, role, Input{Prior: st.Prior})
	if err != nil {
		return DisputePlan{}, err
	}
	switch move {
	case MoveEscalate:
		if from := p.DisputeClock(st.Opened).EscalationFrom; today.Before(from) {
			return refuse(CodeTooEarly, from)
		}
	case MoveAutoEscalate:
		if from := p.DisputeClock(st.Opened).AutoEscalation; today.Before(from) {
			return refuse(CodeTooEarly, from)
		}
	case MoveResolveRefund:
		switch {
		case amount == nil || !amount.IsPositive():
			return refuse(CodeAmountRequired, Date{})
		case amount.GreaterThan(st.Paid):
			return refuse(CodeAmountTooHigh, Date{})
		}
	}
	plan.Action, plan.To = a, to
	return plan, nil
}
