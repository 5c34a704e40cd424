package state

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

// benchStore returns a store whose server "b" holds n orders (records, server index and labels),
// written in pipelines rather than one script each, so a large server is quick to set up.
func benchStore(b *testing.B, n int) *Store {
	b.Helper()
	ctx := context.Background()
	s := New(benchClient(b), "tgbench"+strconv.FormatInt(time.Now().UnixNano(), 36))
	b.Cleanup(func() { purgeBench(ctx, s) })
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	o := &Order{Buyer: "u1", Supplier: "Shenzhen Acme", Total: decimal.RequireFromString("1250.50"), Currency: "USD",
		Status: assurance.AwaitingShipment, CreatedAt: at, UpdatedAt: at}
	data, _ := json.Marshal(o)
	for start := 1; start <= n; start += 1000 {
		pipe := s.rdb.Pipeline()
		for i := start; i < start+1000 && i <= n; i++ {
			num := int64(i)
			pipe.HSet(ctx, s.orderKey("b", num), "v", 1, "d", data, "u", at.UnixMilli()+num)
			pipe.ZAdd(ctx, s.guildKey("b", "orders"), redis.Z{Score: float64(at.UnixMilli() + num), Member: num})
			pipe.HSet(ctx, s.guildKey("b", "labels"), num, "Shenzhen Acme\tawaiting_shipment")
		}
		if _, err := pipe.Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkListOrders100k pages through a server of 100,000 orders: each page is one script that
// reads 10 entries of the sorted index and their records, whatever the server's size.
func BenchmarkListOrders100k(b *testing.B) {
	s := benchStore(b, 100000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := s.ListOrders(ctx, "b", "orders", int64(i%10000)*10, 10); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSuggestOrders100k autocompletes in a server of 100,000 orders (it looks at the newest
// 1,000 entries at most).
func BenchmarkSuggestOrders100k(b *testing.B) {
	s := benchStore(b, 100000)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.SuggestOrders(ctx, "b", "orders", "9", 9, 25); err != nil {
			b.Fatal(err)
		}
	}
}
