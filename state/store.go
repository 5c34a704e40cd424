// Package state keeps TradeGuard's data in Redis: orders and their timelines, suppliers, server settings,
// conversations, disputes, idempotency keys and timers. Every key carries the configured prefix and a
// per-server hash tag, so one server's keys share a Redis Cluster slot and multi-key scripts work there.
package state

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/redis/go-redis/v9"
)

// ErrUnavailable marks an error caused by Redis being unreachable; the command changed nothing.
var ErrUnavailable = errors.New("store unavailable")

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a compare-and-set lost against a concurrent write.
var ErrConflict = errors.New("concurrent update")

// Store is TradeGuard's persistence over any Redis topology.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
}

// New returns a store over rdb with every key under prefix (e.g. "tg").
func New(rdb redis.UniversalClient, prefix string) *Store {
	return &Store{rdb: rdb, prefix: prefix}
}

// Client returns the underlying Redis client (for health checks and benchmarks).
func (s *Store) Client() redis.UniversalClient { return s.rdb }

// Prefix returns the key prefix.
func (s *Store) Prefix() string { return s.prefix }

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	return wrap("ping", s.rdb.Ping(ctx).Err())
}

// guildKey builds a key of one server: <prefix>:{g<guild>}:<parts...>.
func (s *Store) guildKey(guild string, parts ...string) string {
	return s.prefix + ":{g" + guild + "}:" + strings.Join(parts, ":")
}

// globalKey builds a key that belongs to no server: <prefix>:<parts...>.
func (s *Store) globalKey(parts ...string) string {
	return s.prefix + ":" + strings.Join(parts, ":")
}

// wrap adds context to a Redis error and marks connection failures with ErrUnavailable.
func wrap(op string, err error) error {
	if err == nil || errors.Is(err, redis.Nil) {
		return err
	}
	if unreachable(err) {
		return fmt.Errorf("%s: %w: %v", op, ErrUnavailable, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// unreachable reports whether err means Redis could not be reached or did not answer in time.
func unreachable(err error) bool {
	var ne net.Error
	switch {
	case errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, redis.ErrClosed), errors.Is(err, redis.ErrPoolTimeout):
		return true
	}
	msg := err.Error()
	return strings.HasPrefix(msg, "LOADING") || strings.HasPrefix(msg, "CLUSTERDOWN") ||
		strings.HasPrefix(msg, "TRYAGAIN") || strings.HasPrefix(msg, "MASTERDOWN")
}

// IsUnavailable reports whether err means Redis could not be reached (nothing was changed).
func IsUnavailable(err error) bool { return errors.Is(err, ErrUnavailable) }
