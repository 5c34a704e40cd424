package commands_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/commands/commandstest"
)

// TestFullLifecycle takes one order from creation to receipt through the commands, with every
// event announced to the updates channel (mentioning the buyer) and kept on the timeline.
func TestFullLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	setUpdates(t, h)
	alice, bob := h.Buyer("alice"), h.Agent("bob")
	n := create(t, h, alice, baseOrder)
	steps := []struct {
		who    commandstest.Member
		line   string
		status assurance.Status
	}{
		{bob, "/order update order:#N status:awaiting_payment", assurance.AwaitingPayment},
		{alice, "/order pay order:#N amount:360 method:tt", assurance.PaymentProcessing},
		{bob, "/order update order:#N status:awaiting_balance", assurance.AwaitingBalance},
		{bob, `/order update order:#N note:"production 90% done"`, assurance.AwaitingBalance},
		{alice, "/order pay order:#N amount:840 method:tt", assurance.PaymentProcessing},
		{bob, "/order update order:#N status:awaiting_shipment", assurance.AwaitingShipment},
		{bob, `/order update order:#N status:in_transit tracking:"DHL 1234567890" date:2026-11-26`, assurance.InTransit},
		{alice, "/order update order:#N status:received date:2026-11-27", assurance.Received},
	}
	for _, s := range steps {
		text := h.Command(s.who, cmd(s.line, n)).Text()
		if o := order(t, h, n); o.Status != s.status {
			t.Fatalf("%s: status %s, want %s:\n%s", s.line, o.Status, s.status, text)
		}
	}
	o := order(t, h, n)
	if !o.Arrived().Equal(o.Total) || o.Tracking != "DHL 1234567890" || o.ShippedOn.String() != "2026-11-26" ||
		o.ReceivedOn.String() != "2026-11-27" || o.FirstShip.String() != "2026-12-20" || o.Deadline.IsZero() {
		t.Fatalf("record %+v", o)
	}
	evs := events(t, h, n)
	if len(evs) != 1+len(steps) {
		t.Fatalf("%d events", len(evs))
	}
	ann := h.Announced()
	if len(ann) != 1+len(steps) {
		t.Fatalf("%d announcements, want %d", len(ann), 1+len(steps))
	}
	for _, a := range ann {
		if a.Channel != commandstest.Updates || !strings.Contains(a.Msg.Content, "<@"+alice.ID+">") ||
			a.Msg.AllowedMentions == nil || len(a.Msg.AllowedMentions.Users) != 1 {
			t.Fatalf("announcement %+v", a.Msg)
		}
	}
	tl := h.Command(alice, cmd("/order timeline order:#N", n)).Text()
	for _, want := range []string{
		"`2026-11-27 12:00 UTC` **alice** created the order: 1,200.00 USD",
		"**bob** confirmed the order (Awaiting supplier confirmation → Awaiting payment)",
		"**alice** recorded a payment of 360.00 USD",
		"**bob** marked 360.00 USD as arrived (Payment processing → Deposit received, balance due)",
		"**bob** posted an update\n> production 90% done",
		"**bob** marked the order shipped on 2026-11-26",
		"tracking DHL 1234567890",
		"**alice** confirmed receipt on 2026-11-27",
		"Page 1/1 · 9 events",
	} {
		if !strings.Contains(tl, want) {
			t.Errorf("timeline lacks %q:\n%s", want, tl)
		}
	}
	show := h.Command(alice, cmd("/order show order:#N", n)).Text()
	if !strings.Contains(show, "claims until 2026-12-27") || !strings.Contains(show, "open a dispute") {
		t.Fatalf("show: %s", show)
	}
}

