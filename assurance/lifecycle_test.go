package assurance_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

// Shorthands for the tables below.
const (
	lcBuyer = assurance.RoleBuyer
	lcAgent = assurance.RoleAgent
	lcMod   = assurance.RoleModerator
	lcNone  = assurance.RoleNone
	lcSys   = assurance.RoleSystem
)

// lcRoles is every role the engine may be asked about, plus one it does not know.
var lcRoles = []assurance.Role{lcBuyer, lcAgent, lcMod, lcNone, lcSys, assurance.Role("supplier")}

// lcActions is every action, written out independently of assurance.Actions.
var lcActions = []assurance.Action{
	"confirm", "cancel", "auto_cancel_unconfirmed", "auto_cancel_unpaid", "record_payment",
	"funds_arrived", "payment_failed", "mark_shipped", "confirm_receipt", "window_end",
	"open_dispute", "escalate", "auto_escalate", "resolve_refund", "resolve_no_refund",
	"cancel_dispute", "close_no_response", "refund_full", "refund_partial", "force",
}

// lcMove is an allowed (state, action, roles) line and the state it leads to
// with lcInput (paid in full, no deposit before a failed payment, prior state
// in_transit).
type lcMove struct {
	from   assurance.Status
	action assurance.Action
	roles  []assurance.Role
	to     assurance.Status
}

// lcAllowed is POLICY.md section 2 transcribed by hand (ActionForce is added
// for every state by lcExpect). Everything not listed must be refused.
var lcAllowed = []lcMove{
	{"awaiting_confirmation", "confirm", []assurance.Role{lcAgent, lcMod}, "awaiting_payment"},
	{"awaiting_confirmation", "cancel", []assurance.Role{lcBuyer, lcAgent, lcMod}, "cancelled"},
	{"awaiting_confirmation", "auto_cancel_unconfirmed", []assurance.Role{lcSys}, "cancelled"},

	{"awaiting_payment", "record_payment", []assurance.Role{lcBuyer}, "payment_processing"},
	{"awaiting_payment", "cancel", []assurance.Role{lcBuyer, lcAgent, lcMod}, "cancelled"},
	{"awaiting_payment", "auto_cancel_unpaid", []assurance.Role{lcSys}, "cancelled"},

	{"payment_processing", "funds_arrived", []assurance.Role{lcAgent, lcMod}, "awaiting_shipment"},
	{"payment_processing", "payment_failed", []assurance.Role{lcAgent, lcMod}, "awaiting_payment"},

	{"awaiting_balance", "record_payment", []assurance.Role{lcBuyer}, "payment_processing"},
	{"awaiting_balance", "open_dispute", []assurance.Role{lcBuyer}, "in_dispute"},

	{"awaiting_shipment", "mark_shipped", []assurance.Role{lcAgent, lcMod}, "in_transit"},
	{"awaiting_shipment", "open_dispute", []assurance.Role{lcBuyer}, "in_dispute"},

	{"in_transit", "confirm_receipt", []assurance.Role{lcBuyer}, "received"},
	{"in_transit", "open_dispute", []assurance.Role{lcBuyer}, "in_dispute"},

	{"received", "open_dispute", []assurance.Role{lcBuyer}, "in_dispute"},
	{"received", "window_end", []assurance.Role{lcSys}, "completed"},

	{"in_dispute", "escalate", []assurance.Role{lcBuyer}, "dispute_escalated"},
	{"in_dispute", "auto_escalate", []assurance.Role{lcSys}, "dispute_escalated"},
	{"in_dispute", "resolve_refund", []assurance.Role{lcAgent, lcMod}, "refund_pending"},
	{"in_dispute", "resolve_no_refund", []assurance.Role{lcAgent, lcMod}, "in_transit"},
	{"in_dispute", "cancel_dispute", []assurance.Role{lcBuyer}, "in_transit"},
	{"in_dispute", "close_no_response", []assurance.Role{lcAgent, lcMod}, "in_transit"},

	{"dispute_escalated", "resolve_refund", []assurance.Role{lcAgent, lcMod}, "refund_pending"},
	{"dispute_escalated", "resolve_no_refund", []assurance.Role{lcAgent, lcMod}, "in_transit"},
	{"dispute_escalated", "cancel_dispute", []assurance.Role{lcBuyer}, "in_transit"},
	{"dispute_escalated", "close_no_response", []assurance.Role{lcAgent, lcMod}, "in_transit"},

	{"refund_pending", "refund_full", []assurance.Role{lcAgent, lcMod}, "refunded"},
	{"refund_pending", "refund_partial", []assurance.Role{lcAgent, lcMod}, "in_transit"},
}

