package state_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

const leaseTTL = 15 * time.Second

func leaseKey(s *state.Store, name string) string { return s.Prefix() + ":lease:" + name }

func mustBool(t *testing.T, what string, got bool, err error, want bool) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if got != want {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func TestLeaseTwoContendersRenewAndRelease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	name := state.ShardLeaseName("123", 0)
	a, b := s.NewLease(name, leaseTTL, nil), s.NewLease(name, leaseTTL, nil)

	ok, err := a.TryAcquire(ctx)
	mustBool(t, "a acquires a free lease", ok, err, true)
	ok, err = b.TryAcquire(ctx)
	mustBool(t, "b acquires a's lease", ok, err, false)
	ok, err = b.Renew(ctx)
	mustBool(t, "b renews a's lease", ok, err, false)
	ok, err = b.Release(ctx)
	mustBool(t, "b releases a's lease", ok, err, false)
	if owner, _ := a.Owner(ctx); owner != a.Token() {
		t.Fatalf("owner = %q, want a (%q)", owner, a.Token())
	}

	// The lease carries an expiry no longer than its TTL, and a renewal sets it again.
	ok, err = a.Renew(ctx)
	mustBool(t, "a renews its lease", ok, err, true)
	pttl, err := s.Client().PTTL(ctx, leaseKey(s, name)).Result()
	if err != nil || pttl <= 0 || pttl > leaseTTL {
		t.Fatalf("PTTL = %v (%v), want in (0, %v]", pttl, err, leaseTTL)
	}

	ok, err = a.Release(ctx)
	mustBool(t, "a releases its lease", ok, err, true)
	ok, err = b.TryAcquire(ctx)
	mustBool(t, "b acquires the released lease", ok, err, true)
	ok, err = a.Renew(ctx)
	mustBool(t, "a renews after releasing", ok, err, false)
}

func TestLeaseExpiryTakeover(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	name := state.ShardLeaseName("123", 3)
	a, b := s.NewLease(name, leaseTTL, nil), s.NewLease(name, leaseTTL, nil)
	ok, err := a.TryAcquire(ctx)
	mustBool(t, "a acquires", ok, err, true)

	// a's process stalls past the TTL: Redis drops the key (what expiry does), b takes over.
	if err := s.Client().Del(ctx, leaseKey(s, name)).Err(); err != nil {
		t.Fatal(err)
	}
	ok, err = b.TryAcquire(ctx)
	mustBool(t, "b acquires the expired lease", ok, err, true)
	ok, err = a.Renew(ctx)
	mustBool(t, "a renews the lease b now holds", ok, err, false)
	ok, err = a.Release(ctx)
	mustBool(t, "a releases the lease b now holds", ok, err, false)
	if owner, _ := b.Owner(ctx); owner != b.Token() {
		t.Fatalf("owner = %q, want b", owner)
	}
}

// holder runs Hold in the background and reports when fn starts and what Hold returns.
type holder struct {
	ticks   chan time.Time
	waiting chan error
	started chan struct{}
	release chan struct{}
	result  chan error
	cancel  context.CancelFunc
}

func hold(l *state.Lease) *holder {
	ctx, cancel := context.WithCancel(context.Background())
	h := &holder{
		ticks: make(chan time.Time), waiting: make(chan error, 16), started: make(chan struct{}),
		release: make(chan struct{}), result: make(chan error, 1), cancel: cancel,
	}
	go func() {
		h.result <- l.Hold(ctx, h.ticks, func(err error) { h.waiting <- err }, func(run context.Context) error {
			close(h.started)
			select {
			case <-h.release:
			case <-run.Done():
			}
			return nil
		})
	}()
	return h
}

func TestLeaseHoldSecondContenderWaits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	name := state.ShardLeaseName("123", 1)
	a, b := s.NewLease(name, leaseTTL, nil), s.NewLease(name, leaseTTL, nil)

	ha := hold(a)
	<-ha.started
	hb := hold(b)
	if err := <-hb.waiting; err != nil {
		t.Fatalf("b's first try failed with %v, want a plain wait", err)
	}
	ha.ticks <- time.Now() // a renews while b waits
	hb.ticks <- time.Now() // b tries again: still held
	if err := <-hb.waiting; err != nil {
		t.Fatalf("b's second try: %v", err)
	}
	select {
	case <-hb.started:
		t.Fatal("b runs while a holds the lease")
	default:
	}

	close(ha.release) // a shuts down and releases
	if err := <-ha.result; err != nil {
		t.Fatalf("a's Hold: %v", err)
	}
	hb.ticks <- time.Now()
	<-hb.started
	if owner, _ := b.Owner(ctx); owner != b.Token() {
		t.Fatalf("owner = %q, want b", owner)
	}
	hb.cancel()
	if err := <-hb.result; err != nil {
		t.Fatalf("b's Hold: %v", err)
	}
	if owner, _ := b.Owner(ctx); owner != "" {
		t.Fatalf("owner after b stopped = %q, want none", owner)
	}
}

func TestLeaseHoldStopsWorkWhenLost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	name := state.ShardLeaseName("123", 2)
	a, b := s.NewLease(name, leaseTTL, nil), s.NewLease(name, leaseTTL, nil)
	ha := hold(a)
	<-ha.started
	if err := s.Client().Del(ctx, leaseKey(s, name)).Err(); err != nil {
		t.Fatal(err)
	}
	if ok, err := b.TryAcquire(ctx); err != nil || !ok {
		t.Fatalf("b takes over: %v %v", ok, err)
	}
	ha.ticks <- time.Now() // a's renewal finds b's token: a stops its work
	if err := <-ha.result; !errors.Is(err, state.ErrLeaseLost) {
		t.Fatalf("a's Hold = %v, want ErrLeaseLost", err)
	}
	if owner, _ := b.Owner(ctx); owner != b.Token() {
		t.Fatalf("a's shutdown released b's lease (owner %q)", owner)
	}
}

// clock is a settable clock for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestLeaseKeepGivesUpAfterTTLWithoutRedis(t *testing.T) {
	t.Parallel()
	rdb := statetest.Client(t)
	s := state.New(rdb, statetest.Prefix(t, rdb))
	clk := &clock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	l := s.NewLease("gateway:123:0", leaseTTL, clk.now)
	if ok, err := l.TryAcquire(context.Background()); err != nil || !ok {
		t.Fatalf("acquire: %v %v", ok, err)
	}
	_ = rdb.Close() // Redis becomes unreachable for this process

	ticks, res := make(chan time.Time), make(chan error, 1)
	go func() { res <- l.Keep(context.Background(), ticks) }()
	tick := func() {
		t.Helper()
		select {
		case ticks <- clk.now():
		case err := <-res:
			t.Fatalf("Keep returned early: %v", err)
		}
	}
	tick()                // renewal fails, TTL not spent
	tick()                // Keep took this tick, so it lived through the first failure
	clk.add(leaseTTL - 1) // still inside the TTL
	tick()
	tick() // the failure at TTL-1 did not end Keep either
	clk.add(time.Nanosecond)
	// A whole TTL without a renewal: the lease may be someone else's now. Keep ends on this tick or the next.
	select {
	case ticks <- clk.now():
	case err := <-res:
		res <- err
	}
	if err := <-res; !errors.Is(err, state.ErrLeaseLost) {
		t.Fatalf("Keep = %v, want ErrLeaseLost", err)
	}
}
