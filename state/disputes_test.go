package state_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

var errAlreadyOpen = errors.New("already open")

// openChange files a dispute on an order that has none in force.
func openChange(at time.Time, calls *int) state.DisputeChange {
	return func(o *state.Order) (*state.Dispute, []state.Event, error) {
		*calls++
		if o.Dispute != 0 {
			return nil, nil, errAlreadyOpen
		}
		o.Disputes++
		o.Dispute, o.Prior, o.Status, o.UpdatedAt = o.Disputes, o.Status, assurance.InDispute, at
		d := &state.Dispute{Number: o.Dispute, Buyer: o.Buyer, Issue: "damaged", Stage: assurance.StageNegotiation,
			Prior: o.Prior, Asked: decimal.RequireFromString("100"), Currency: o.Currency, OpenedAt: at}
		return d, []state.Event{{Type: "dispute", Actor: o.Buyer, At: at, From: o.Prior, To: o.Status, Note: "opened"}}, nil
	}
}

func receivedOrder(t *testing.T, s *state.Store) *state.Order {
	t.Helper()
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	o := newOrder("42", "u1", at)
	o.Status = assurance.Received
	if err := s.CreateOrder(context.Background(), o, state.Event{Type: "created", Actor: "u1", At: at, To: o.Status}); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestDisputeOpensWithItsOrderAtomically(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	o := receivedOrder(t, s)
	at := o.CreatedAt.Add(time.Hour)
	calls := 0
	item := state.EvidenceItem{Kind: "photos", Link: "https://example.com/p.jpg", By: "u1", At: at}
	got, d, _, err := s.ChangeDispute(ctx, "42", o.Number, o, openChange(at, &calls), item)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != assurance.InDispute || got.Prior != assurance.Received || got.Dispute != 1 || got.Version != 2 || d.Number != 1 {
		t.Fatalf("order %+v dispute %+v", got, d)
	}
	stored, _ := s.GetOrder(ctx, "42", o.Number)
	if stored.Status != assurance.InDispute || stored.Version != 2 || stored.Dispute != 1 {
		t.Fatalf("stored order %+v", stored)
	}
	for _, st := range []string{"in_dispute", "received"} { // the order's indexes follow its state
		page, err := s.ListOrders(ctx, "42", state.IndexKey("", st), 0, 10)
		if err != nil || (page.Total == 1) != (st == "in_dispute") {
			t.Fatalf("index %s: %+v, %v", st, page, err)
		}
	}
	back, err := s.Dispute(ctx, "42", o.Number, 1)
	if err != nil || back.Issue != "damaged" || !back.Asked.Equal(decimal.NewFromInt(100)) || back.Order != o.Number {
		t.Fatalf("dispute %+v, %v", back, err)
	}
	items, _ := s.Evidence(ctx, "42", o.Number, 1)
	if len(items) != 1 || items[0].Link != item.Link {
		t.Fatalf("evidence %+v", items)
	}
	evs, _ := s.Events(ctx, "42", o.Number, "", 0)
	if len(evs) != 2 || evs[1].Type != "dispute" || evs[1].To != assurance.InDispute {
		t.Fatalf("timeline %+v", evs)
	}
	// A refused change writes nothing.
	if _, _, _, err := s.ChangeDispute(ctx, "42", o.Number, stored, openChange(at, &calls)); !errors.Is(err, errAlreadyOpen) {
		t.Fatalf("second open: %v", err)
	}
	if evs, _ := s.Events(ctx, "42", o.Number, "", 0); len(evs) != 2 {
		t.Fatalf("a refused change wrote an event: %+v", evs)
	}
	if err := s.AddEvidence(ctx, "42", o.Number, 1, state.EvidenceItem{Note: "supplier admits it", By: "u1", At: at},
		state.Event{Type: "evidence", Actor: "u1", At: at}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddEvidence(ctx, "42", o.Number, 9, state.EvidenceItem{}, state.Event{Type: "evidence", At: at}); !state.IsNotFound(err) {
		t.Fatalf("evidence for a missing dispute: %v", err)
	}
	if items, _ := s.Evidence(ctx, "42", o.Number, 1); len(items) != 2 || items[1].Note != "supplier admits it" {
		t.Fatalf("evidence %+v", items)
	}
	all, err := s.Disputes(ctx, "42", o.Number)
	if err != nil || len(all) != 1 || all[0].Number != 1 {
		t.Fatalf("disputes %+v, %v", all, err)
	}
}

func TestDisputeOpenedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	o := receivedOrder(t, s)
	const n = 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	opened, refused := 0, 0
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			calls := 0
			_, _, _, err := s.ChangeDispute(ctx, "42", o.Number, o, openChange(time.Now().UTC(), &calls))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				opened++
			case errors.Is(err, errAlreadyOpen):
				refused++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if opened != 1 || refused != n-1 {
		t.Fatalf("opened %d, refused %d", opened, refused)
	}
	if all, _ := s.Disputes(ctx, "42", o.Number); len(all) != 1 {
		t.Fatalf("%d disputes stored", len(all))
	}
}

func TestDisputeEvidenceIsCapped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	o := receivedOrder(t, s)
	calls := 0
	if _, _, _, err := s.ChangeDispute(ctx, "42", o.Number, o, openChange(o.CreatedAt, &calls)); err != nil {
		t.Fatal(err)
	}
	for i := range state.MaxEvidenceItems {
		if err := s.AddEvidence(ctx, "42", o.Number, 1, state.EvidenceItem{Note: "n", At: o.CreatedAt}, state.Event{Type: "evidence", At: o.CreatedAt}); err != nil {
			t.Fatalf("item %d: %v", i, err)
		}
	}
	err := s.AddEvidence(ctx, "42", o.Number, 1, state.EvidenceItem{Note: "one too many"}, state.Event{Type: "evidence", At: o.CreatedAt})
	if !errors.Is(err, state.ErrFull) {
		t.Fatalf("item %d: %v, want full", state.MaxEvidenceItems+1, err)
	}
	if items, _ := s.Evidence(ctx, "42", o.Number, 1); len(items) != state.MaxEvidenceItems {
		t.Fatalf("%d items stored", len(items))
	}
}