// lcForceTarget is the state the exhaustive test forces an order in from to.
func lcForceTarget(from assurance.Status) assurance.Status {
	if from == assurance.Completed {
		return assurance.AwaitingPayment
	}
	return assurance.Completed
}

// lcInput satisfies every action's needs.
func lcInput(from assurance.Status) assurance.Input {
	return assurance.Input{
		PaidInFull: true,
		Prior:      assurance.InTransit,
		Date:       lcDate("2026-05-04"),
		Target:     lcForceTarget(from),
		Reason:     "buyer asked in ticket 17",
	}
}

// lcExpect returns the expected outcome of (from, action, role): the next
// state when allowed, else the refusal code.
func lcExpect(from assurance.Status, a assurance.Action, role assurance.Role) (assurance.Status, assurance.RefusalCode) {
	moves := slices.Clone(lcAllowed)
	moves = append(moves, lcMove{from, "force", []assurance.Role{lcMod}, lcForceTarget(from)})
	code := assurance.CodeWrongState
	for _, m := range moves {
		if m.from != from || m.action != a {
			continue
		}
		if slices.Contains(m.roles, role) {
			return m.to, ""
		}
		code = assurance.CodeWrongRole
	}
	return "", code
}

func lcDate(s string) assurance.Date {
	d, err := assurance.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func lcCode(t *testing.T, err error) assurance.RefusalCode {
	t.Helper()
	var te *assurance.TransitionError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T) is not a *TransitionError", err, err)
	}
	return te.Code
}

func TestLifecycleActionsComplete(t *testing.T) {
	got := slices.Clone(assurance.Actions)
	want := slices.Clone(lcActions)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("assurance.Actions = %v, the expectation table knows %v", got, want)
	}
	for _, a := range lcActions {
		if !a.Valid() {
			t.Errorf("%s.Valid() = false", a)
		}
	}
	if assurance.Action("teleport").Valid() {
		t.Error("unknown action is valid")
	}
}

// TestTransitionExhaustive checks every state × action × role against lcAllowed.
func TestTransitionExhaustive(t *testing.T) {
	allowed := 0
	for _, from := range assurance.Statuses {
		for _, a := range lcActions {
			for _, role := range lcRoles {
				wantTo, wantCode := lcExpect(from, a, role)
				got, err := assurance.Transition(from, a, role, lcInput(from))
				if wantCode == "" {
					allowed++
					if err != nil || got != wantTo {
						t.Errorf("Transition(%s, %s, %s) = %q, %v; want %s", from, a, role, got, err, wantTo)
					}
					continue
				}
				if err == nil {
					t.Errorf("Transition(%s, %s, %s) = %s; want refusal %s", from, a, role, got, wantCode)
					continue
				}
				var te *assurance.TransitionError
				if !errors.As(err, &te) {
					t.Fatalf("Transition(%s, %s, %s) error %T, want *TransitionError", from, a, role, err)
				}
				want := assurance.TransitionError{From: from, Action: a, Role: role, Code: wantCode}
				if *te != want {
					t.Errorf("Transition(%s, %s, %s) error = %+v, want %+v", from, a, role, *te, want)
				}
			}
		}
	}
	// 28 listed lines hold 44 (line, role) pairs, plus one force per state.
	if want := 44 + len(assurance.Statuses); allowed != want {
		t.Errorf("%d allowed triples, want %d", allowed, want)
	}
}

