package commands_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands/commandstest"
	"github.com/tradeguard/tradeguard/state"
)

// lateShipmentWalk opens a walk-through on a late, paid order and returns it at its first question.
func lateShipmentWalk(t *testing.T, h *commandstest.Harness, m commandstest.Member) (*walker, int64) {
	t.Helper()
	n := seedOrder(t, h, m, assurance.AwaitingShipment, nil)
	w := newWalker(t, h, m).command(fmt.Sprintf("/dispute open order:%d", n))
	w.click("issue", "not_shipped_by_date")
	if w.fact() != "supplier_ta" {
		t.Fatalf("first question:\n%s", w.msg.Text())
	}
	return w, n
}

func TestDisputeDoubleClickAppliesOnce(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	w, _ := lateShipmentWalk(t, h, alice)
	before := w.conv()
	screen := w.msg
	yes := w.find("ans", "supplier_ta", "true")
	first := h.Click(alice, screen, yes).Text()
	second := h.Click(alice, screen, yes).Text() // the same button on the same (old) message
	if strings.Contains(first, "out of date") || !strings.Contains(second, "out of date") {
		t.Fatalf("first:\n%s\nsecond:\n%s", first, second)
	}
	if !strings.Contains(second, "Did you accept this problem in writing") { // the second click shows where the walk stands
		t.Fatalf("second click shows:\n%s", second)
	}
	c := w.conv()
	d, _ := decode(t, c)
	if c.Version != before.Version+1 || len(d.Answers) != 1 {
		t.Fatalf("version %d -> %d, answers %+v", before.Version, c.Version, d.Answers)
	}

	// Truly simultaneous clicks, on two replicas: one applies, the other is told the screen moved on.
	h2 := commandstest.NewOn(t, h.Store)
	screen = h.Click(alice, screen, yes).Last() // a stale click answers with the current screen
	no := (&walker{t: t, msg: screen}).find("ans", "accepted_in_writing", "false")
	before = w.conv()
	texts := clickTogether(alice, screen, no, h, h2)
	stale := 0
	for _, text := range texts {
		if strings.Contains(text, "out of date") {
			stale++
		}
	}
	c = w.conv()
	d, _ = decode(t, c)
	if stale != 1 || c.Version != before.Version+1 || len(d.Answers) != 2 || c.Step != "evidence" {
		t.Fatalf("stale answers %d, version %d -> %d, step %s, answers %+v\n%s\n---\n%s", stale, before.Version, c.Version, c.Step, d.Answers, texts[0], texts[1])
	}
}

// TestDisputeTwoReplicasAlternate sends every interaction of one walk-through to the other of two routers
// sharing one Redis: the walk finishes and files one dispute.
func TestDisputeTwoReplicasAlternate(t *testing.T) {
	h1 := commandstest.New(t)
	h2 := commandstest.NewOn(t, h1.Store)
	alice := h1.Buyer("alice")
	n := seedOrder(t, h1, alice, assurance.Received, func(o *state.Order) { o.ReceivedOn = day(t, "2026-11-20") })
	w := newWalker(t, h1, alice)
	w.replicas = []*commandstest.Harness{h1, h2}
	w.command(fmt.Sprintf("/dispute open order:%d", n))
	w.click("issue", "quality_mismatch")
	w.answerAll(defaultAnswers())
	w.click("ev", "photos", "chat_records")
	w.click("next")
	w.refund("quantity", map[string]string{"affected": "50"})
	mustContain(t, w.msg.Text(), "Likely eligible, up to 125.05 USD")
	w.click("confirm")
	mustContain(t, w.msg.Text(), "Dispute #1 filed")
	if w.turn < 10 {
		t.Fatalf("only %d interactions alternated", w.turn)
	}
	if o := order(t, h1, n); o.Status != assurance.InDispute || o.Disputes != 1 {
		t.Fatalf("order %+v", o)
	}
	if d := dispute(t, h2, n, 1); len(d.Evidence) != 2 || d.AffectedQty != 50 {
		t.Fatalf("dispute %+v", d)
	}
}

