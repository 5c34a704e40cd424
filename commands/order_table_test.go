package commands_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands/commandstest"
)

// moveTable is POLICY.md section 2 written out by hand for /order update status:<target>, for an
// order seeded by seed (a deposit on its way in payment_processing; awaiting_shipment before a
// dispute). Per (state, target): B, A, M may (buyer, agent, moderator); S: only the bot's timers;
// P: the buyer records it with /order pay; L<role>: that role's step leads to another state. A dispute's
// moves (into in_dispute, and from the dispute states) are the /dispute commands' (see expectMove).
var moveTable = map[assurance.Status]map[string]string{
	assurance.AwaitingConfirmation: {"awaiting_payment": "A M", "cancelled": "B A M S"},
	assurance.AwaitingPayment:      {"payment_processing": "P", "cancelled": "B A M S"},
	assurance.PaymentProcessing: {"awaiting_balance": "A M", "awaiting_payment": "A M", "payment_failed": "A M",
		"awaiting_shipment": "LA LM"},
	assurance.AwaitingBalance:  {"payment_processing": "P", "in_dispute": "B"},
	assurance.AwaitingShipment: {"in_transit": "A M", "in_dispute": "B"},
	assurance.InTransit:        {"received": "B", "in_dispute": "B"},
	assurance.Received:         {"in_dispute": "B", "completed": "S"},
	assurance.InDispute: {"dispute_escalated": "B S", "refund_pending": "A M", "awaiting_shipment": "B A M",
		"awaiting_balance": "LB LA LM", "in_transit": "LB LA LM", "received": "LB LA LM"},
	assurance.DisputeEscalated: {"refund_pending": "A M", "awaiting_shipment": "B A M",
		"awaiting_balance": "LB LA LM", "in_transit": "LB LA LM", "received": "LB LA LM"},
	assurance.RefundPending: {"refunded": "A M", "awaiting_shipment": "A M",
		"awaiting_balance": "LA LM", "in_transit": "LA LM", "received": "LA LM"},
}

// disputeState reports whether s is one of the states of a dispute.
func disputeState(s assurance.Status) bool {
	return s == assurance.InDispute || s == assurance.DisputeEscalated || s == assurance.RefundPending
}

// roleCodes are the table's letters per role.
var roleCodes = map[assurance.Role]string{assurance.RoleBuyer: "B", assurance.RoleAgent: "A", assurance.RoleModerator: "M"}

// expectMove is the outcome the table gives: "ok" or a refusal's telltale phrase.
func expectMove(from assurance.Status, target string, role assurance.Role) string {
	cell, listed := moveTable[from][target]
	tokens := strings.Fields(cell)
	code := roleCodes[role]
	switch {
	case target == string(from):
		return "is already"
	case slices.Contains(tokens, code) && (disputeState(from) || target == string(assurance.InDispute)):
		return "/dispute" // disputes move with their record: /order update points to the /dispute commands
	case slices.Contains(tokens, code):
		return "ok"
	case slices.Contains(tokens, "P") && role == assurance.RoleBuyer:
		return "/order pay"
	case slices.Contains(tokens, "L"+code):
		return "it moves to"
	case listed:
		return "the other side does that"
	}
	return "in this state"
}

// tableMembers are the three roles of the tables, plus a stranger.
func tableMembers(h *commandstest.Harness) map[assurance.Role]commandstest.Member {
	return map[assurance.Role]commandstest.Member{
		assurance.RoleBuyer: h.Buyer("alice"), assurance.RoleAgent: h.Agent("bob"), assurance.RoleModerator: h.Moderator("mia"),
	}
}

var tableRoles = []assurance.Role{assurance.RoleBuyer, assurance.RoleAgent, assurance.RoleModerator}