// TestLifecycleNextActions checks NextActions against the same table.
func TestLifecycleNextActions(t *testing.T) {
	for _, from := range assurance.Statuses {
		for _, role := range lcRoles {
			var want []assurance.Action
			for _, a := range lcActions {
				if _, code := lcExpect(from, a, role); code == "" {
					want = append(want, a)
				}
			}
			got := assurance.NextActions(from, role)
			slices.Sort(want)
			sorted := slices.Clone(got)
			slices.Sort(sorted)
			if !slices.Equal(sorted, want) {
				t.Errorf("NextActions(%s, %s) = %v, want %v", from, role, got, want)
			}
		}
	}
	got := assurance.NextActions(assurance.InTransit, lcBuyer)
	if want := []assurance.Action{"confirm_receipt", "open_dispute"}; !slices.Equal(got, want) {
		t.Errorf("NextActions(in_transit, buyer) = %v, want %v in table order", got, want)
	}
}

// TestLifecycleActionRules checks that ActionRules agrees with Transition.
func TestLifecycleActionRules(t *testing.T) {
	for _, from := range assurance.Statuses {
		rules := assurance.ActionRules(from)
		for _, role := range lcRoles {
			var viaRules []assurance.Action
			for _, r := range rules {
				if slices.Contains(r.Roles, role) {
					viaRules = append(viaRules, r.Action)
				}
			}
			if got := assurance.NextActions(from, role); !slices.Equal(viaRules, got) {
				t.Errorf("%s, %s: ActionRules gives %v, NextActions %v", from, role, viaRules, got)
			}
		}
		for _, r := range rules {
			in := lcInput(from)
			got, err := assurance.Transition(from, r.Action, r.Roles[0], in)
			if err != nil || !slices.Contains(r.To, got) {
				t.Errorf("%s %s: Transition = %s, %v; ActionRule.To = %v", from, r.Action, got, err, r.To)
			}
			if slices.Contains(r.To, from) {
				t.Errorf("%s %s: To %v contains the state itself", from, r.Action, r.To)
			}
		}
	}
}

func TestTransitionFundsArrived(t *testing.T) {
	total := decimal.RequireFromString("1200.00")
	tests := []struct {
		paid string
		want assurance.Status
	}{
		{"300.00", assurance.AwaitingBalance},   // deposit only
		{"1199.99", assurance.AwaitingBalance},  // a cent short
		{"1200", assurance.AwaitingShipment},    // in full
		{"1200.01", assurance.AwaitingShipment}, // overpaid still counts as full
	}
	for _, tt := range tests {
		in := assurance.Input{PaidInFull: assurance.CoversTotal(decimal.RequireFromString(tt.paid), total)}
		for _, role := range []assurance.Role{lcAgent, lcMod} {
			got, err := assurance.Transition(assurance.PaymentProcessing, assurance.ActionFundsArrived, role, in)
			if err != nil || got != tt.want {
				t.Errorf("funds arrived, paid %s of %s by %s = %s, %v; want %s", tt.paid, total, role, got, err, tt.want)
			}
		}
	}
}

func TestTransitionPaymentFailed(t *testing.T) {
	tests := []struct {
		deposit bool
		want    assurance.Status
	}{
		{false, assurance.AwaitingPayment}, // first payment failed: nothing paid
		{true, assurance.AwaitingBalance},  // balance failed: the deposit is still held
	}
	for _, tt := range tests {
		got, err := assurance.Transition(assurance.PaymentProcessing, assurance.ActionPaymentFailed, lcAgent,
			assurance.Input{DepositReceived: tt.deposit})
		if err != nil || got != tt.want {
			t.Errorf("payment failed, deposit received %v = %s, %v; want %s", tt.deposit, got, err, tt.want)
		}
	}
}

