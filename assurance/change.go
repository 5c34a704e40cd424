package assurance

import (
	"fmt"
	"slices"
	"time"
)

// ChangeField is an order term a change may touch (POLICY.md section 2.1).
type ChangeField string

// The order terms of POLICY.md section 2.2 that a change may touch.
const (
	TermShipDate      ChangeField = "ship_date"
	TermQuantity      ChangeField = "quantity"
	TermSpecs         ChangeField = "specs" // the spec checklist: design files, quality, packaging, customisation
	TermAddress       ChangeField = "address"
	TermTotal         ChangeField = "total"
	TermCurrency      ChangeField = "currency"
	TermSupplier      ChangeField = "supplier"
	TermDeposit       ChangeField = "deposit"
	TermPaymentMethod ChangeField = "payment_method"
	TermCoverage      ChangeField = "coverage"
	TermIncoterm      ChangeField = "incoterm"
	TermBuyer         ChangeField = "buyer" // who the order's buyer is
)

// ChangeFields lists every term. Do not modify it.
var ChangeFields = []ChangeField{
	TermShipDate, TermQuantity, TermSpecs, TermAddress, TermTotal, TermCurrency,
	TermSupplier, TermDeposit, TermPaymentMethod, TermCoverage, TermIncoterm, TermBuyer,
}

// Valid reports whether f is a known term.
func (f ChangeField) Valid() bool { return slices.Contains(ChangeFields, f) }

// ChangeMode says how a change applies.
type ChangeMode string

// The ways a change applies (POLICY.md section 2.1).
const (
	// ChangeDirect: the change applies at once (an agent before payment).
	ChangeDirect ChangeMode = "direct"
	// ChangeNeedsAgent: the buyer's request is pending until an agent accepts or rejects it.
	ChangeNeedsAgent ChangeMode = "needs_agent"
	// ChangeNeedsBoth: the request applies once the buyer and an agent have both agreed;
	// the requester's side has agreed by asking, the other side must accept.
	ChangeNeedsBoth ChangeMode = "needs_both"
	// ChangeRefused: the change may not be made; it comes with a *ChangeError.
	ChangeRefused ChangeMode = "refused"
)

// Refusal codes of the change rules (besides CodeUnknownState, CodeWrongState,
// CodeWrongRole and CodeDateRequired).
const (
	CodeUnknownField       RefusalCode = "unknown_field"        // the term is not one of ChangeFields
	CodeFieldNotChangeable RefusalCode = "field_not_changeable" // nobody may change this term in this state
	CodeTotalFrozen        RefusalCode = "total_frozen"         // total and currency are frozen once a payment is recorded
	CodeWaitForPayment     RefusalCode = "wait_for_payment"     // payment_processing: wait until the payment arrives
	CodeAfterShipment      RefusalCode = "after_shipment"       // in_transit, received: nothing changes after shipment
	CodeDisputeOpen        RefusalCode = "dispute_open"         // in_dispute, dispute_escalated, refund_pending
	CodeOrderClosed        RefusalCode = "order_closed"         // completed, refunded, cancelled
	CodeShipDateCap        RefusalCode = "ship_date_cap"        // the ship date would move too far past the first agreed one
	CodeAlreadyExtended    RefusalCode = "already_extended"     // this side already extended the receipt deadline
)

// ChangeError is a refused change. Field is empty for a refused receipt
// deadline extension, Status and Role are empty for the ship-date check.
type ChangeError struct {
	Status Status
	Role   Role
	Field  ChangeField
	Code   RefusalCode
}

func (e *ChangeError) Error() string {
	what := "change of " + string(e.Field)
	if e.Field == "" {
		what = "receipt deadline extension"
	}
	return fmt.Sprintf("assurance: %s by %s in %s refused: %s", what, e.Role, e.Status, e.Code)
}

// Term groups used by the change table. Never modified.
var (
	// termsButBuyer is every term except the buyer's identity.
	termsButBuyer = []ChangeField{
		TermShipDate, TermQuantity, TermSpecs, TermAddress, TermTotal, TermCurrency,
		TermSupplier, TermDeposit, TermPaymentMethod, TermCoverage, TermIncoterm,
	}
	// afterPaymentTerms may change once money has arrived, with both sides' agreement.
	afterPaymentTerms = []ChangeField{TermShipDate, TermQuantity, TermSpecs, TermAddress}
	// frozenTerms are frozen once any payment is recorded.
	frozenTerms = []ChangeField{TermTotal, TermCurrency}
)

