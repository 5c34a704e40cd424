package state

import (
	"context"
	"os"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// benchClient is the Redis at REDIS_URL, or an embedded one (package state cannot use statetest,
// which imports it).
func benchClient(b *testing.B) redis.UniversalClient {
	b.Helper()
	if url := os.Getenv("REDIS_URL"); url != "" {
		opt, err := redis.ParseURL(url)
		if err != nil {
			b.Fatal(err)
		}
		c := redis.NewClient(opt)
		b.Cleanup(func() { _ = c.Close() })
		return c
	}
	srv := miniredis.RunT(b)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	b.Cleanup(func() { _ = c.Close() })
	return c
}

// purgeBench removes a benchmark's keys.
func purgeBench(ctx context.Context, s *Store) {
	iter := s.rdb.Scan(ctx, 0, s.prefix+":*", 1000).Iterator()
	for iter.Next(ctx) {
		s.rdb.Del(ctx, iter.Val())
	}
}