// TestTransitionDisputeReturn: every way out of a dispute that is not a refund
// goes back to the state the dispute was opened from.
func TestTransitionDisputeReturn(t *testing.T) {
	returns := []struct {
		from   assurance.Status
		action assurance.Action
		role   assurance.Role
	}{
		{assurance.InDispute, assurance.ActionResolveNoRefund, lcAgent},
		{assurance.InDispute, assurance.ActionCancelDispute, lcBuyer},
		{assurance.InDispute, assurance.ActionCloseNoResponse, lcMod},
		{assurance.DisputeEscalated, assurance.ActionResolveNoRefund, lcMod},
		{assurance.DisputeEscalated, assurance.ActionCancelDispute, lcBuyer},
		{assurance.DisputeEscalated, assurance.ActionCloseNoResponse, lcAgent},
		{assurance.RefundPending, assurance.ActionRefundPartial, lcAgent},
	}
	opened := []assurance.Status{assurance.AwaitingBalance, assurance.AwaitingShipment, assurance.InTransit, assurance.Received}
	for _, r := range returns {
		for _, prior := range opened {
			// The dispute really can be opened from prior.
			if got, err := assurance.Transition(prior, assurance.ActionOpenDispute, lcBuyer, assurance.Input{}); err != nil || got != assurance.InDispute {
				t.Fatalf("open dispute from %s = %s, %v", prior, got, err)
			}
			got, err := assurance.Transition(r.from, r.action, r.role, assurance.Input{Prior: prior})
			if err != nil || got != prior {
				t.Errorf("%s %s with prior %s = %s, %v; want %s", r.from, r.action, prior, got, err, prior)
			}
		}
		for _, bad := range []assurance.Status{"", assurance.AwaitingPayment, assurance.PaymentProcessing,
			assurance.InDispute, assurance.RefundPending, assurance.Completed, assurance.Cancelled, "bogus"} {
			_, err := assurance.Transition(r.from, r.action, r.role, assurance.Input{Prior: bad})
			if c := lcCode(t, err); c != assurance.CodePriorRequired {
				t.Errorf("%s %s with prior %q: code %s, want %s", r.from, r.action, bad, c, assurance.CodePriorRequired)
			}
		}
	}
	// A member who may not act learns nothing about the missing input.
	_, err := assurance.Transition(assurance.InDispute, assurance.ActionCancelDispute, lcAgent, assurance.Input{})
	if c := lcCode(t, err); c != assurance.CodeWrongRole {
		t.Errorf("agent cancelling the buyer's dispute: code %s, want wrong_role", c)
	}
}

func TestTransitionForce(t *testing.T) {
	tests := []struct {
		name string
		from assurance.Status
		role assurance.Role
		in   assurance.Input
		want assurance.Status
		code assurance.RefusalCode
	}{
		{"reopen a cancelled order", assurance.Cancelled, lcMod,
			assurance.Input{Target: assurance.AwaitingPayment, Reason: "cancelled by mistake"}, assurance.AwaitingPayment, ""},
		{"skip ahead", assurance.AwaitingConfirmation, lcMod,
			assurance.Input{Target: assurance.Received, Reason: "imported order"}, assurance.Received, ""},
		{"no reason", assurance.InTransit, lcMod,
			assurance.Input{Target: assurance.Received}, "", assurance.CodeReasonRequired},
		{"blank reason", assurance.InTransit, lcMod,
			assurance.Input{Target: assurance.Received, Reason: " \t\n "}, "", assurance.CodeReasonRequired},
		{"same state", assurance.InTransit, lcMod,
			assurance.Input{Target: assurance.InTransit, Reason: "x"}, "", assurance.CodeInvalidTarget},
		{"no target", assurance.InTransit, lcMod,
			assurance.Input{Reason: "x"}, "", assurance.CodeInvalidTarget},
		{"unknown target", assurance.InTransit, lcMod,
			assurance.Input{Target: "lost", Reason: "x"}, "", assurance.CodeInvalidTarget},
		{"agent may not force", assurance.InTransit, lcAgent,
			assurance.Input{Target: assurance.Received, Reason: "x"}, "", assurance.CodeWrongRole},
		{"buyer may not force", assurance.Completed, lcBuyer,
			assurance.Input{Target: assurance.Received, Reason: "x"}, "", assurance.CodeWrongRole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := assurance.Transition(tt.from, assurance.ActionForce, tt.role, tt.in)
			if tt.code == "" {
				if err != nil || got != tt.want {
					t.Fatalf("= %s, %v; want %s", got, err, tt.want)
				}
				return
			}
			if c := lcCode(t, err); c != tt.code {
				t.Fatalf("code %s, want %s", c, tt.code)
			}
		})
	}
	// Every state may be forced to every other state.
	for _, from := range assurance.Statuses {
		for _, to := range assurance.Statuses {
			got, err := assurance.Transition(from, assurance.ActionForce, lcMod, assurance.Input{Target: to, Reason: "audit"})
			if from == to {
				if c := lcCode(t, err); c != assurance.CodeInvalidTarget {
					t.Errorf("force %s → itself: code %s", from, c)
				}
			} else if err != nil || got != to {
				t.Errorf("force %s → %s = %s, %v", from, to, got, err)
			}
		}
	}
}

