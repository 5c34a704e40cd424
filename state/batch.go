package state

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

// Batch gathers reads (and the write-rate counter) and sends them in one round trip. Each method
// registers a read and returns where its result will be once Exec has returned without error.
type Batch struct {
	s    *Store
	pipe redis.Pipeliner
	done []func() error
}

// Batch starts a batch of reads.
func (s *Store) Batch() *Batch { return &Batch{s: s, pipe: s.rdb.Pipeline()} }

// Exec sends the batch and decodes every result.
func (b *Batch) Exec(ctx context.Context) error {
	if len(b.done) == 0 {
		return nil
	}
	if _, err := b.pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return wrap("read batch", err)
	}
	for _, f := range b.done {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// Settings reads a server's settings.
func (b *Batch) Settings(guild string) *Settings {
	out := &Settings{}
	cmd := b.pipe.HMGet(context.Background(), b.s.guildKey(guild, "settings"), settingsFields...)
	b.done = append(b.done, func() error {
		vals, err := cmd.Result()
		if err != nil {
			return wrap("load settings of "+guild, err)
		}
		*out = decodeSettings(vals)
		return nil
	})
	return out
}

// OrderRead is the result of Batch.Order: Order is nil when the order does not exist.
type OrderRead struct{ Order *Order }

// Order reads order n of a server.
func (b *Batch) Order(guild string, n int64) *OrderRead {
	out := &OrderRead{}
	cmd := b.pipe.HMGet(context.Background(), b.s.orderKey(guild, n), "v", "d", "u")
	b.done = append(b.done, func() error {
		vals, err := cmd.Result()
		if err != nil {
			return wrap("load order "+strconv.FormatInt(n, 10), err)
		}
		o, err := decodeOrder(guild, n, vals)
		if IsNotFound(err) {
			return nil
		}
		out.Order = o
		return err
	})
	return out
}

// TimelineRead is the result of Batch.Timeline: one page of events, oldest first, and how many there are.
type TimelineRead struct {
	Events []Event
	Count  int64
}

// Timeline reads up to count events of order n after the stream ID after ("" = from the start), or,
// with before set, the count events just before that ID; and the timeline's length.
func (b *Batch) Timeline(guild string, n int64, after, before string, count int64) *TimelineRead {
	out := &TimelineRead{}
	ctx, key := context.Background(), b.s.eventsKey(guild, n)
	var cmd *redis.XMessageSliceCmd
	if before != "" {
		cmd = b.pipe.XRevRangeN(ctx, key, "("+before, "-", count)
	} else {
		start := "-"
		if after != "" {
			start = "(" + after
		}
		cmd = b.pipe.XRangeN(ctx, key, start, "+", count)
	}
	length := b.pipe.XLen(ctx, key)
	b.done = append(b.done, func() error {
		msgs, err := cmd.Result()
		if err != nil {
			return wrap("timeline of order "+strconv.FormatInt(n, 10), err)
		}
		out.Events = eventsOf(msgs)
		if before != "" {
			for i, j := 0, len(out.Events)-1; i < j; i, j = i+1, j-1 {
				out.Events[i], out.Events[j] = out.Events[j], out.Events[i]
			}
		}
		out.Count = length.Val()
		return nil
	})
	return out
}

// SupplierRead is the result of Batch.Supplier: Supplier is nil when the server has no record of it.
type SupplierRead struct {
	Supplier *Supplier
	Open     []OpenTotal                // the supplier's open orders in this server (Batch.Supplier only)
	Sums     map[string]decimal.Decimal // running totals of those open orders per currency
}

// Remaining is the supplier's remaining Trade Assurance limit for order o: the limit less the totals of
// the supplier's other open orders in this server in the limit's currency. o may be nil (no order), or
// not yet stored (its total is not counted yet).
func (r *SupplierRead) Remaining(o *Order) decimal.Decimal {
	s := r.Supplier
	used := r.Sums[s.Currency]
	if o != nil && o.Version > 0 && o.open() && o.SupplierSlug == s.Slug && o.Currency == s.Currency {
		used = used.Sub(o.Total) // the stored order counts itself; leave it out
	}
	return assurance.RemainingLimit(s.Limit, []decimal.Decimal{used})
}

// SupplierLimit reads what the remaining limit needs (the record and the running totals), in constant
// time however many orders are open.
func (b *Batch) SupplierLimit(guild, slug string) *SupplierRead {
	return b.supplier(guild, slug, false)
}

// Supplier reads a supplier's record, running totals and open orders by slug.
func (b *Batch) Supplier(guild, slug string) *SupplierRead { return b.supplier(guild, slug, true) }

func (b *Batch) supplier(guild, slug string, withOpen bool) *SupplierRead {
	out := &SupplierRead{}
	ctx := context.Background()
	rec := b.pipe.HMGet(ctx, b.s.guildKey(guild, supplierKey(slug)), supplierFields...)
	sums := b.pipe.HGetAll(ctx, b.s.guildKey(guild, supplierSumKey(slug)))
	var open *redis.MapStringStringCmd
	if withOpen {
		open = b.pipe.HGetAll(ctx, b.s.guildKey(guild, supplierOpenKey(slug)))
	}
	b.done = append(b.done, func() error {
		vals, err := rec.Result()
		if err != nil {
			return wrap("load supplier "+slug, err)
		}
		if out.Supplier, err = decodeSupplier(slug, vals); err != nil {
			return err
		}
		if open != nil {
			out.Open = decodeOpen(open.Val())
		}
		out.Sums = map[string]decimal.Decimal{}
		for cur, v := range sums.Val() {
			d, err := fromMinorUnits(v, cur)
			if err != nil {
				return fmt.Errorf("supplier %s: %w", slug, err)
			}
			out.Sums[cur] = d
		}
		return nil
	})
	return out
}

// Pending reads a pending confirmation saved with SavePending ("" when absent or expired).
func (b *Batch) Pending(guild, token string) *string {
	out := new(string)
	cmd := b.pipe.Get(context.Background(), b.s.guildKey(guild, "pending", token))
	b.done = append(b.done, func() error {
		*out = cmd.Val()
		return nil
	})
	return out
}

// MarkGuild records that a server has orders, so the timer sweep visits it.
func (b *Batch) MarkGuild(guild string) {
	b.pipe.SAdd(context.Background(), b.s.globalKey("guilds"), guild)
	b.done = append(b.done, func() error { return nil })
}

// Claim adds ClaimInteraction to the batch: after Exec, the result says whether this was the
// interaction's first delivery. Read-only commands use it to claim and read in one round trip.
func (b *Batch) Claim(id string) *bool {
	out := new(bool)
	cmd := b.pipe.SetNX(context.Background(), b.s.globalKey("ix", id), 1, interactionTTL)
	b.done = append(b.done, func() error {
		ok, err := cmd.Result()
		if err != nil {
			return wrap("claim interaction "+id, err)
		}
		*out = ok
		return nil
	})
	return out
}