// TestEveryStateTargetAndRole runs /order update status:<target> for every state, target and role:
// the allowed moves succeed with one event; the others are refused with the reason and nothing is written.
func TestEveryStateTargetAndRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	members := tableMembers(h)
	eve := h.Buyer("eve")
	targets := append(slices.Clone(assurance.Statuses), "payment_failed")
	for _, from := range assurance.Statuses {
		probe := seed(t, h, members[assurance.RoleBuyer], from)
		before := snap(t, h, probe)
		for _, target := range targets {
			line := fmt.Sprintf("/order update order:#N status:%s note:\"table\"", target)
			if rec := h.Command(eve, cmd(line, probe)); !strings.Contains(rec.Text(), "no order #") {
				t.Errorf("%s → %s by a stranger: %s", from, target, rec.Text())
			}
			for _, role := range tableRoles {
				want := expectMove(from, string(target), role)
				n := probe
				if want == "ok" {
					n = seed(t, h, members[assurance.RoleBuyer], from)
				}
				pre := snap(t, h, n)
				text := h.Command(members[role], cmd(line, n)).Text()
				name := fmt.Sprintf("%s → %s by %s", from, target, role)
				if want != "ok" {
					if !strings.Contains(text, want) {
						t.Errorf("%s: want a refusal with %q, got:\n%s", name, want, text)
					}
					if got := snap(t, h, n); got != pre {
						t.Errorf("%s: refused but the record or timeline changed", name)
					}
					continue
				}
				o := order(t, h, n)
				wantStatus := assurance.Status(target)
				if target == "payment_failed" {
					wantStatus = assurance.AwaitingPayment
				}
				if o.Status != wantStatus {
					t.Errorf("%s: status %s, want %s; reply:\n%s", name, o.Status, wantStatus, text)
				}
				if got := snap(t, h, n); got.events != pre.events+1 || got.version != pre.version+1 {
					t.Errorf("%s: %d events (want %d), version %d", name, got.events, pre.events+1, got.version)
				}
			}
		}
		if got := snap(t, h, probe); got != before {
			t.Errorf("%s: refusals changed the probe order", from)
		}
	}
}

// TestModeratorForce covers forced moves: moderators only, with a written reason, to any other state.
func TestModeratorForce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m := tableMembers(h)
	for _, from := range assurance.Statuses {
		n := seed(t, h, m[assurance.RoleBuyer], from)
		to := assurance.Cancelled
		if from == assurance.Cancelled {
			to = assurance.AwaitingShipment
		}
		pre := snap(t, h, n)
		for _, role := range []assurance.Role{assurance.RoleBuyer, assurance.RoleAgent} {
			text := h.Command(m[role], cmd("/order update order:#N status:"+string(to)+" force:true note:\"mistake\"", n)).Text()
			if !strings.Contains(text, "Only moderators") || snap(t, h, n) != pre {
				t.Errorf("force by %s from %s: %s", role, from, text)
			}
		}
		text := h.Command(m[assurance.RoleModerator], cmd("/order update order:#N status:"+string(to)+" force:true", n)).Text()
		if !strings.Contains(text, "needs the reason") || snap(t, h, n) != pre {
			t.Errorf("force without a reason from %s: %s", from, text)
		}
		h.Command(m[assurance.RoleModerator], cmd("/order update order:#N status:"+string(to)+" force:true note:\"supplier confirmed by phone\"", n))
		evs := events(t, h, n)
		last := evs[len(evs)-1]
		if o := order(t, h, n); o.Status != to || last.Args["action"] != "force" || last.Note != "supplier confirmed by phone" || last.From != from {
			t.Errorf("force from %s: status %s, event %+v", from, o.Status, last)
		}
	}
}

// TestPayAndCancelInEveryState runs /order pay and /order cancel in every state for every role.
func TestPayAndCancelInEveryState(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m := tableMembers(h)
	for _, from := range assurance.Statuses {
		for _, role := range tableRoles {
			// pay: the buyer, before the order is paid in full.
			n := seed(t, h, m[assurance.RoleBuyer], from)
			pre := snap(t, h, n)
			text := h.Command(m[role], cmd("/order pay order:#N amount:100 method:tt date:2026-11-26", n)).Text()
			payable := role == assurance.RoleBuyer && (from == assurance.AwaitingPayment || from == assurance.AwaitingBalance)
			o := order(t, h, n)
			switch {
			case payable && (o.Status != assurance.PaymentProcessing || o.PendingPayment() == nil || snap(t, h, n).events != pre.events+1):
				t.Errorf("pay in %s by %s: status %s\n%s", from, role, o.Status, text)
			case !payable && (snap(t, h, n) != pre || !strings.Contains(text, "Nothing was changed")):
				t.Errorf("pay in %s by %s was not refused cleanly:\n%s", from, role, text)
			}
			// cancel: buyer or agent side, before money moved.
			n = seed(t, h, m[assurance.RoleBuyer], from)
			pre = snap(t, h, n)
			text = h.Command(m[role], cmd("/order cancel order:#N reason:\"found a better offer\"", n)).Text()
			cancellable := from == assurance.AwaitingConfirmation || from == assurance.AwaitingPayment
			o = order(t, h, n)
			switch {
			case cancellable && (o.Status != assurance.Cancelled || snap(t, h, n).events != pre.events+1):
				t.Errorf("cancel in %s by %s: status %s\n%s", from, role, o.Status, text)
			case !cancellable && (snap(t, h, n) != pre || !strings.Contains(text, "Nothing was changed")):
				t.Errorf("cancel in %s by %s was not refused cleanly:\n%s", from, role, text)
			}
		}
	}
}

