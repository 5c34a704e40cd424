package assurance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Action is one move of the order state machine of POLICY.md section 2.
//
// Who may take an action follows the "who moves it on" column of section 2.
// Where the column is silent (in_dispute says "see section 5") the roles are
// taken from section 5 and the research, as noted on each constant. Two rules
// hold throughout:
//   - a moderator may do everything an agent may (moderators keep order in the
//     server), but never an action the table gives to the buyer alone: a
//     moderator who must act for a buyer uses ActionForce, which records a reason;
//   - RoleNone may do nothing; RoleSystem (the bot's timers) may do only the
//     automatic actions, and nothing else may do those.
type Action string

// The actions of POLICY.md section 2 (and section 5 for disputes).
const (
	// ActionConfirm: the supplier confirmed the order (agent). awaiting_confirmation → awaiting_payment.
	ActionConfirm Action = "confirm"
	// ActionCancel: buyer or agent cancels before any money moved.
	// awaiting_confirmation, awaiting_payment → cancelled.
	ActionCancel Action = "cancel"
	// ActionAutoCancelUnconfirmed: timer (AutoCancelUnconfirmedDays, 30 d). awaiting_confirmation → cancelled.
	ActionAutoCancelUnconfirmed Action = "auto_cancel_unconfirmed"
	// ActionAutoCancelUnpaid: timer (AutoCancelUnpaidDays, 60 d). awaiting_payment → cancelled.
	ActionAutoCancelUnpaid Action = "auto_cancel_unpaid"
	// ActionRecordPayment: the buyer paid the deposit, the total or the balance.
	// awaiting_payment, awaiting_balance → payment_processing.
	ActionRecordPayment Action = "record_payment"
	// ActionFundsArrived: the payment arrived (agent). payment_processing → awaiting_shipment when
	// the order is paid in full (Input.PaidInFull), else awaiting_balance.
	ActionFundsArrived Action = "funds_arrived"
	// ActionPaymentFailed: the payment did not arrive (agent). payment_processing → awaiting_payment,
	// or back to awaiting_balance when a deposit had already arrived (Input.DepositReceived; see Input).
	ActionPaymentFailed Action = "payment_failed"
	// ActionMarkShipped: the supplier shipped (agent; Input.Date required). awaiting_shipment → in_transit.
	ActionMarkShipped Action = "mark_shipped"
	// ActionConfirmReceipt: the buyer received the goods (Input.Date required). in_transit → received.
	ActionConfirmReceipt Action = "confirm_receipt"
	// ActionWindowEnd: timer at the end of the claim window (its length is the buyer tier's window,
	// not an OrderRules number). received → completed.
	ActionWindowEnd Action = "window_end"
	// ActionOpenDispute: the buyer opens a refund application. It needs money received, so it is
	// possible only from awaiting_balance, awaiting_shipment, in_transit and received; the order is
	// never in a dispute state when it opens, which keeps "at most one open dispute per order".
	ActionOpenDispute Action = "open_dispute"
	// ActionEscalate: the buyer escalates the application (section 5: from day 4; the dispute
	// clock, not this table, checks the day). in_dispute → dispute_escalated.
	ActionEscalate Action = "escalate"
	// ActionAutoEscalate: timer (section 5: day 8 of an unresolved application). in_dispute → dispute_escalated.
	ActionAutoEscalate Action = "auto_escalate"
	// ActionResolveRefund: a refund was agreed or decided (agent records it, as section 2 says for
	// dispute_escalated; the same holds during negotiation). in_dispute, dispute_escalated → refund_pending.
	ActionResolveRefund Action = "resolve_refund"
	// ActionResolveNoRefund: resolved without a refund (agent records it). Back to the state before the dispute.
	ActionResolveNoRefund Action = "resolve_no_refund"
	// ActionCancelDispute: the buyer withdraws the application (it cannot be reopened; the dispute
	// record, not this table, remembers that). Back to the state before the dispute.
	ActionCancelDispute Action = "cancel_dispute"
	// ActionCloseNoResponse: the application was closed for lack of response (agent records it; it
	// may be filed again inside the claim window). Back to the state before the dispute.
	ActionCloseNoResponse Action = "close_no_response"
	// ActionRefundFull: the full refund was paid out (agent). refund_pending → refunded.
	ActionRefundFull Action = "refund_full"
	// ActionRefundPartial: a partial refund was paid and the buyer keeps the goods (agent).
	// refund_pending → back to the state before the dispute.
	ActionRefundPartial Action = "refund_partial"
	// ActionForce: a moderator moves the order from any state to any other state. It needs a
	// written reason (Input.Reason), which the caller stores as the event's note.
	ActionForce Action = "force"
)

