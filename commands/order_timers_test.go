package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tradeguard/tradeguard/assurance"
)

func TestSweepFiresEachTimerOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	setUpdates(t, h)
	ctx := context.Background()
	alice, bob := h.Buyer("alice"), h.Agent("bob")
	unconfirmed := create(t, h, alice, baseOrder)
	unpaid := create(t, h, alice, baseOrder)
	h.Command(bob, cmd("/order update order:#N status:awaiting_payment", unpaid))
	withRequest := create(t, h, alice, baseOrder)
	h.Command(alice, cmd("/order change order:#N field:quantity value:900", withRequest))
	received := seed(t, h, alice, assurance.InTransit)
	h.Command(alice, cmd("/order update order:#N status:received date:2026-11-27", received))

	start := h.Now()
	sweep := func(days int) int {
		t.Helper()
		n, err := h.App.Sweep(ctx, start.Add(time.Duration(days)*24*time.Hour+time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := sweep(6); n != 0 {
		t.Fatalf("day 6: %d timers fired", n)
	}
	// Day 7: the change request expires (and the order stays as it was).
	if n := sweep(7); n != 1 {
		t.Fatalf("day 7: %d fired", n)
	}
	if o := order(t, h, withRequest); len(o.Changes) != 0 || o.Quantity != 500 {
		t.Fatalf("request after expiry: %+v", o.Changes)
	}
	// Day 30: the unconfirmed orders are cancelled (#1 and the one with the expired request).
	if n := sweep(30); n != 2 {
		t.Fatalf("day 30: %d fired", n)
	}
	if n := sweep(30); n != 0 {
		t.Fatalf("day 30 again: %d fired", n)
	}
	evs := events(t, h, unconfirmed)
	last := evs[len(evs)-1]
	if o := order(t, h, unconfirmed); o.Status != assurance.Cancelled || last.Actor != "" || last.Args["action"] != "auto_cancel_unconfirmed" {
		t.Fatalf("unconfirmed: %s, %+v", o.Status, last)
	}
	if o := order(t, h, unpaid); o.Status != assurance.AwaitingPayment {
		t.Fatalf("unpaid on day 30: %s", o.Status)
	}
	// The claim window (received 2026-11-27, standard: last day 2026-12-27) ends at midnight after it.
	if n := sweep(31); n != 1 || order(t, h, received).Status != assurance.Completed {
		t.Fatalf("day 31: %d fired, received order is %s", n, order(t, h, received).Status)
	}
	if n := sweep(60); n != 1 || order(t, h, unpaid).Status != assurance.Cancelled {
		t.Fatalf("day 60: %d fired, unpaid is %s", n, order(t, h, unpaid).Status)
	}
	ann := h.Announced()
	if text := ann[len(ann)-1].Msg.Embeds[0].Description; !strings.Contains(text, "**TradeGuard** cancelled the order automatically (not paid in time)") {
		t.Fatalf("announcement: %s", text)
	}
}

func TestSweepSkipsTimersWhoseOrderMovedOn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	alice, bob := h.Buyer("alice"), h.Agent("bob")
	n := create(t, h, alice, baseOrder)
	h.SetNow(h.Now().Add(29 * 24 * time.Hour))
	h.Command(bob, cmd("/order update order:#N status:awaiting_payment", n)) // confirmed on day 29
	if fired, err := h.App.Sweep(ctx, h.Now().Add(2*24*time.Hour)); err != nil || fired != 0 {
		t.Fatalf("day 31: fired %d (%v)", fired, err)
	}
	if fired, _ := h.App.Sweep(ctx, h.Now().Add(60*24*time.Hour+time.Minute)); fired != 1 || order(t, h, n).Status != assurance.Cancelled {
		t.Fatalf("60 days after confirmation: fired %d, %s", fired, order(t, h, n).Status)
	}
}
