package assurance_test

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

func TestPlanDisputeMove(t *testing.T) {
	p := assurance.Default()
	paid := decimal.RequireFromString("1000")
	amt := func(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }
	neg := assurance.DisputeState{Status: assurance.InDispute, Prior: assurance.Received, Stage: assurance.StageNegotiation,
		Opened: elDate(t, "2026-11-20"), Paid: paid}
	esc := neg
	esc.Status, esc.Stage = assurance.DisputeEscalated, assurance.StageEscalated
	pending := neg
	pending.Status, pending.Stage = assurance.RefundPending, assurance.StageResolvedRefund
	partial := pending
	partial.Agreed = amt("400")
	full := pending
	full.Agreed = amt("1000")
	tests := []struct {
		name   string
		move   assurance.DisputeMove
		role   assurance.Role
		st     assurance.DisputeState
		today  string
		amount *decimal.Decimal
		want   assurance.DisputePlan
		code   assurance.RefusalCode
	}{
		{"supplier answered, noted by the buyer", assurance.MoveSupplierResponded, assurance.RoleBuyer, neg, "2026-11-21", nil,
			assurance.DisputePlan{To: assurance.InDispute, Stage: assurance.StageNegotiation}, ""},
		{"supplier answer after escalation", assurance.MoveSupplierResponded, assurance.RoleAgent, esc, "2026-11-21", nil, assurance.DisputePlan{}, assurance.CodeNotNegotiating},
		{"nobody", assurance.MoveSupplierResponded, assurance.RoleNone, neg, "2026-11-21", nil, assurance.DisputePlan{}, assurance.CodeWrongRole},
		{"escalation on day 3", assurance.MoveEscalate, assurance.RoleBuyer, neg, "2026-11-23", nil, assurance.DisputePlan{}, assurance.CodeTooEarly},
		{"escalation on day 4", assurance.MoveEscalate, assurance.RoleBuyer, neg, "2026-11-24", nil,
			assurance.DisputePlan{Action: assurance.ActionEscalate, To: assurance.DisputeEscalated, Stage: assurance.StageEscalated}, ""},
		{"an agent cannot escalate", assurance.MoveEscalate, assurance.RoleAgent, neg, "2026-11-24", nil, assurance.DisputePlan{}, assurance.CodeWrongRole},
		{"refund without amount", assurance.MoveResolveRefund, assurance.RoleAgent, esc, "2026-11-24", nil, assurance.DisputePlan{}, assurance.CodeAmountRequired},
		{"refund over paid", assurance.MoveResolveRefund, assurance.RoleAgent, esc, "2026-11-24", amt("1000.01"), assurance.DisputePlan{}, assurance.CodeAmountTooHigh},
		{"refund agreed", assurance.MoveResolveRefund, assurance.RoleModerator, neg, "2026-11-24", amt("1000"),
			assurance.DisputePlan{Action: assurance.ActionResolveRefund, To: assurance.RefundPending, Stage: assurance.StageResolvedRefund}, ""},
		{"the buyer cannot decide a refund", assurance.MoveResolveRefund, assurance.RoleBuyer, neg, "2026-11-24", amt("10"), assurance.DisputePlan{}, assurance.CodeWrongRole},
		{"no refund: back to received", assurance.MoveResolveNoRefund, assurance.RoleAgent, esc, "2026-11-24", nil,
			assurance.DisputePlan{Action: assurance.ActionResolveNoRefund, To: assurance.Received, Stage: assurance.StageResolvedNoRefund, Ends: true}, ""},
		{"no response", assurance.MoveCloseNoResponse, assurance.RoleAgent, neg, "2026-11-24", nil,
			assurance.DisputePlan{Action: assurance.ActionCloseNoResponse, To: assurance.Received, Stage: assurance.StageClosedNoResponse, Ends: true}, ""},
		{"cancel by the buyer", assurance.MoveCancel, assurance.RoleBuyer, esc, "2026-11-24", nil,
			assurance.DisputePlan{Action: assurance.ActionCancelDispute, To: assurance.Received, Stage: assurance.StageCancelledByBuyer, Ends: true}, ""},
		{"an agent cannot cancel for the buyer", assurance.MoveCancel, assurance.RoleAgent, neg, "2026-11-24", nil, assurance.DisputePlan{}, assurance.CodeWrongRole},
		{"partial refund paid: goods kept", assurance.MoveRefundPaid, assurance.RoleAgent, partial, "2026-11-30", nil,
			assurance.DisputePlan{Action: assurance.ActionRefundPartial, To: assurance.Received, Stage: assurance.StageResolvedRefund, Ends: true}, ""},
		{"full refund paid", assurance.MoveRefundPaid, assurance.RoleAgent, full, "2026-11-30", nil,
			assurance.DisputePlan{Action: assurance.ActionRefundFull, To: assurance.Refunded, Stage: assurance.StageResolvedRefund, Ends: true}, ""},
		{"refund paid before agreement", assurance.MoveRefundPaid, assurance.RoleAgent, neg, "2026-11-30", nil, assurance.DisputePlan{}, assurance.CodeWrongState},
		{"automatic escalation before day 8", assurance.MoveAutoEscalate, assurance.RoleSystem, neg, "2026-11-27", nil, assurance.DisputePlan{}, assurance.CodeTooEarly},
		{"automatic escalation on day 8", assurance.MoveAutoEscalate, assurance.RoleSystem, neg, "2026-11-28", nil,
			assurance.DisputePlan{Action: assurance.ActionAutoEscalate, To: assurance.DisputeEscalated, Stage: assurance.StageEscalated}, ""},
		{"members do not escalate automatically", assurance.MoveAutoEscalate, assurance.RoleBuyer, neg, "2026-11-28", nil, assurance.DisputePlan{}, assurance.CodeWrongRole},
	}
	for _, tc := range tests {
		got, err := p.PlanDisputeMove(tc.move, tc.role, tc.st, elDate(t, tc.today), tc.amount)
		if tc.code == "" {
			if err != nil || got != tc.want {
				t.Errorf("%s: got %+v, %v; want %+v", tc.name, got, err, tc.want)
			}
			continue
		}
		var me *assurance.MoveError
		var te *assurance.TransitionError
		switch {
		case errors.As(err, &me) && me.Code == tc.code:
			want := map[assurance.DisputeMove]string{assurance.MoveEscalate: "2026-11-24", assurance.MoveAutoEscalate: "2026-11-28"}[tc.move]
			if tc.code == assurance.CodeTooEarly && me.Date.String() != want {
				t.Errorf("%s: too early until %s, want %s", tc.name, me.Date, want)
			}
		case errors.As(err, &te) && te.Code == tc.code:
		default:
			t.Errorf("%s: got %+v, %v; want refusal %s", tc.name, got, err, tc.code)
		}
	}
}

func TestStages(t *testing.T) {
	for _, s := range []assurance.Stage{assurance.StageNegotiation, assurance.StageEscalated} {
		if !s.Open() || s.Refileable() {
			t.Errorf("%s: open %v refileable %v", s, s.Open(), s.Refileable())
		}
	}
	for _, s := range []assurance.Stage{assurance.StageResolvedRefund, assurance.StageResolvedNoRefund, assurance.StageCancelledByBuyer} {
		if s.Open() || s.Refileable() {
			t.Errorf("%s: open %v refileable %v", s, s.Open(), s.Refileable())
		}
	}
	if !assurance.StageClosedNoResponse.Refileable() {
		t.Error("an application closed for no response may be filed again")
	}
}
