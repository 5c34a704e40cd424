package assurance

import "time"

// Clock holds the concrete dates of a refund application's clock (POLICY.md section 5).
//
// Day numbering: the day the application is opened is day 0 and day N is N calendar days
// later, so "the supplier should answer within 3 days" is due by opened+3 (inclusive), "the
// buyer may escalate from day 4" means from opened+4, the first day after the supplier's
// time is up, and "escalated automatically on day 8" means on opened+8.
type Clock struct {
	Opened            Date
	SupplierAnswerDue Date // last day the supplier should answer
	EscalationFrom    Date // first day the buyer may escalate
	AutoEscalation    Date // the day an unresolved application is escalated automatically
}

// DisputeClock returns the clock of an application opened on opened.
func (p *Policy) DisputeClock(opened Date) Clock {
	d := p.Dispute
	return Clock{
		Opened:            opened,
		SupplierAnswerDue: opened.AddDays(d.SupplierAnswerDays),
		EscalationFrom:    opened.AddDays(d.EscalationFromDay),
		AutoEscalation:    opened.AddDays(d.AutoEscalationDay),
	}
}

// AlibabaJoinsBy returns the day by which Alibaba's team usually joins an application
// escalated on escalated: that many working days later.
func (p *Policy) AlibabaJoinsBy(escalated Date) Date {
	return AddWorkingDays(escalated, p.Dispute.AlibabaJoinsWorkingDays)
}

// RefundStartsBy returns the day by which a refund agreed on agreed should start: that many
// working days later.
func (p *Policy) RefundStartsBy(agreed Date) Date {
	return AddWorkingDays(agreed, p.Dispute.RefundStartsWorkingDays)
}

// AddWorkingDays returns the day n working days after d (before d when n < 0), counting
// Monday to Friday only: Friday + 1 is Monday, Saturday + 1 is Monday, and d itself never
// counts. Public holidays are not known to the policy and are not skipped. The zero Date
// stays zero.
func AddWorkingDays(d Date, n int) Date {
	if d.IsZero() {
		return d
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// ClaimDeadline returns the last day to claim for goods received on receivedOn by a buyer of
// the given tier: receivedOn + the tier's window, inclusive ("" or an unknown tier: the
// default tier). The zero Date gives the zero Date.
func (p *Policy) ClaimDeadline(receivedOn Date, tier string) Date {
	if receivedOn.IsZero() {
		return Date{}
	}
	return receivedOn.AddDays(p.Window(tier))
}