// changeValues are a valid new value per /order change field.
var changeValues = map[string]string{
	"ship_date": "2027-01-10", "quantity": "600", "specs.quality": "AQL 2.5", "specs.packaging": "20 per carton",
	"specs.customisation": "Logo in Pantone 286", "specs.design_files": "https://example.com/logo.ai",
	"address": "1 Harbour Road, Hong Kong", "total": "1500", "currency": "EUR", "deposit": "100", "supplier": "Ningbo Widgets",
	"payment_method": "card", "coverage": "pre_shipment", "incoterm": "DDP", "receipt_deadline": "15",
}

// changeFields lists the fields in the order the table runs them (buyer last: it hands the order over).
var changeFields = []string{"ship_date", "quantity", "specs.quality", "specs.packaging", "specs.customisation",
	"specs.design_files", "address", "total", "currency", "deposit", "supplier", "payment_method", "coverage",
	"incoterm", "receipt_deadline", "buyer"}

// expectChange is POLICY.md 2.1 written out by hand: "direct", "pending" or a refusal's telltale phrase.
func expectChange(s assurance.Status, field string, role assurance.Role) string {
	afterPayment := []string{"ship_date", "quantity", "specs.quality", "specs.packaging", "specs.customisation", "specs.design_files", "address"}
	if field == "receipt_deadline" {
		if s == assurance.InTransit {
			return "extended"
		}
		return "that is not possible now"
	}
	switch s {
	case assurance.AwaitingConfirmation:
		if role != assurance.RoleBuyer {
			return "direct"
		}
		if field == "buyer" {
			return "you cannot change"
		}
		return "pending"
	case assurance.AwaitingPayment:
		if field == "buyer" {
			return "cannot be changed now"
		}
		if role != assurance.RoleBuyer {
			return "direct"
		}
		return "pending"
	case assurance.PaymentProcessing:
		return "wait until it arrives"
	case assurance.AwaitingBalance, assurance.AwaitingShipment:
		switch {
		case field == "total" || field == "currency":
			return "frozen"
		case slices.Contains(afterPayment, field):
			return "pending"
		}
		return "cannot be changed now"
	case assurance.InTransit, assurance.Received:
		return "has shipped"
	case assurance.Completed, assurance.Refunded, assurance.Cancelled:
		return "is closed"
	}
	return "in a dispute"
}

// TestEveryStateFieldAndRole runs /order change for every state, field and role.
func TestEveryStateFieldAndRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m := tableMembers(h)
	carol := h.Buyer("carol")
	for _, s := range assurance.Statuses {
		for _, role := range tableRoles {
			n := seed(t, h, m[assurance.RoleBuyer], s)
			for _, f := range changeFields {
				value := changeValues[f]
				if f == "buyer" {
					value = "<@" + carol.ID + ">"
				}
				name := fmt.Sprintf("%s: %s by %s", s, f, role)
				pre, before := snap(t, h, n), order(t, h, n)
				text := h.Command(m[role], cmd(fmt.Sprintf("/order change order:#N field:%s value:\"%s\"", f, value), n)).Text()
				after := order(t, h, n)
				switch want := expectChange(s, f, role); want {
				case "direct", "extended":
					if got := snap(t, h, n); got.events != pre.events+1 || got.version != pre.version+1 {
						t.Errorf("%s: not applied:\n%s", name, text)
					}
					if want == "direct" && after.Changes != nil && len(after.Changes) != len(before.Changes) {
						t.Errorf("%s: a direct change left a request", name)
					}
				case "pending":
					c := after.Changes
					if len(c) != len(before.Changes)+1 || c[len(c)-1].Field != f || !strings.Contains(text, "Request") {
						t.Errorf("%s: no pending request:\n%s", name, text)
						continue
					}
					wantMode := assurance.ChangeNeedsBoth
					if s == assurance.AwaitingConfirmation || s == assurance.AwaitingPayment {
						wantMode = assurance.ChangeNeedsAgent
					}
					if c[len(c)-1].Mode != wantMode {
						t.Errorf("%s: mode %s, want %s", name, c[len(c)-1].Mode, wantMode)
					}
				default:
					if !strings.Contains(text, want) || snap(t, h, n) != pre {
						t.Errorf("%s: want a refusal with %q and nothing written, got:\n%s", name, want, text)
					}
				}
			}
		}
	}
}
