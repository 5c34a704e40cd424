package assurance_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tradeguard/tradeguard/assurance"
)

// chgFields is every term, written out independently of assurance.ChangeFields.
var chgFields = []assurance.ChangeField{
	"ship_date", "quantity", "specs", "address", "total", "currency",
	"supplier", "deposit", "payment_method", "coverage", "incoterm", "buyer",
}

// chgButBuyer is every term except the buyer's identity.
var chgButBuyer = []assurance.ChangeField{
	"ship_date", "quantity", "specs", "address", "total", "currency",
	"supplier", "deposit", "payment_method", "coverage", "incoterm",
}

// chgAfterPayment are the terms section 2.1 lets both sides change after money arrived.
var chgAfterPayment = []assurance.ChangeField{"ship_date", "quantity", "specs", "address"}

// chgRule is an allowed line of POLICY.md section 2.1, transcribed by hand.
type chgRule struct {
	state  assurance.Status
	roles  []assurance.Role
	fields []assurance.ChangeField
	mode   assurance.ChangeMode
}

var chgAllowed = []chgRule{
	{"awaiting_confirmation", []assurance.Role{lcAgent, lcMod}, chgFields, "direct"},
	{"awaiting_confirmation", []assurance.Role{lcBuyer}, chgButBuyer, "needs_agent"},
	{"awaiting_payment", []assurance.Role{lcAgent, lcMod}, chgButBuyer, "direct"},
	{"awaiting_payment", []assurance.Role{lcBuyer}, chgButBuyer, "needs_agent"},
	{"awaiting_balance", []assurance.Role{lcBuyer, lcAgent, lcMod}, chgAfterPayment, "needs_both"},
	{"awaiting_shipment", []assurance.Role{lcBuyer, lcAgent, lcMod}, chgAfterPayment, "needs_both"},
}

// chgStateRefusal is the code of each state where nothing may change.
var chgStateRefusal = map[assurance.Status]assurance.RefusalCode{
	"payment_processing": "wait_for_payment",
	"in_transit":         "after_shipment",
	"received":           "after_shipment",
	"in_dispute":         "dispute_open",
	"dispute_escalated":  "dispute_open",
	"refund_pending":     "dispute_open",
	"completed":          "order_closed",
	"refunded":           "order_closed",
	"cancelled":          "order_closed",
}

// chgExpect returns the expected mode, or the refusal code.
func chgExpect(s assurance.Status, role assurance.Role, f assurance.ChangeField, paid bool) (assurance.ChangeMode, assurance.RefusalCode) {
	if c, ok := chgStateRefusal[s]; ok {
		return "refused", c
	}
	paid = paid || s == "awaiting_balance" || s == "awaiting_shipment"
	if paid && (f == "total" || f == "currency") {
		return "refused", "total_frozen"
	}
	code := assurance.RefusalCode("field_not_changeable")
	for _, r := range chgAllowed {
		if r.state != s || !slices.Contains(r.fields, f) {
			continue
		}
		if slices.Contains(r.roles, role) {
			return r.mode, ""
		}
		code = "wrong_role"
	}
	return "refused", code
}

func chgCode(t *testing.T, err error) assurance.RefusalCode {
	t.Helper()
	var ce *assurance.ChangeError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T) is not a *ChangeError", err, err)
	}
	return ce.Code
}

func TestChangeFieldsComplete(t *testing.T) {
	got := slices.Clone(assurance.ChangeFields)
	want := slices.Clone(chgFields)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("assurance.ChangeFields = %v, the expectation table knows %v", got, want)
	}
}

