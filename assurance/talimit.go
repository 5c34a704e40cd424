package assurance

import (
	"time"

	"github.com/shopspring/decimal"
)

// RemainingLimit is a supplier's remaining Trade Assurance limit (POLICY.md section 1): the limit
// minus the totals of its other open covered orders, all in the limit's currency. It is negative when
// those orders already exceed the limit.
func RemainingLimit(limit decimal.Decimal, others []decimal.Decimal) decimal.Decimal {
	r := limit
	for _, t := range others {
		r = r.Sub(t)
	}
	return r
}

// Uncovered is the part of total above the remaining limit (POLICY.md 2.2): zero when it fits.
func Uncovered(total, remaining decimal.Decimal) decimal.Decimal {
	if remaining.IsNegative() {
		remaining = decimal.Zero
	}
	if total.LessThanOrEqual(remaining) {
		return decimal.Zero
	}
	return total.Sub(remaining)
}

// StateDeadline is when the timer of state s fires for an order that entered s at since: the
// auto-cancel of awaiting_confirmation (AutoCancelUnconfirmedDays) and awaiting_payment
// (AutoCancelUnpaidDays), in received the end of the claim window, the midnight (UTC) after
// its last day (received_on + the tier's window, inclusive, rule 9), and in in_dispute the automatic
// escalation, the start (UTC) of the dispute clock's AutoEscalation day (section 5: day 8 of an
// application opened when the order entered in_dispute). Zero when no timer runs in s.
func (p *Policy) StateDeadline(s Status, since time.Time, receivedOn Date, tier string) time.Time {
	if a, days, ok := AutoCancelTimer(s, p.Orders); ok && a != "" {
		return since.Add(time.Duration(days) * 24 * time.Hour)
	}
	if s == InDispute {
		return p.DisputeClock(DateOf(since)).AutoEscalation.Time()
	}
	if s == Received && !receivedOn.IsZero() {
		return receivedOn.AddDays(p.Window(tier) + 1).Time()
	}
	return time.Time{}
}

// TimerAction is the automatic action due when the deadline of state s has passed (see StateDeadline).
func TimerAction(s Status, r OrderRules) (Action, bool) {
	if a, _, ok := AutoCancelTimer(s, r); ok {
		return a, true
	}
	switch s {
	case Received:
		return ActionWindowEnd, true
	case InDispute:
		return ActionAutoEscalate, true
	}
	return "", false
}
