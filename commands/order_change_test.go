package commands_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands/commandstest"
)

// lastAnnouncement returns the latest message posted to the updates channel.
func lastAnnouncement(t *testing.T, h *commandstest.Harness) commandstest.Message {
	t.Helper()
	a := h.Announced()
	if len(a) == 0 {
		t.Fatal("nothing was announced")
	}
	m := a[len(a)-1].Msg
	return commandstest.Message{Content: m.Content, Embeds: m.Embeds, Components: m.Components}
}

// setUpdates configures the updates channel as a moderator would.
func setUpdates(t *testing.T, h *commandstest.Harness) {
	t.Helper()
	if text := h.Command(h.Moderator("mia"), "/setup updates-channel channel:#updates").Text(); !strings.Contains(text, "Updates channel") {
		t.Fatalf("setup: %s", text)
	}
}

func TestShipDateChangeNeedsBothSides(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	setUpdates(t, h)
	alice, bob, eve := h.Buyer("alice"), h.Agent("bob"), h.Buyer("eve")
	n := seed(t, h, alice, assurance.AwaitingBalance)

	rec := h.Command(alice, cmd(`/order change order:#N field:ship_date value:2027-01-15`, n))
	if !strings.Contains(rec.Text(), "Request 1") || !strings.Contains(rec.Text(), "waiting for the other side") {
		t.Fatalf("request: %s", rec.Text())
	}
	if o := order(t, h, n); o.ShipDate.String() != "2026-12-20" || len(o.Changes) != 1 {
		t.Fatalf("a pending request changed the order: %+v", o)
	}
	ann := lastAnnouncement(t, h)
	if !strings.Contains(ann.Text(), "asked to change Ship date") || !strings.Contains(ann.Content, "<@"+alice.ID+">") {
		t.Fatalf("announcement: %s", ann.Text())
	}
	accept := ann.CustomID("Accept request 1")
	if text := h.Click(alice, ann, accept).Text(); !strings.Contains(text, "is yours") {
		t.Fatalf("requester accepting: %s", text)
	}
	if text := h.Click(eve, ann, accept).Text(); !strings.Contains(text, "no order #") {
		t.Fatalf("stranger accepting: %s", text)
	}
	pre := snap(t, h, n)
	rec = h.Click(bob, ann, accept)
	if !strings.Contains(rec.Text(), "Request 1 accepted") {
		t.Fatalf("agent accepting: %s", rec.Text())
	}
	o := order(t, h, n)
	if o.ShipDate.String() != "2027-01-15" || o.FirstShip.String() != "2026-12-20" || len(o.Changes) != 0 {
		t.Fatalf("after accept: ship %s first %s changes %v", o.ShipDate, o.FirstShip, o.Changes)
	}
	if got := snap(t, h, n); got.events != pre.events+1 {
		t.Fatalf("accept wrote %d events", got.events-pre.events)
	}
	if text := h.Click(bob, ann, accept).Text(); !strings.Contains(text, "no longer waiting") {
		t.Fatalf("second accept: %s", text)
	}

	// The agent's side asks in awaiting_shipment; the buyer agrees from /order show.
	h.Command(bob, cmd(`/order change order:#N field:quantity value:480`, n))
	show := h.Command(alice, cmd(`/order show order:#N`, n)).Last()
	h.Click(alice, show, show.CustomID("Accept request 2"))
	if o := order(t, h, n); o.Quantity != 480 {
		t.Fatalf("quantity %d after the buyer accepted", o.Quantity)
	}
}

func TestShipDateCapIsNinetyDaysPastTheFirstAgreedDate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice := h.Buyer("alice")
	n := seed(t, h, alice, assurance.AwaitingShipment) // first agreed ship date 2026-12-20
	pre := snap(t, h, n)
	text := h.Command(alice, cmd(`/order change order:#N field:ship_date value:2027-03-21`, n)).Text()
	if !strings.Contains(text, "at most 90 days") || !strings.Contains(text, "2027-03-20") || snap(t, h, n) != pre {
		t.Fatalf("past the cap: %s", text)
	}
	if text := h.Command(alice, cmd(`/order change order:#N field:ship_date value:2027-03-20`, n)).Text(); !strings.Contains(text, "Request 1") {
		t.Fatalf("at the cap: %s", text)
	}
}