// changeRow is one line of the table of POLICY.md section 2.1.
type changeRow struct {
	refuse     RefusalCode   // set when nothing may change in the state
	paid       bool          // a payment has always been recorded in the state
	buyer      ChangeMode    // how a buyer's change applies
	buyerTerms []ChangeField // the terms a buyer may change
	agent      ChangeMode    // how an agent's (or moderator's) change applies
	agentTerms []ChangeField // the terms an agent may change
}

// changeTable is POLICY.md section 2.1 by state. Never modified.
//
// The buyer's identity may be edited only by an agent in awaiting_confirmation;
// a buyer may not request it (another member would take over their order).
var changeTable = map[Status]changeRow{
	AwaitingConfirmation: {buyer: ChangeNeedsAgent, buyerTerms: termsButBuyer, agent: ChangeDirect, agentTerms: ChangeFields},
	AwaitingPayment:      {buyer: ChangeNeedsAgent, buyerTerms: termsButBuyer, agent: ChangeDirect, agentTerms: termsButBuyer},
	PaymentProcessing:    {refuse: CodeWaitForPayment},
	AwaitingBalance:      {paid: true, buyer: ChangeNeedsBoth, buyerTerms: afterPaymentTerms, agent: ChangeNeedsBoth, agentTerms: afterPaymentTerms},
	AwaitingShipment:     {paid: true, buyer: ChangeNeedsBoth, buyerTerms: afterPaymentTerms, agent: ChangeNeedsBoth, agentTerms: afterPaymentTerms},
	InTransit:            {refuse: CodeAfterShipment},
	Received:             {refuse: CodeAfterShipment},
	InDispute:            {refuse: CodeDisputeOpen},
	DisputeEscalated:     {refuse: CodeDisputeOpen},
	RefundPending:        {refuse: CodeDisputeOpen},
	Completed:            {refuse: CodeOrderClosed},
	Refunded:             {refuse: CodeOrderClosed},
	Cancelled:            {refuse: CodeOrderClosed},
}

// ChangePolicy says how a change of field by a member with role applies to an
// order in status. paymentRecorded is true once any payment has been recorded
// on the order (ActionRecordPayment), even one that later failed: POLICY.md
// freezes the total "once any payment is recorded". Moderators change terms as
// agents do; RoleNone and RoleSystem change nothing.
//
// A refusal returns ChangeRefused and a *ChangeError whose code is, in this
// order of checks: CodeUnknownState or CodeUnknownField; the state's own code
// when nothing may change in it (CodeWaitForPayment, CodeAfterShipment,
// CodeDisputeOpen, CodeOrderClosed); CodeTotalFrozen for total and currency
// after a payment; CodeFieldNotChangeable when no role may change field in
// status; CodeWrongRole when another role may.
//
// A ship-date change in ChangeNeedsBoth mode must also pass CheckShipDateShift.
func ChangePolicy(status Status, role Role, field ChangeField, paymentRecorded bool) (ChangeMode, error) {
	refuse := func(c RefusalCode) (ChangeMode, error) {
		return ChangeRefused, &ChangeError{Status: status, Role: role, Field: field, Code: c}
	}
	row, ok := changeTable[status]
	switch {
	case !ok:
		return refuse(CodeUnknownState)
	case !field.Valid():
		return refuse(CodeUnknownField)
	case row.refuse != "":
		return refuse(row.refuse)
	case (row.paid || paymentRecorded) && slices.Contains(frozenTerms, field):
		return refuse(CodeTotalFrozen)
	case !slices.Contains(row.buyerTerms, field) && !slices.Contains(row.agentTerms, field):
		return refuse(CodeFieldNotChangeable)
	}
	side, _ := SideOf(role)
	switch {
	case side == SideBuyer && slices.Contains(row.buyerTerms, field):
		return row.buyer, nil
	case side == SideAgent && slices.Contains(row.agentTerms, field):
		return row.agent, nil
	}
	return refuse(CodeWrongRole)
}

// LatestShipDate is the latest ship date a change may set: maxDays
// (OrderRules.ShipDateMaxShiftDays) after the first agreed ship date.
func LatestShipDate(firstAgreed Date, maxDays int) Date { return firstAgreed.AddDays(maxDays) }