// TestDisputeSurvivesRestart: a new process over the same Redis continues the walk-through, from the old
// message's buttons or from /dispute open (which then retires the old message's buttons).
func TestDisputeSurvivesRestart(t *testing.T) {
	h1 := commandstest.New(t)
	alice := h1.Buyer("alice")
	w, n := lateShipmentWalk(t, h1, alice)
	w.answer("true")

	w.h = commandstest.NewOn(t, h1.Store) // "restart": a new router and handlers, nothing kept in memory
	w.answer("false")
	if w.step() != 3 {
		t.Fatalf("after the restart:\n%s", w.msg.Text())
	}
	old := w.msg
	w.command(fmt.Sprintf("/dispute open order:%d", n))
	mustContain(t, w.msg.Text(), "Continuing the walk-through you started on 2026-11-27 12:00 UTC", "step 3 of 5")
	if text := w.h.Click(alice, old, (&walker{t: t, msg: old}).find("next")).Text(); !strings.Contains(text, "out of date") {
		t.Fatalf("the old message's button still works:\n%s", text)
	}
	w.click("next")
	w.refund("full", nil)
	w.click("confirm")
	mustContain(t, w.msg.Text(), "Dispute #1 filed")
}

// TestDisputeClicksAreReauthorised: another member gets a polite refusal and changes nothing; a moderator
// may move the walk-through on but only the buyer files it.
func TestDisputeClicksAreReauthorised(t *testing.T) {
	h := commandstest.New(t)
	alice, bob, mod := h.Buyer("alice"), h.Buyer("bob"), h.Moderator("mo")
	w, n := lateShipmentWalk(t, h, alice)
	before := w.conv()
	rec := h.Click(bob, w.msg, w.find("ans", "supplier_ta", "true"))
	if m := rec.Last(); !m.Ephemeral() || !strings.Contains(m.Text(), "only they or a moderator can continue it") ||
		rec.Initial().Type == 7 {
		t.Fatalf("another member's click: %+v", m)
	}
	if c := w.conv(); c.Version != before.Version {
		t.Fatal("another member's click changed the walk-through")
	}
	w.m = mod
	w.answer("true")
	w.answer("false")
	w.click("next")
	w.refund("full", nil)
	w.click("confirm")
	mustContain(t, w.text(), "Only the buyer of order #1 can open a dispute")
	if o := order(t, h, n); o.Status != assurance.AwaitingShipment {
		t.Fatalf("a moderator filed the dispute: %+v", o)
	}
	w.m = alice
	w.click("confirm")
	mustContain(t, w.msg.Text(), "Dispute #1 filed")
}

func TestDisputeExpiredWalkThrough(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	w, n := lateShipmentWalk(t, h, alice)
	if err := h.Store.DeleteConversation(context.Background(), w.conv()); err != nil { // what the 24 h expiry does
		t.Fatal(err)
	}
	w.answer("true")
	mustContain(t, w.msg.Text(), "This dispute walk-through has expired", fmt.Sprintf("`/dispute open order:%d`", n))
	if len(w.msg.Components) != 0 {
		t.Fatalf("an expired walk-through keeps its buttons: %+v", w.msg.Components)
	}
	w.command(fmt.Sprintf("/dispute open order:%d", n))
	if w.step() != 1 {
		t.Fatalf("starting again:\n%s", w.msg.Text())
	}
}

// TestDisputeOnlyOneOpen: a second /dispute open points to the open dispute, and simultaneous Confirms
// on two replicas file one dispute.
func TestDisputeOnlyOneOpen(t *testing.T) {
	h := commandstest.New(t)
	h2 := commandstest.NewOn(t, h.Store)
	alice := h.Buyer("alice")
	w, n := lateShipmentWalk(t, h, alice)
	w.answerAll(defaultAnswers())
	w.click("next")
	w.refund("full", nil)
	texts := clickTogether(alice, w.msg, w.find("confirm"), h, h2)
	filed := 0
	for _, text := range texts {
		if strings.Contains(text, "Dispute #1 filed") {
			filed++
		}
	}
	o := order(t, h, n)
	evs, _ := h.Store.Events(context.Background(), commandstest.Guild, n, "", 0)
	if filed < 1 || o.Disputes != 1 || len(evs) != 2 {
		t.Fatalf("filed screens %d, disputes %d, events %d:\n%s\n---\n%s", filed, o.Disputes, len(evs), texts[0], texts[1])
	}
	text := h.Command(alice, fmt.Sprintf("/dispute open order:%d", n)).Text()
	mustContain(t, text, "Order #1 already has a dispute: #1, Not shipped by the agreed date, Negotiating with the supplier, opened 2026-11-27",
		"`/dispute status order:1`")
}

// clickTogether presses the same component at the same moment on each replica and returns what each answered.
func clickTogether(m commandstest.Member, msg commandstest.Message, customID string, replicas ...*commandstest.Harness) []string {
	var wg sync.WaitGroup
	texts := make([]string, len(replicas))
	for i, h := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			texts[i] = h.Click(m, msg, customID).Text()
		}()
	}
	wg.Wait()
	return texts
}