func TestRejectWithdrawAndExpiryLeaveTheOrderAsItWas(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, bob := h.Buyer("alice"), h.Agent("bob")
	n := seed(t, h, alice, assurance.AwaitingConfirmation)
	base := order(t, h, n)

	// Rejected.
	rec := h.Command(alice, cmd(`/order change order:#N field:quantity value:900`, n))
	show := h.Command(bob, cmd(`/order show order:#N`, n)).Last()
	if text := h.Click(bob, show, show.CustomID("Reject request 1")).Text(); !strings.Contains(text, "rejected") {
		t.Fatalf("reject: %s", text)
	}
	// Withdrawn by its requester.
	rec = h.Command(alice, cmd(`/order change order:#N field:quantity value:901`, n))
	if text := h.Click(alice, rec.Last(), rec.Last().CustomID("Withdraw request 2")).Text(); !strings.Contains(text, "withdrawn") {
		t.Fatalf("withdraw: %s", text)
	}
	// Expired: acted on after 7 days.
	h.Command(alice, cmd(`/order change order:#N field:quantity value:902`, n))
	show = h.Command(bob, cmd(`/order show order:#N`, n)).Last()
	h.SetNow(h.Now().Add(7*24*time.Hour + time.Minute))
	if text := h.Click(bob, show, show.CustomID("Accept request 3")).Text(); !strings.Contains(text, "expired") {
		t.Fatalf("expired accept: %s", text)
	}
	o := order(t, h, n)
	if o.Quantity != base.Quantity || len(o.Changes) != 0 {
		t.Fatalf("quantity %d, changes %v", o.Quantity, o.Changes)
	}
	var kinds []string
	for _, e := range events(t, h, n) {
		kinds = append(kinds, e.Type)
	}
	want := "created change_requested change_rejected change_requested change_withdrawn change_requested change_expired"
	if strings.Join(kinds, " ") != want {
		t.Fatalf("timeline %v", kinds)
	}
}

func TestExpiredRequestsAreDroppedByTheNextChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, bob := h.Buyer("alice"), h.Agent("bob")
	n := seed(t, h, alice, assurance.AwaitingConfirmation)
	h.Command(alice, cmd(`/order change order:#N field:quantity value:900`, n))
	h.SetNow(h.Now().Add(8 * 24 * time.Hour))
	h.Command(bob, cmd(`/order change order:#N field:incoterm value:DDP`, n))
	o := order(t, h, n)
	evs := events(t, h, n)
	if len(o.Changes) != 0 || o.Quantity != 500 || o.Incoterm != "DDP" || evs[len(evs)-2].Type != "change_expired" {
		t.Fatalf("changes %v, quantity %d, incoterm %s", o.Changes, o.Quantity, o.Incoterm)
	}
}

func TestReceiptDeadlineExtensionOncePerSide(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, bob, mia := h.Buyer("alice"), h.Agent("bob"), h.Moderator("mia")
	n := seed(t, h, alice, assurance.InTransit)
	for _, step := range []struct {
		who  commandstest.Member
		want string
	}{{alice, "extended the receipt deadline by 15 days"}, {alice, "already extended"}, {bob, "extended"}, {mia, "already extended"}} {
		if text := h.Command(step.who, cmd(`/order change order:#N field:receipt_deadline value:15`, n)).Text(); !strings.Contains(text, step.want) {
			t.Fatalf("%s: want %q in %s", step.who.Name, step.want, text)
		}
	}
	if o := order(t, h, n); strings.Join(o.Extended, ",") != "buyer,agent" {
		t.Fatalf("extended %v", o.Extended)
	}
}