// CheckShipDateShift checks a proposed ship date against the cap of POLICY.md
// section 2.1: at most maxDays past the first agreed ship date in total, so
// earlier moves count against the same budget. firstAgreed is the ship date
// in force when the first payment was recorded (before that the agent edits
// terms freely); later moves never reset it. Moving the date earlier is always
// within the cap. The refusal is a *ChangeError with Field TermShipDate and
// code CodeShipDateCap (see LatestShipDate), or CodeDateRequired for a zero date.
func CheckShipDateShift(firstAgreed, proposed Date, maxDays int) error {
	switch {
	case firstAgreed.IsZero() || proposed.IsZero():
		return &ChangeError{Field: TermShipDate, Code: CodeDateRequired}
	case proposed.After(LatestShipDate(firstAgreed, maxDays)):
		return &ChangeError{Field: TermShipDate, Code: CodeShipDateCap}
	}
	return nil
}

// ChangeExpiry is when a pending change request made at requestedAt expires:
// days (OrderRules.ChangeRequestExpiryDays) of 24 hours later.
func ChangeExpiry(requestedAt time.Time, days int) time.Time {
	return requestedAt.Add(time.Duration(days) * 24 * time.Hour)
}

// ChangeExpired reports whether a request made at requestedAt has expired at
// now: from ChangeExpiry on, the request is void and the order stays as it was.
func ChangeExpired(requestedAt, now time.Time, days int) bool {
	return !now.Before(ChangeExpiry(requestedAt, days))
}

// Side is one of the two parties to an order's terms: the buyer, or the
// agents' side, on which moderators stand.
type Side string

// The two sides.
const (
	SideBuyer Side = "buyer"
	SideAgent Side = "agent"
)

// SideOf returns the side a role acts for: buyers for SideBuyer, agents and
// moderators for SideAgent. ok is false for RoleNone, RoleSystem and unknown roles.
func SideOf(r Role) (s Side, ok bool) {
	switch r {
	case RoleBuyer:
		return SideBuyer, true
	case RoleAgent, RoleModerator:
		return SideAgent, true
	}
	return "", false
}

// CanDecide reports whether a member with deciderRole may accept or reject a
// pending request made by a member with requesterRole in the given mode:
//   - ChangeNeedsAgent (a buyer's request before payment): an agent or moderator;
//   - ChangeNeedsBoth: the other side: an agent or moderator when the buyer
//     asked, the buyer when an agent or moderator asked;
//   - ChangeDirect and ChangeRefused have nothing to decide.
//
// The requester never decides their own request, but may always withdraw it
// while it is pending (withdrawing, like a rejection, leaves the order as it
// was); the caller checks that identity. Before applying an accepted request
// the caller runs ChangePolicy again with the order's current state.
func CanDecide(mode ChangeMode, requesterRole, deciderRole Role, deciderIsRequester bool) bool {
	if deciderIsRequester {
		return false
	}
	req, ok1 := SideOf(requesterRole)
	dec, ok2 := SideOf(deciderRole)
	if !ok1 || !ok2 {
		return false
	}
	switch mode {
	case ChangeNeedsAgent:
		return req == SideBuyer && dec == SideAgent
	case ChangeNeedsBoth:
		return req != dec
	}
	return false
}

// ExtendReceiptDeadline checks the one change allowed once the goods have
// shipped: each side may extend the receipt deadline once, by
// r.ReceiptExtensionDays (15). It applies only in in_transit (after receipt
// there is no deadline left to extend). extended lists the sides that already
// did; a moderator uses the agents' side's extension. It returns the days to
// add, or a *ChangeError with an empty Field and code CodeWrongState,
// CodeWrongRole or CodeAlreadyExtended.
func ExtendReceiptDeadline(status Status, role Role, extended []Side, r OrderRules) (int, error) {
	refuse := func(c RefusalCode) (int, error) {
		return 0, &ChangeError{Status: status, Role: role, Code: c}
	}
	side, ok := SideOf(role)
	switch {
	case !status.Valid():
		return refuse(CodeUnknownState)
	case status != InTransit:
		return refuse(CodeWrongState)
	case !ok:
		return refuse(CodeWrongRole)
	case slices.Contains(extended, side):
		return refuse(CodeAlreadyExtended)
	}
	return r.ReceiptExtensionDays, nil
}
