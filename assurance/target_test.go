package assurance

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestActionTo(t *testing.T) {
	date, _ := ParseDate("2026-11-27")
	for _, c := range []struct {
		from, target Status
		role         Role
		in           Input
		want         Action
		code         RefusalCode
	}{
		{AwaitingConfirmation, AwaitingPayment, RoleAgent, Input{}, ActionConfirm, ""},
		{AwaitingConfirmation, AwaitingPayment, RoleBuyer, Input{}, "", CodeWrongRole},
		{AwaitingConfirmation, Cancelled, RoleBuyer, Input{}, ActionCancel, ""},
		{AwaitingConfirmation, InTransit, RoleModerator, Input{}, "", CodeWrongState},
		{AwaitingConfirmation, AwaitingConfirmation, RoleAgent, Input{}, "", CodeInvalidTarget},
		{PaymentProcessing, AwaitingShipment, RoleAgent, Input{PaidInFull: true}, ActionFundsArrived, ""},
		{PaymentProcessing, AwaitingShipment, RoleAgent, Input{}, "", CodeLeadsElsewhere},
		{PaymentProcessing, AwaitingBalance, RoleAgent, Input{}, ActionFundsArrived, ""},
		{PaymentProcessing, AwaitingBalance, RoleAgent, Input{PaidInFull: true, DepositReceived: true}, ActionPaymentFailed, ""},
		{PaymentProcessing, AwaitingPayment, RoleModerator, Input{}, ActionPaymentFailed, ""},
		{AwaitingShipment, InTransit, RoleAgent, Input{Date: date}, ActionMarkShipped, ""},
		{AwaitingShipment, InTransit, RoleAgent, Input{}, "", CodeDateRequired},
		{Received, Completed, RoleBuyer, Input{}, "", CodeWrongRole},
		{InDispute, AwaitingShipment, RoleBuyer, Input{Prior: AwaitingShipment}, ActionCancelDispute, ""},
		{InDispute, AwaitingShipment, RoleAgent, Input{Prior: AwaitingShipment}, ActionResolveNoRefund, ""},
		{InDispute, InTransit, RoleAgent, Input{Prior: AwaitingShipment}, "", CodeLeadsElsewhere},
		{Cancelled, AwaitingPayment, RoleModerator, Input{}, "", CodeWrongState},
	} {
		got, err := ActionTo(c.from, c.target, c.role, c.in)
		var code RefusalCode
		var te *TransitionError
		var ge *TargetError
		switch {
		case errors.As(err, &te):
			code = te.Code
		case errors.As(err, &ge):
			code = ge.Code
		case err != nil:
			t.Fatalf("%s→%s by %s: unexpected error %v", c.from, c.target, c.role, err)
		}
		if got != c.want || code != c.code {
			t.Errorf("%s→%s by %s: got %q %q, want %q %q", c.from, c.target, c.role, got, code, c.want, c.code)
		}
	}
}

func TestChecklistMissing(t *testing.T) {
	if got := (Checklist{}).Missing(); !slices.Equal(got, []string{SpecDesignFiles, SpecQuality, SpecQuantity, SpecPackaging, SpecCustomisation}) {
		t.Fatalf("empty checklist misses %v", got)
	}
	full := Checklist{DesignFiles: "x", Quality: "x", Packaging: "x", Customisation: "x", Quantity: 1}
	if got := full.Missing(); len(got) != 0 {
		t.Fatalf("full checklist misses %v", got)
	}
}

func TestRemainingLimitAndUncovered(t *testing.T) {
	d := decimal.RequireFromString
	rem := RemainingLimit(d("10000"), []decimal.Decimal{d("4000"), d("2500.50")})
	if !rem.Equal(d("3499.50")) {
		t.Fatalf("remaining %s", rem)
	}
	if u := Uncovered(d("5000"), rem); !u.Equal(d("1500.50")) {
		t.Fatalf("uncovered %s", u)
	}
	if u := Uncovered(d("100"), d("-5")); !u.Equal(d("100")) {
		t.Fatalf("uncovered under a spent limit %s", u)
	}
	if u := Uncovered(d("100"), d("100")); !u.IsZero() {
		t.Fatalf("uncovered at the limit %s", u)
	}
}

func TestStateDeadline(t *testing.T) {
	p := Default()
	since := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	if got := p.StateDeadline(AwaitingConfirmation, since, Date{}, ""); !got.Equal(since.AddDate(0, 0, 30)) {
		t.Fatalf("awaiting_confirmation: %v", got)
	}
	if got := p.StateDeadline(AwaitingPayment, since, Date{}, ""); !got.Equal(since.AddDate(0, 0, 60)) {
		t.Fatalf("awaiting_payment: %v", got)
	}
	recv, _ := ParseDate("2026-12-01")
	// The last day to claim is received_on + 30, inclusive: the window ends at the midnight after it.
	if got := p.StateDeadline(Received, since, recv, "standard"); !got.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("received: %v", got)
	}
	if got := p.StateDeadline(Received, since, recv, "enterprise"); !got.Equal(time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("received, enterprise: %v", got)
	}
	if got := p.StateDeadline(InTransit, since, recv, ""); !got.IsZero() {
		t.Fatalf("in_transit: %v", got)
	}
	if a, ok := TimerAction(Received, p.Orders); !ok || a != ActionWindowEnd {
		t.Fatalf("timer action of received: %v", a)
	}
	// A dispute opened on 2026-11-27 is escalated automatically on day 8, 2026-12-05.
	if got := p.StateDeadline(InDispute, since, recv, ""); !got.Equal(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("in_dispute: %v", got)
	}
	if a, ok := TimerAction(InDispute, p.Orders); !ok || a != ActionAutoEscalate {
		t.Fatalf("timer action of in_dispute: %v", a)
	}
	if got := p.StateDeadline(DisputeEscalated, since, recv, ""); !got.IsZero() {
		t.Fatalf("dispute_escalated: %v", got)
	}
}