func TestVisibilityIsNoSuchOrderForEveryoneElse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, eve, bob := h.Buyer("alice"), h.Buyer("eve"), h.Agent("bob")
	n := create(t, h, alice, baseOrder)
	other := commandstest.Member{ID: alice.ID, Name: "alice", Guild: commandstest.OtherGuild}
	create(t, h, other, baseOrder)
	create(t, h, other, baseOrder) // #2 exists only in the other server
	missing := h.Command(alice, "/order show order:2").Text()
	if !strings.Contains(missing, "no order #2") {
		t.Fatalf("another server's order: %s", missing)
	}
	for _, line := range []string{"/order show order:#N", "/order timeline order:#N", `/order update order:#N note:"hi"`,
		"/order pay order:#N amount:1 method:card", `/order cancel order:#N reason:"x"`,
		`/order change order:#N field:quantity value:1`, `/order inspection order:#N result:pass note:"ok"`} {
		pre := snap(t, h, n)
		got := h.Command(eve, cmd(line, n)).Text()
		want := strings.ReplaceAll(h.Command(eve, cmd(line, 99)).Text(), "#99", fmt.Sprintf("#%d", n))
		if got != want || snap(t, h, n) != pre {
			t.Errorf("%s: a stranger got %q, for a missing order %q", line, got, want)
		}
	}
	if text := h.Command(bob, cmd("/order show order:#N", n)).Text(); !strings.Contains(text, "Shenzhen Acme") {
		t.Fatalf("agent: %s", text)
	}
	if text := h.Command(eve, "/order list buyer:@alice").Text(); !strings.Contains(text, "only your own") {
		t.Fatalf("stranger listing alice: %s", text)
	}
}

func TestFailedInspectionWarnsBeforeBalanceAndReceipt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, bob := h.Buyer("alice"), h.Agent("bob")
	n := seed(t, h, alice, assurance.AwaitingBalance)
	h.Command(bob, cmd(`/order inspection order:#N result:fail note:"Logo colour off on 20 of 500 units"`, n))

	pre := snap(t, h, n)
	warn := h.Command(alice, cmd("/order pay order:#N amount:840 method:tt", n)).Last()
	if !strings.Contains(warn.Text(), "counts as accepting that breach, for the failed points only") ||
		!strings.Contains(warn.Text(), "Other breaches you find later stay claimable") || !strings.Contains(warn.Text(), "Logo colour off") {
		t.Fatalf("warning: %s", warn.Text())
	}
	if snap(t, h, n) != pre {
		t.Fatal("the warning wrote to the order")
	}
	if text := h.Click(alice, warn, warn.CustomID("Stop")).Text(); !strings.Contains(text, "Nothing was changed") || snap(t, h, n) != pre {
		t.Fatalf("stop: %s", text)
	}
	if text := h.Click(bob, warn, warn.CustomID("I understand")).Text(); !strings.Contains(text, "Only the member who ran") {
		t.Fatalf("someone else confirming: %s", text)
	}
	h.Click(alice, warn, warn.CustomID("I understand"))
	o := order(t, h, n)
	evs := events(t, h, n)
	if o.Status != assurance.PaymentProcessing || o.Inspection.Accepted.IsZero() || evs[len(evs)-1].Args["accepted_failed_inspection"] != "1" {
		t.Fatalf("after confirming: %s, %+v", o.Status, evs[len(evs)-1])
	}

	// A second failed inspection warns again before receipt.
	m := seed(t, h, alice, assurance.InTransit)
	h.Command(alice, cmd(`/order inspection order:#N result:fail note:"Cartons crushed"`, m))
	warn = h.Command(alice, cmd("/order update order:#N status:received", m)).Last()
	if !strings.Contains(warn.Text(), "confirm receipt") {
		t.Fatalf("receipt warning: %s", warn.Text())
	}
	h.Click(alice, warn, warn.CustomID("I understand"))
	if o := order(t, h, m); o.Status != assurance.Received || o.ReceivedOn.String() != "2026-11-27" {
		t.Fatalf("after confirming receipt: %s %s", o.Status, o.ReceivedOn)
	}
}

func TestWritesCountAgainstTheRateLimit(t *testing.T) {
	t.Parallel()
	h := commandstest.New(t, commands.WithWriteLimit(3))
	alice := h.Buyer("alice")
	n := create(t, h, alice, baseOrder)
	h.Command(alice, cmd(`/order update order:#N note:"one"`, n))
	h.Command(alice, cmd(`/order change order:#N field:quantity value:10`, n))
	pre := snap(t, h, n)
	if text := h.Command(alice, cmd(`/order update order:#N note:"three"`, n)).Text(); !strings.Contains(text, "too fast") || snap(t, h, n) != pre {
		t.Fatalf("fourth write: %s", text)
	}
	if text := h.Command(alice, cmd(`/order show order:#N`, n)).Text(); !strings.Contains(text, "Shenzhen Acme") {
		t.Fatalf("reads are not limited: %s", text)
	}
}
