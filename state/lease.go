package state

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrLeaseLost is returned when a held lease expired or was taken by another owner.
var ErrLeaseLost = errors.New("lease lost")

// renewLua extends the lease only while it still holds the caller's owner token.
var renewLua = redis.NewScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`)

// releaseLua deletes the lease only while it still holds the caller's owner token.
var releaseLua = redis.NewScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

// Lease is a named lock with an expiry held by one owner at a time (a random token), for work that must
// run in exactly one process, such as one gateway shard. The owner renews it well before it expires;
// when the owner dies, the key expires and another process takes over.
type Lease struct {
	store *Store
	key   string
	token string
	ttl   time.Duration
	now   func() time.Time
}

// NewLease returns a lease handle for name with a fresh owner token; nothing is acquired yet.
// now is the clock that judges how long renewals have failed (nil: time.Now).
func (s *Store) NewLease(name string, ttl time.Duration, now func() time.Time) *Lease {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	if now == nil {
		now = time.Now
	}
	return &Lease{store: s, key: s.globalKey("lease", name), token: hex.EncodeToString(b), ttl: ttl, now: now}
}

// ShardLeaseName names the lease of one gateway shard of an application.
func ShardLeaseName(app string, shard int) string { return fmt.Sprintf("gateway:%s:%d", app, shard) }

// Token is this handle's owner token.
func (l *Lease) Token() string { return l.token }

// TTL is the lease's time to live.
func (l *Lease) TTL() time.Duration { return l.ttl }

// TryAcquire takes the lease if nobody holds it (SET NX PX) and reports whether it is now ours.
func (l *Lease) TryAcquire(ctx context.Context) (bool, error) {
	ok, err := l.store.rdb.SetNX(ctx, l.key, l.token, l.ttl).Result()
	if err != nil {
		return false, wrap("acquire lease "+l.key, err)
	}
	return ok, nil
}

// Renew extends the lease by its TTL if we still own it; false means it expired or another owner has it.
func (l *Lease) Renew(ctx context.Context) (bool, error) {
	n, err := renewLua.Run(ctx, l.store.rdb, []string{l.key}, l.token, l.ttl.Milliseconds()).Int64()
	if err != nil {
		return false, wrap("renew lease "+l.key, err)
	}
	return n == 1, nil
}

// Release gives the lease up if we still own it, and reports whether we did.
func (l *Lease) Release(ctx context.Context) (bool, error) {
	n, err := releaseLua.Run(ctx, l.store.rdb, []string{l.key}, l.token).Int64()
	if err != nil {
		return false, wrap("release lease "+l.key, err)
	}
	return n == 1, nil
}

// Owner returns the token of the current owner ("" when free).
func (l *Lease) Owner(ctx context.Context) (string, error) {
	v, err := l.store.rdb.Get(ctx, l.key).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return v, wrap("read lease "+l.key, err)
}

// Acquire tries at once and then on every tick until the lease is ours or ctx ends. waiting, when not nil,
// is called after each failed try with the error (nil when another owner holds the lease).
func (l *Lease) Acquire(ctx context.Context, ticks <-chan time.Time, waiting func(error)) error {
	for {
		ok, err := l.TryAcquire(ctx)
		if ok {
			return nil
		}
		if waiting != nil {
			waiting(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticks:
		}
	}
}

// Keep renews the lease on every tick until ctx ends (it returns nil) or the lease is lost (ErrLeaseLost):
// a renewal found another owner or none, or renewals failed (Redis unreachable) for a whole TTL since the
// last success, after which another process may hold it.
func (l *Lease) Keep(ctx context.Context, ticks <-chan time.Time) error {
	last := l.now()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticks:
		}
		ok, err := l.Renew(ctx)
		switch {
		case err == nil && !ok:
			return fmt.Errorf("%s: %w", l.key, ErrLeaseLost)
		case err == nil:
			last = l.now()
		case ctx.Err() != nil:
			return nil
		case l.now().Sub(last) >= l.ttl:
			return fmt.Errorf("%s: %w: renewals failed for %s: %v", l.key, ErrLeaseLost, l.ttl, err)
		}
	}
}

// Hold waits for the lease (trying on every tick), runs fn while renewing it on every tick, and releases it
// when fn returns. If the lease is lost, fn's context is cancelled and Hold returns ErrLeaseLost once fn
// has returned; otherwise it returns fn's error.
func (l *Lease) Hold(ctx context.Context, ticks <-chan time.Time, waiting func(error), fn func(context.Context) error) error {
	if err := l.Acquire(ctx, ticks, waiting); err != nil {
		return err
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_, _ = l.Release(rctx)
	}()
	run, cancel := context.WithCancel(ctx)
	defer cancel()
	kept := make(chan error, 1)
	go func() {
		err := l.Keep(run, ticks)
		if err != nil {
			cancel()
		}
		kept <- err
	}()
	err := fn(run)
	cancel()
	if lost := <-kept; lost != nil {
		return lost
	}
	return err
}