func TestTransitionDateRequired(t *testing.T) {
	tests := []struct {
		from   assurance.Status
		action assurance.Action
		role   assurance.Role
		want   assurance.Status
	}{
		{assurance.AwaitingShipment, assurance.ActionMarkShipped, lcAgent, assurance.InTransit},
		{assurance.InTransit, assurance.ActionConfirmReceipt, lcBuyer, assurance.Received},
	}
	for _, tt := range tests {
		_, err := assurance.Transition(tt.from, tt.action, tt.role, assurance.Input{})
		if c := lcCode(t, err); c != assurance.CodeDateRequired {
			t.Errorf("%s without a date: code %s, want date_required", tt.action, c)
		}
		got, err := assurance.Transition(tt.from, tt.action, tt.role, assurance.Input{Date: lcDate("2026-02-28")})
		if err != nil || got != tt.want {
			t.Errorf("%s with a date = %s, %v", tt.action, got, err)
		}
	}
}

func TestTransitionUnknown(t *testing.T) {
	_, err := assurance.Transition("lost", assurance.ActionCancel, lcBuyer, assurance.Input{})
	if c := lcCode(t, err); c != assurance.CodeUnknownState {
		t.Errorf("unknown state: code %s", c)
	}
	_, err = assurance.Transition(assurance.AwaitingPayment, "teleport", lcBuyer, assurance.Input{})
	if c := lcCode(t, err); c != assurance.CodeUnknownAction {
		t.Errorf("unknown action: code %s", c)
	}
	if got := assurance.NextActions("lost", lcMod); len(got) != 0 {
		t.Errorf("NextActions(unknown) = %v", got)
	}
	msg := (&assurance.TransitionError{From: assurance.InTransit, Action: assurance.ActionCancel, Role: lcBuyer,
		Code: assurance.CodeWrongState}).Error()
	if want := "assurance: cancel by buyer in in_transit refused: wrong_state"; msg != want {
		t.Errorf("Error() = %q, want %q", msg, want)
	}
}

func TestLifecycleTimers(t *testing.T) {
	rules := assurance.OrderRules{AutoCancelUnconfirmedDays: 30, AutoCancelUnpaidDays: 60,
		ChangeRequestExpiryDays: 7, ShipDateMaxShiftDays: 90, ReceiptExtensionDays: 15}
	for _, s := range assurance.Statuses {
		a, days, ok := assurance.AutoCancelTimer(s, rules)
		switch s {
		case assurance.AwaitingConfirmation:
			if !ok || a != assurance.ActionAutoCancelUnconfirmed || days != 30 {
				t.Errorf("%s: %s %d %v", s, a, days, ok)
			}
		case assurance.AwaitingPayment:
			if !ok || a != assurance.ActionAutoCancelUnpaid || days != 60 {
				t.Errorf("%s: %s %d %v", s, a, days, ok)
			}
		default:
			if ok {
				t.Errorf("%s has auto-cancel timer %s", s, a)
			}
		}
		if ok {
			if got := assurance.NextActions(s, lcSys); !slices.Contains(got, a) {
				t.Errorf("%s: the system may not fire %s (%v)", s, a, got)
			}
		}
	}
	// Automatic actions are exactly those only the system may take.
	for _, a := range lcActions {
		systemOnly := true
		seen := false
		for _, s := range assurance.Statuses {
			for _, r := range assurance.ActionRules(s) {
				if r.Action == a {
					seen = true
					systemOnly = systemOnly && slices.Equal(r.Roles, []assurance.Role{lcSys})
				}
			}
		}
		if a.Automatic() != (seen && systemOnly) {
			t.Errorf("%s.Automatic() = %v, table says system only = %v", a, a.Automatic(), seen && systemOnly)
		}
	}
}
