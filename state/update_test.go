package state_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

// fixture is what most state tests start from: a context, a store of their own and a moment.
func fixture(t *testing.T) (context.Context, *state.Store, time.Time) {
	t.Helper()
	return context.Background(), statetest.New(t), time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
}

func created(t *testing.T, s *state.Store, o *state.Order) *state.Order {
	t.Helper()
	o.SupplierSlug = state.Slug(o.Supplier)
	if err := s.CreateOrder(context.Background(), o, state.Event{Type: "created", At: o.CreatedAt, To: o.Status}); err != nil {
		t.Fatal(err)
	}
	return o
}

func timeline(t *testing.T, s *state.Store, guild string, n int64) []state.Event {
	t.Helper()
	evs, err := s.Events(context.Background(), guild, n, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestUpdateOrderMovesIndexesAndSupplierTotal(t *testing.T) {
	t.Parallel()
	ctx, s, at := fixture(t)
	o := created(t, s, newOrder("42", "u1", at))

	page := func(index string) []int64 {
		t.Helper()
		p, err := s.ListOrders(ctx, "42", index, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, x := range p.Orders {
			out = append(out, x.Number)
		}
		return out
	}
	if got := page(state.IndexKey("", string(assurance.AwaitingConfirmation))); len(got) != 1 {
		t.Fatalf("status index = %v", got)
	}
	later := at.Add(time.Hour)
	got, evs, err := s.UpdateOrder(ctx, "42", o.Number, nil, func(o *state.Order) ([]state.Event, error) {
		o.Status, o.UpdatedAt = assurance.Cancelled, later
		return []state.Event{{Type: "status", At: later, From: assurance.AwaitingConfirmation, To: assurance.Cancelled, Args: map[string]string{"action": "cancel"}}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || len(evs) != 1 {
		t.Fatalf("version %d, events %d", got.Version, len(evs))
	}
	if n := page(state.IndexKey("", string(assurance.AwaitingConfirmation))); len(n) != 0 {
		t.Fatalf("old status index still lists %v", n)
	}
	if n := page(state.IndexKey("u1", string(assurance.Cancelled))); len(n) != 1 {
		t.Fatalf("buyer+status index = %v", n)
	}
	b := s.Batch()
	sup := b.Supplier("42", o.SupplierSlug)
	if err := b.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if len(sup.Open) != 0 {
		t.Fatalf("a cancelled order still counts against its supplier: %+v", sup.Open)
	}
	tl := timeline(t, s, "42", o.Number)
	if len(tl) != 2 || tl[1].Args["action"] != "cancel" || tl[1].To != assurance.Cancelled {
		t.Fatalf("timeline = %+v", tl)
	}
}

func TestUpdateOrderRetriesOnConflictWithTheCurrentRecord(t *testing.T) {
	t.Parallel()
	ctx, s, at := fixture(t)
	o := created(t, s, newOrder("42", "u1", at))
	stale := o.Clone()
	// Another writer moves the version on.
	if _, _, err := s.UpdateOrder(ctx, "42", o.Number, nil, func(o *state.Order) ([]state.Event, error) {
		o.Tracking = "DHL 1"
		return []state.Event{{Type: "tracking", At: at}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	calls := 0
	got, _, err := s.UpdateOrder(ctx, "42", o.Number, stale, func(o *state.Order) ([]state.Event, error) {
		calls++
		o.Quantity = 7
		return []state.Event{{Type: "change_applied", At: at}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 || got.Tracking != "DHL 1" || got.Quantity != 7 || got.Version != 3 {
		t.Fatalf("calls %d, order %+v", calls, got)
	}
	if n := len(timeline(t, s, "42", o.Number)); n != 3 {
		t.Fatalf("timeline has %d events, want 3 (no event from the lost attempt)", n)
	}
}

func TestConcurrentStatusChangesExactlyOneWins(t *testing.T) {
	t.Parallel()
	ctx, s, at := fixture(t)
	o := created(t, s, newOrder("42", "u1", at))
	var wins, refusals atomic.Int32
	var wg sync.WaitGroup
	refused := fmt.Errorf("refused")
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := s.UpdateOrder(ctx, "42", o.Number, o, func(o *state.Order) ([]state.Event, error) {
				if o.Status != assurance.AwaitingConfirmation {
					return nil, refused
				}
				o.Status = assurance.AwaitingPayment
				return []state.Event{{Type: "status", At: at, Note: fmt.Sprint(i)}}, nil
			})
			switch err {
			case nil:
				wins.Add(1)
			case refused:
				refusals.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 || refusals.Load() != 9 {
		t.Fatalf("wins %d, refusals %d", wins.Load(), refusals.Load())
	}
	if n := len(timeline(t, s, "42", o.Number)); n != 2 {
		t.Fatalf("timeline has %d events, want 2", n)
	}
}

func TestNotesNeverConflictAndBumpTheIndex(t *testing.T) {
	t.Parallel()
	ctx, s, at := fixture(t)
	first := created(t, s, newOrder("42", "u1", at))
	second := created(t, s, newOrder("42", "u2", at.Add(time.Minute)))
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := state.Event{Type: "note", Actor: "a", At: at.Add(time.Hour + time.Duration(i)*time.Second), Note: fmt.Sprint(i)}
			if err := s.AddNote(ctx, "42", first.Number, e); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := len(timeline(t, s, "42", first.Number)); n != 51 {
		t.Fatalf("timeline has %d events, want 51", n)
	}
	got, err := s.GetOrder(ctx, "42", first.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || !got.UpdatedAt.Equal(at.Add(time.Hour+49*time.Second)) {
		t.Fatalf("version %d updated %v", got.Version, got.UpdatedAt)
	}
	p, err := s.ListOrders(ctx, "42", "orders", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Orders) != 2 || p.Orders[0].Number != first.Number || p.Orders[1].Number != second.Number {
		t.Fatalf("newest update first: got %d then %d", p.Orders[0].Number, p.Orders[1].Number)
	}
	if err := s.AddNote(ctx, "42", 99, state.Event{Type: "note", At: at}); !state.IsNotFound(err) {
		t.Fatalf("note on a missing order: %v", err)
	}
}

func TestSuggestOrdersMatchesNumberSupplierAndStatus(t *testing.T) {
	t.Parallel()
	ctx, s, at := fixture(t)
	for i := range 30 {
		o := newOrder("42", "u1", at.Add(time.Duration(i)*time.Minute))
		if i%2 == 0 {
			o.Supplier = "Ningbo Widgets"
		}
		created(t, s, o)
	}
	all, err := s.SuggestOrders(ctx, "42", "orders", "", 0, 25)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 25 || all[0].Number != 30 {
		t.Fatalf("got %d, first #%d", len(all), all[0].Number)
	}
	ningbo, _ := s.SuggestOrders(ctx, "42", "orders", "NINGBO", 0, 25)
	if len(ningbo) != 15 {
		t.Fatalf("ningbo: %d", len(ningbo))
	}
	three, _ := s.SuggestOrders(ctx, "42", "orders", "3", 3, 25)
	if len(three) != 2 || three[0].Number != 3 || three[1].Number != 30 {
		t.Fatalf("3: %+v", three)
	}
	none, _ := s.SuggestOrders(ctx, "42", state.IndexKey("u9", ""), "", 0, 25)
	if len(none) != 0 {
		t.Fatalf("another buyer's index: %+v", none)
	}
}

func TestClaimDueLeasesEachTimerOnce(t *testing.T) {
	t.Parallel()
	ctx, s, at := fixture(t)
	o := newOrder("42", "u1", at)
	o.Deadline = at.Add(30 * 24 * time.Hour)
	created(t, s, o)
	if due, _ := s.ClaimDue(ctx, "42", at.Add(29*24*time.Hour), 10); len(due) != 0 {
		t.Fatalf("claimed early: %+v", due)
	}
	now := at.Add(31 * 24 * time.Hour)
	var claimed atomic.Int32
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			due, err := s.ClaimDue(ctx, "42", now, 10)
			if err != nil {
				t.Error(err)
			}
			claimed.Add(int32(len(due)))
		}()
	}
	wg.Wait()
	if claimed.Load() != 1 {
		t.Fatalf("claimed %d times", claimed.Load())
	}
	if due, _ := s.ClaimDue(ctx, "42", now.Add(10*time.Minute), 10); len(due) != 1 || due[0].Number != o.Number {
		t.Fatalf("after the lease the timer is due again: %+v", due)
	}
}

func TestSuppliersSlugAndCreateOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	if a, b := state.Slug("Acme Ltd."), state.Slug("  acme   LTD "); a != b || a != "acme-ltd" {
		t.Fatalf("slugs %q %q", a, b)
	}
	if state.Slug("!!!") == "" || state.Slug("深圳 工厂") != "深圳-工厂" {
		t.Fatalf("slugs %q %q", state.Slug("!!!"), state.Slug("深圳 工厂"))
	}
	sup := &state.Supplier{Name: "Acme Ltd.", Limit: decimal.RequireFromString("50000"), Currency: "USD"}
	if ok, err := s.SaveSupplier(ctx, "42", sup, false); err != nil || !ok {
		t.Fatalf("first save: %v %v", ok, err)
	}
	again := &state.Supplier{Name: "acme ltd", Limit: decimal.RequireFromString("1"), Currency: "USD"}
	if ok, _ := s.SaveSupplier(ctx, "42", again, false); ok {
		t.Fatal("create-only save overwrote a record")
	}
	names, err := s.SuggestSuppliers(ctx, "42", "acm", 25)
	if err != nil || len(names) != 1 || names[0] != "Acme Ltd." {
		t.Fatalf("suggest = %v %v", names, err)
	}
}