// TestChangePolicyExhaustive checks every state × role × field, before and after a payment is recorded.
func TestChangePolicyExhaustive(t *testing.T) {
	for _, paid := range []bool{false, true} {
		for _, s := range assurance.Statuses {
			for _, role := range lcRoles {
				for _, f := range chgFields {
					wantMode, wantCode := chgExpect(s, role, f, paid)
					mode, err := assurance.ChangePolicy(s, role, f, paid)
					if mode != wantMode {
						t.Errorf("ChangePolicy(%s, %s, %s, paid=%v) mode = %s, want %s", s, role, f, paid, mode, wantMode)
					}
					if wantCode == "" {
						if err != nil {
							t.Errorf("ChangePolicy(%s, %s, %s, paid=%v) = %v", s, role, f, paid, err)
						}
						continue
					}
					var ce *assurance.ChangeError
					if !errors.As(err, &ce) {
						t.Fatalf("ChangePolicy(%s, %s, %s, paid=%v) error %v, want *ChangeError %s", s, role, f, paid, err, wantCode)
					}
					want := assurance.ChangeError{Status: s, Role: role, Field: f, Code: wantCode}
					if *ce != want {
						t.Errorf("ChangePolicy(%s, %s, %s, paid=%v) error = %+v, want %+v", s, role, f, paid, *ce, want)
					}
				}
			}
		}
	}
}

func TestChangePolicySpotChecks(t *testing.T) {
	tests := []struct {
		name  string
		state assurance.Status
		role  assurance.Role
		field assurance.ChangeField
		paid  bool
		mode  assurance.ChangeMode
		code  assurance.RefusalCode
	}{
		{"agent edits total before payment", assurance.AwaitingPayment, lcAgent, assurance.TermTotal, false, assurance.ChangeDirect, ""},
		{"total frozen after a failed payment", assurance.AwaitingPayment, lcAgent, assurance.TermTotal, true, assurance.ChangeRefused, assurance.CodeTotalFrozen},
		{"currency frozen with the total", assurance.AwaitingConfirmation, lcBuyer, assurance.TermCurrency, true, assurance.ChangeRefused, assurance.CodeTotalFrozen},
		{"deposit not frozen", assurance.AwaitingPayment, lcAgent, assurance.TermDeposit, true, assurance.ChangeDirect, ""},
		{"total frozen after deposit even if caller says unpaid", assurance.AwaitingBalance, lcBuyer, assurance.TermTotal, false, assurance.ChangeRefused, assurance.CodeTotalFrozen},
		{"agent changes buyer before confirmation", assurance.AwaitingConfirmation, lcAgent, assurance.TermBuyer, false, assurance.ChangeDirect, ""},
		{"buyer may not hand the order over", assurance.AwaitingConfirmation, lcBuyer, assurance.TermBuyer, false, assurance.ChangeRefused, assurance.CodeWrongRole},
		{"nobody changes buyer after confirmation", assurance.AwaitingPayment, lcMod, assurance.TermBuyer, false, assurance.ChangeRefused, assurance.CodeFieldNotChangeable},
		{"both sides for ship date", assurance.AwaitingShipment, lcAgent, assurance.TermShipDate, true, assurance.ChangeNeedsBoth, ""},
		{"coverage after deposit", assurance.AwaitingBalance, lcAgent, assurance.TermCoverage, true, assurance.ChangeRefused, assurance.CodeFieldNotChangeable},
		{"wait for payment", assurance.PaymentProcessing, lcAgent, assurance.TermAddress, true, assurance.ChangeRefused, assurance.CodeWaitForPayment},
		{"after shipment", assurance.InTransit, lcBuyer, assurance.TermShipDate, true, assurance.ChangeRefused, assurance.CodeAfterShipment},
		{"unknown field", assurance.AwaitingPayment, lcAgent, "colour", false, assurance.ChangeRefused, assurance.CodeUnknownField},
		{"unknown state", "lost", lcAgent, assurance.TermTotal, false, assurance.ChangeRefused, assurance.CodeUnknownState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mode, err := assurance.ChangePolicy(tt.state, tt.role, tt.field, tt.paid)
			if mode != tt.mode {
				t.Errorf("mode = %s, want %s", mode, tt.mode)
			}
			if tt.code == "" {
				if err != nil {
					t.Errorf("err = %v", err)
				}
				return
			}
			if c := chgCode(t, err); c != tt.code {
				t.Errorf("code = %s, want %s", c, tt.code)
			}
		})
	}
}

