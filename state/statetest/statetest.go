// Package statetest gives tests a real Redis through the real store code: the server at REDIS_URL
// (or the cluster at REDIS_CLUSTER_ADDRS) when set, otherwise an embedded server. Each store gets its own
// key prefix, so tests run in parallel without seeing each other's data, and its keys are removed afterwards.
package statetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tradeguard/tradeguard/state"
)

// Topology returns the Redis topology tests should use, from the environment.
func Topology() state.Topology {
	t := state.Topology{URL: os.Getenv("REDIS_URL")}
	if addrs := os.Getenv("REDIS_CLUSTER_ADDRS"); addrs != "" {
		t.ClusterAddrs = strings.Split(addrs, ",")
	}
	return t
}

// Client returns a Redis client for the test (closed at cleanup) and whether it is the embedded server.
func Client(t testing.TB) redis.UniversalClient {
	t.Helper()
	conn, err := state.Connect(context.Background(), Topology())
	if err != nil {
		t.Fatalf("connect to test redis: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn.Client
}

// Prefix returns a fresh random key prefix, whose keys are deleted when the test ends.
func Prefix(t testing.TB, rdb redis.UniversalClient) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "tgtest" + hex.EncodeToString(b)
	t.Cleanup(func() { Purge(context.Background(), rdb, prefix) })
	return prefix
}

// New returns a store on the test Redis with its own prefix.
func New(t testing.TB) *state.Store {
	t.Helper()
	rdb := Client(t)
	return state.New(rdb, Prefix(t, rdb))
}

// Purge deletes every key under prefix, on every master of a cluster.
func Purge(ctx context.Context, rdb redis.UniversalClient, prefix string) {
	purge := func(ctx context.Context, c *redis.Client) error {
		iter := c.Scan(ctx, 0, prefix+":*", 500).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
		return iter.Err()
	}
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		_ = c.ForEachMaster(ctx, purge)
	case *redis.Client:
		_ = purge(ctx, c)
	}
}

// Reconnect opens a second client to the Redis rdb talks to (another process, a replica), closed at cleanup.
func Reconnect(t testing.TB, rdb redis.UniversalClient) redis.UniversalClient {
	t.Helper()
	var c redis.UniversalClient
	switch v := rdb.(type) {
	case *redis.ClusterClient:
		c = redis.NewClusterClient(v.Options())
	case *redis.Client:
		c = redis.NewClient(v.Options())
	default:
		t.Fatalf("reconnect: unsupported client %T", rdb)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Keys lists the keys matching pattern on every master (KEYS on a cluster client asks one node only).
func Keys(ctx context.Context, rdb redis.UniversalClient, pattern string) ([]string, error) {
	var mu sync.Mutex
	var out []string
	collect := func(ctx context.Context, c *redis.Client) error {
		keys, err := c.Keys(ctx, pattern).Result()
		mu.Lock()
		out = append(out, keys...)
		mu.Unlock()
		return err
	}
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		return out, cc.ForEachMaster(ctx, collect)
	}
	c, ok := rdb.(*redis.Client)
	if !ok {
		return nil, fmt.Errorf("keys: unsupported client %T", rdb)
	}
	return out, collect(ctx, c)
}
