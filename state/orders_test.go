package state_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

func newOrder(guild, buyer string, at time.Time) *state.Order {
	return &state.Order{
		Guild: guild, Buyer: buyer, Supplier: "Shenzhen Acme", Total: decimal.RequireFromString("1250.50"),
		Currency: "USD", Status: assurance.AwaitingConfirmation, CreatedAt: at, UpdatedAt: at,
	}
}

func TestCreateOrderIsAtomicAndReadable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	o := newOrder("42", "u1", at)
	o.ShipDate, _ = assurance.ParseDate("2026-12-20")
	if err := s.CreateOrder(ctx, o, state.Event{Type: "created", Actor: "u1", Name: "alice", At: at, To: o.Status}); err != nil {
		t.Fatal(err)
	}
	if o.Number != 1 {
		t.Fatalf("first order number = %d, want 1", o.Number)
	}
	got, err := s.GetOrder(ctx, "42", 1)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Total.Equal(o.Total) || got.Currency != "USD" || got.ShipDate.String() != "2026-12-20" || got.Version != 1 {
		t.Fatalf("loaded %+v", got)
	}
	evs, err := s.Events(ctx, "42", 1, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Type != "created" || evs[0].Actor != "u1" || !evs[0].At.Equal(at) || evs[0].To != assurance.AwaitingConfirmation {
		t.Fatalf("events = %+v", evs)
	}
	if _, err := s.GetOrder(ctx, "43", 1); !state.IsNotFound(err) {
		t.Fatalf("another server's order 1: err = %v, want not found", err)
	}
}

func TestOrderNumbersUnderConcurrency(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	const n = 50
	at := time.Now().UTC()
	nums := make(chan int64, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := newOrder("7", "u1", at)
			if err := s.CreateOrder(ctx, o, state.Event{Type: "created", At: at}); err != nil {
				t.Error(err)
				return
			}
			nums <- o.Number
		}()
	}
	wg.Wait()
	close(nums)
	seen := map[int64]bool{}
	for v := range nums {
		if seen[v] {
			t.Fatalf("number %d given twice", v)
		}
		seen[v] = true
	}
	for i := int64(1); i <= n; i++ {
		if !seen[i] {
			t.Fatalf("number %d missing (gap); got %v", i, seen)
		}
	}
}

func TestClaimInteractionOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	first, err := s.ClaimInteraction(ctx, "111")
	if err != nil || !first {
		t.Fatalf("first claim = %v, %v", first, err)
	}
	again, err := s.ClaimInteraction(ctx, "111")
	if err != nil || again {
		t.Fatalf("second claim = %v, %v; want false", again, err)
	}
}

func TestUnavailableIsMarked(t *testing.T) {
	t.Parallel()
	conn, err := state.Connect(context.Background(), state.Topology{})
	if err != nil {
		t.Fatal(err)
	}
	s := state.New(conn.Client, "tg")
	_ = conn.Close()
	_, err = s.GetOrder(context.Background(), "1", 1)
	if err == nil || !state.IsUnavailable(err) {
		t.Fatalf("err = %v, want unavailable", err)
	}
}