func TestChangeShipDateCap(t *testing.T) {
	first := lcDate("2026-03-01")
	if got := assurance.LatestShipDate(first, 90); got != lcDate("2026-05-30") {
		t.Fatalf("LatestShipDate = %s, want 2026-05-30", got)
	}
	if got := assurance.LatestShipDate(lcDate("2028-01-15"), 90); got != lcDate("2028-04-14") {
		t.Fatalf("LatestShipDate over a leap February = %s, want 2028-04-14", got)
	}
	tests := []struct {
		name     string
		first    assurance.Date
		proposed assurance.Date
		code     assurance.RefusalCode
	}{
		{"day 90", first, first.AddDays(90), ""},
		{"day 91", first, first.AddDays(91), assurance.CodeShipDateCap},
		{"far later", first, lcDate("2027-01-01"), assurance.CodeShipDateCap},
		{"unchanged", first, first, ""},
		{"earlier", first, lcDate("2026-02-01"), ""},
		{"no first date", assurance.Date{}, first, assurance.CodeDateRequired},
		{"no proposed date", first, assurance.Date{}, assurance.CodeDateRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := assurance.CheckShipDateShift(tt.first, tt.proposed, 90)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var ce *assurance.ChangeError
			if !errors.As(err, &ce) || ce.Code != tt.code || ce.Field != assurance.TermShipDate {
				t.Fatalf("err = %#v, want ship_date %s", err, tt.code)
			}
		})
	}

	// The cap counts from the first agreed date, not from the last move: after
	// a move of 60 days, only 30 more are left.
	moved := first.AddDays(60)
	if err := assurance.CheckShipDateShift(first, moved, 90); err != nil {
		t.Fatalf("first move of 60 days: %v", err)
	}
	if err := assurance.CheckShipDateShift(first, moved.AddDays(30), 90); err != nil {
		t.Errorf("second move to day 90 in total: %v", err)
	}
	if c := chgCode(t, assurance.CheckShipDateShift(first, moved.AddDays(31), 90)); c != assurance.CodeShipDateCap {
		t.Errorf("second move to day 91 in total (31 days after the last move): code %s", c)
	}
}

func TestChangeExpiry(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	end := time.Date(2026, 3, 8, 10, 0, 0, 0, time.UTC)
	if got := assurance.ChangeExpiry(at, 7); !got.Equal(end) {
		t.Fatalf("ChangeExpiry = %s, want %s", got, end)
	}
	tests := []struct {
		now  time.Time
		want bool
	}{
		{at, false},
		{end.Add(-time.Nanosecond), false},
		{end, true},
		{end.In(time.FixedZone("UTC+8", 8*3600)), true}, // the same instant elsewhere
		{end.Add(24 * time.Hour), true},
	}
	for _, tt := range tests {
		if got := assurance.ChangeExpired(at, tt.now, 7); got != tt.want {
			t.Errorf("ChangeExpired(%s, %s, 7) = %v, want %v", at, tt.now, got, tt.want)
		}
	}
}