// Actions lists every action in table order. Do not modify it.
var Actions = []Action{
	ActionConfirm, ActionCancel, ActionAutoCancelUnconfirmed, ActionAutoCancelUnpaid,
	ActionRecordPayment, ActionFundsArrived, ActionPaymentFailed, ActionMarkShipped,
	ActionConfirmReceipt, ActionWindowEnd, ActionOpenDispute, ActionEscalate, ActionAutoEscalate,
	ActionResolveRefund, ActionResolveNoRefund, ActionCancelDispute, ActionCloseNoResponse,
	ActionRefundFull, ActionRefundPartial, ActionForce,
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { return slices.Contains(Actions, a) }

// Automatic reports whether a is fired by a timer (RoleSystem) rather than by a member.
func (a Action) Automatic() bool {
	switch a {
	case ActionAutoCancelUnconfirmed, ActionAutoCancelUnpaid, ActionWindowEnd, ActionAutoEscalate:
		return true
	}
	return false
}

// RoleSystem is the bot itself acting on a timer. No member ever has it.
const RoleSystem Role = "system"

// RefusalCode is a stable, machine-readable reason why a move or a change was
// refused; the bot's message catalog translates it for members.
type RefusalCode string

// Refusal codes shared by Transition, ChangePolicy and the change checks.
const (
	CodeUnknownState   RefusalCode = "unknown_state"        // the state code is not one of POLICY.md section 2
	CodeUnknownAction  RefusalCode = "unknown_action"       // the action is not one of Actions
	CodeWrongState     RefusalCode = "wrong_state"          // nobody may do this in the current state
	CodeWrongRole      RefusalCode = "wrong_role"           // someone may do this in this state, but not this role
	CodeDateRequired   RefusalCode = "date_required"        // the action or check needs a date
	CodeReasonRequired RefusalCode = "reason_required"      // a forced transition needs a written reason
	CodeInvalidTarget  RefusalCode = "invalid_target"       // a forced transition needs a known state other than the current one
	CodePriorRequired  RefusalCode = "prior_state_required" // returning from a dispute needs the state before it
)

// Input carries what some actions need besides the state, the action and the role.
type Input struct {
	// PaidInFull (ActionFundsArrived): the payments that have arrived cover the order total
	// (see CoversTotal). False means only a deposit has arrived.
	PaidInFull bool
	// DepositReceived (ActionPaymentFailed): an earlier payment, the deposit, had already arrived,
	// so the payment that failed was the balance. Section 2's table sends a failed payment to
	// awaiting_payment, which means "nothing paid"; that is right for the first payment but would
	// make an order whose deposit the supplier holds cancellable and impossible to dispute
	// (a dispute needs money received). So a failed balance payment returns to awaiting_balance,
	// where it was recorded; with DepositReceived false the table is followed as written.
	DepositReceived bool
	// Prior (dispute outcomes that go "back to the state before the dispute"): the state the order
	// was in when the dispute opened: awaiting_balance, awaiting_shipment, in_transit or received.
	Prior Status
	// Date (ActionMarkShipped: ship date; ActionConfirmReceipt: receipt date).
	Date Date
	// Target (ActionForce): the state the moderator moves the order to.
	Target Status
	// Reason (ActionForce): the moderator's written reason; must contain non-space text.
	Reason string
}

// TransitionError is a refused move. Code says why; use NextActions for the
// steps the member may take instead.
type TransitionError struct {
	From   Status
	Action Action
	Role   Role
	Code   RefusalCode
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("assurance: %s by %s in %s refused: %s", e.Action, e.Role, e.From, e.Code)
}

// ActionRule describes one action allowed in a state: who may take it and
// where it may lead.
type ActionRule struct {
	Action Action
	Roles  []Role
	To     []Status // every state the action can lead to from this state
}

// next says how a rule picks the state it leads to.
type next int

const (
	nextFixed  next = iota // rule.to
	nextFunded             // awaiting_shipment when paid in full, else awaiting_balance
	nextUnpaid             // awaiting_balance when a deposit had arrived, else awaiting_payment
	nextPrior              // the state before the dispute (Input.Prior)
	nextTarget             // the moderator's choice (Input.Target, with Input.Reason)
)

// rule is one line of the state table: action a may be taken from the states
// in from by the roles in roles.
type rule struct {
	action Action
	from   []Status
	roles  []Role
	to     Status
	next   next
	dated  bool // needs Input.Date
}

// Role groups and state groups used by the table. Never modified.
var (
	buyerOnly     = []Role{RoleBuyer}
	agentSide     = []Role{RoleAgent, RoleModerator}
	anyMember     = []Role{RoleBuyer, RoleAgent, RoleModerator}
	timerOnly     = []Role{RoleSystem}
	moderatorOnly = []Role{RoleModerator}

	// disputable are the states a dispute may open from (money received), and so
	// the only states a dispute may return to.
	disputable = []Status{AwaitingBalance, AwaitingShipment, InTransit, Received}
	disputes   = []Status{InDispute, DisputeEscalated}
)

// lifecycle is the state table of POLICY.md section 2. At most one rule per
// (state, action). Never modified.
var lifecycle = []rule{
	{action: ActionConfirm, from: []Status{AwaitingConfirmation}, roles: agentSide, to: AwaitingPayment},
	{action: ActionCancel, from: []Status{AwaitingConfirmation, AwaitingPayment}, roles: anyMember, to: Cancelled},
	{action: ActionAutoCancelUnconfirmed, from: []Status{AwaitingConfirmation}, roles: timerOnly, to: Cancelled},
	{action: ActionAutoCancelUnpaid, from: []Status{AwaitingPayment}, roles: timerOnly, to: Cancelled},
	{action: ActionRecordPayment, from: []Status{AwaitingPayment, AwaitingBalance}, roles: buyerOnly, to: PaymentProcessing},
	{action: ActionFundsArrived, from: []Status{PaymentProcessing}, roles: agentSide, next: nextFunded},
	{action: ActionPaymentFailed, from: []Status{PaymentProcessing}, roles: agentSide, next: nextUnpaid},
	{action: ActionMarkShipped, from: []Status{AwaitingShipment}, roles: agentSide, to: InTransit, dated: true},
	{action: ActionConfirmReceipt, from: []Status{InTransit}, roles: buyerOnly, to: Received, dated: true},
	{action: ActionWindowEnd, from: []Status{Received}, roles: timerOnly, to: Completed},
	{action: ActionOpenDispute, from: disputable, roles: buyerOnly, to: InDispute},
	{action: ActionEscalate, from: []Status{InDispute}, roles: buyerOnly, to: DisputeEscalated},
	{action: ActionAutoEscalate, from: []Status{InDispute}, roles: timerOnly, to: DisputeEscalated},
	{action: ActionResolveRefund, from: disputes, roles: agentSide, to: RefundPending},
	{action: ActionResolveNoRefund, from: disputes, roles: agentSide, next: nextPrior},
	{action: ActionCancelDispute, from: disputes, roles: buyerOnly, next: nextPrior},
	{action: ActionCloseNoResponse, from: disputes, roles: agentSide, next: nextPrior},
	{action: ActionRefundFull, from: []Status{RefundPending}, roles: agentSide, to: Refunded},
	{action: ActionRefundPartial, from: []Status{RefundPending}, roles: agentSide, next: nextPrior},
	{action: ActionForce, from: Statuses, roles: moderatorOnly, next: nextTarget},
}

// ruleFor returns the rule for action a in state from.
func ruleFor(from Status, a Action) (rule, bool) {
	for _, r := range lifecycle {
		if r.action == a && slices.Contains(r.from, from) {
			return r, true
		}
	}
	return rule{}, false
}

// Transition returns the state an order in state from moves to when a member
// with role takes action a. A refusal is a *TransitionError: CodeWrongState
// when no role may take a in from, CodeWrongRole when another role may, and
// CodeDateRequired, CodeReasonRequired, CodeInvalidTarget or
// CodePriorRequired when in lacks what the action needs. Roles are
// checked before in, so a member who may not act learns nothing about the
// input.
func Transition(from Status, a Action, role Role, in Input) (Status, error) {
	refuse := func(c RefusalCode) (Status, error) {
		return "", &TransitionError{From: from, Action: a, Role: role, Code: c}
	}
	switch {
	case !from.Valid():
		return refuse(CodeUnknownState)
	case !a.Valid():
		return refuse(CodeUnknownAction)
	}
	r, ok := ruleFor(from, a)
	if !ok {
		return refuse(CodeWrongState)
	}
	if !slices.Contains(r.roles, role) {
		return refuse(CodeWrongRole)
	}
	if r.dated && in.Date.IsZero() {
		return refuse(CodeDateRequired)
	}
	switch r.next {
	case nextFunded:
		if in.PaidInFull {
			return AwaitingShipment, nil
		}
		return AwaitingBalance, nil
	case nextUnpaid:
		if in.DepositReceived {
			return AwaitingBalance, nil
		}
		return AwaitingPayment, nil
	case nextPrior:
		if !slices.Contains(disputable, in.Prior) {
			return refuse(CodePriorRequired)
		}
		return in.Prior, nil
	case nextTarget:
		if !in.Target.Valid() || in.Target == from {
			return refuse(CodeInvalidTarget)
		}
		if strings.TrimSpace(in.Reason) == "" {
			return refuse(CodeReasonRequired)
		}
		return in.Target, nil
	}
	return r.to, nil
}

// NextActions lists, in the order of Actions, what a member with role may do
// in state from; it is empty when they may do nothing.
func NextActions(from Status, role Role) []Action {
	var out []Action
	for _, a := range Actions {
		if r, ok := ruleFor(from, a); ok && slices.Contains(r.roles, role) {
			out = append(out, a)
		}
	}
	return out
}

// ActionRules lists, in the order of Actions, every action allowed in state
// from, with the roles that may take it and the states it may lead to.
func ActionRules(from Status) []ActionRule {
	var out []ActionRule
	for _, a := range Actions {
		r, ok := ruleFor(from, a)
		if !ok {
			continue
		}
		var to []Status
		switch r.next {
		case nextFixed:
			to = []Status{r.to}
		case nextFunded:
			to = []Status{AwaitingBalance, AwaitingShipment}
		case nextUnpaid:
			to = []Status{AwaitingPayment, AwaitingBalance}
		case nextPrior:
			to = slices.Clone(disputable)
		case nextTarget:
			for _, s := range Statuses {
				if s != from {
					to = append(to, s)
				}
			}
		}
		out = append(out, ActionRule{Action: a, Roles: slices.Clone(r.roles), To: to})
	}
	return out
}

// AutoCancelTimer returns the auto-cancel timer that runs in state s and its
// length in days from r: ActionAutoCancelUnconfirmed in awaiting_confirmation
// (AutoCancelUnconfirmedDays) and ActionAutoCancelUnpaid in awaiting_payment
// (AutoCancelUnpaidDays). ok is false in every other state. The other timers
// take their lengths from elsewhere: ActionWindowEnd from the buyer tier's
// claim window, ActionAutoEscalate from the dispute clock.
func AutoCancelTimer(s Status, r OrderRules) (a Action, days int, ok bool) {
	switch s {
	case AwaitingConfirmation:
		return ActionAutoCancelUnconfirmed, r.AutoCancelUnconfirmedDays, true
	case AwaitingPayment:
		return ActionAutoCancelUnpaid, r.AutoCancelUnpaidDays, true
	}
	return "", 0, false
}

// CoversTotal reports whether paid, the sum of the payments that have
// arrived, covers total: the value of Input.PaidInFull for ActionFundsArrived.
func CoversTotal(paid, total decimal.Decimal) bool { return paid.GreaterThanOrEqual(total) }