func TestChangeCanDecide(t *testing.T) {
	tests := []struct {
		mode      assurance.ChangeMode
		requester assurance.Role
		decider   assurance.Role
		self      bool
		want      bool
	}{
		{assurance.ChangeNeedsAgent, lcBuyer, lcAgent, false, true},
		{assurance.ChangeNeedsAgent, lcBuyer, lcMod, false, true},
		{assurance.ChangeNeedsAgent, lcBuyer, lcBuyer, false, false}, // another buyer? never
		{assurance.ChangeNeedsAgent, lcBuyer, lcNone, false, false},
		{assurance.ChangeNeedsAgent, lcBuyer, lcSys, false, false},
		{assurance.ChangeNeedsAgent, lcAgent, lcMod, false, false}, // agents edit directly; nothing pending
		{assurance.ChangeNeedsBoth, lcBuyer, lcAgent, false, true},
		{assurance.ChangeNeedsBoth, lcBuyer, lcMod, false, true},
		{assurance.ChangeNeedsBoth, lcAgent, lcBuyer, false, true},
		{assurance.ChangeNeedsBoth, lcMod, lcBuyer, false, true},
		{assurance.ChangeNeedsBoth, lcAgent, lcAgent, false, false}, // same side
		{assurance.ChangeNeedsBoth, lcAgent, lcMod, false, false},   // a moderator stands on the agents' side
		{assurance.ChangeNeedsBoth, lcMod, lcMod, true, false},      // own request
		{assurance.ChangeNeedsBoth, lcBuyer, lcAgent, true, false},  // own request, whatever the roles say
		{assurance.ChangeNeedsBoth, lcNone, lcBuyer, false, false},
		{assurance.ChangeDirect, lcBuyer, lcAgent, false, false},
		{assurance.ChangeRefused, lcBuyer, lcAgent, false, false},
	}
	for _, tt := range tests {
		if got := assurance.CanDecide(tt.mode, tt.requester, tt.decider, tt.self); got != tt.want {
			t.Errorf("CanDecide(%s, %s asked, %s decides, self=%v) = %v, want %v",
				tt.mode, tt.requester, tt.decider, tt.self, got, tt.want)
		}
	}
}

func TestChangeReceiptExtension(t *testing.T) {
	rules := assurance.OrderRules{ReceiptExtensionDays: 15}
	buyer, agent := assurance.SideBuyer, assurance.SideAgent
	tests := []struct {
		name     string
		state    assurance.Status
		role     assurance.Role
		extended []assurance.Side
		code     assurance.RefusalCode
	}{
		{"buyer first", assurance.InTransit, lcBuyer, nil, ""},
		{"agent after the buyer", assurance.InTransit, lcAgent, []assurance.Side{buyer}, ""},
		{"moderator for the agents", assurance.InTransit, lcMod, []assurance.Side{buyer}, ""},
		{"buyer twice", assurance.InTransit, lcBuyer, []assurance.Side{buyer}, assurance.CodeAlreadyExtended},
		{"moderator after an agent", assurance.InTransit, lcMod, []assurance.Side{agent}, assurance.CodeAlreadyExtended},
		{"both used", assurance.InTransit, lcAgent, []assurance.Side{buyer, agent}, assurance.CodeAlreadyExtended},
		{"stranger", assurance.InTransit, lcNone, nil, assurance.CodeWrongRole},
		{"timer", assurance.InTransit, lcSys, nil, assurance.CodeWrongRole},
		{"before shipment", assurance.AwaitingShipment, lcBuyer, nil, assurance.CodeWrongState},
		{"after receipt", assurance.Received, lcBuyer, nil, assurance.CodeWrongState},
		{"unknown state", "lost", lcBuyer, nil, assurance.CodeUnknownState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, err := assurance.ExtendReceiptDeadline(tt.state, tt.role, tt.extended, rules)
			if tt.code == "" {
				if err != nil || days != 15 {
					t.Fatalf("= %d, %v; want 15", days, err)
				}
				return
			}
			if c := chgCode(t, err); c != tt.code || days != 0 {
				t.Fatalf("= %d, code %s; want 0, %s", days, c, tt.code)
			}
		})
	}
}

func TestChangeErrorMessage(t *testing.T) {
	tests := []struct {
		err  *assurance.ChangeError
		want string
	}{
		{&assurance.ChangeError{Status: assurance.AwaitingBalance, Role: lcBuyer, Field: assurance.TermTotal, Code: assurance.CodeTotalFrozen},
			"assurance: change of total by buyer in awaiting_balance refused: total_frozen"},
		{&assurance.ChangeError{Status: assurance.InTransit, Role: lcBuyer, Code: assurance.CodeAlreadyExtended},
			"assurance: receipt deadline extension by buyer in in_transit refused: already_extended"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
