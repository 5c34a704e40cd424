package state

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

// op is one index operation of the order scripts (see scripts/lib.lua): kind, key suffix, member or
// field, score or value.
type op struct{ kind, key, a, b string }

// opArgs appends operations to script arguments: their count, then four strings each.
func opArgs(args []any, ops []op) []any {
	args = append(args, len(ops))
	for _, o := range ops {
		args = append(args, o.kind, o.key, o.a, o.b)
	}
	return args
}

// indexKeys are the sorted sets an order is listed in: the server's, its buyer's, its status's and
// its buyer-and-status's, each scored by update time.
func indexKeys(o *Order) []string {
	return []string{"orders", "buyer:" + o.Buyer, "st:" + string(o.Status), "bs:" + o.Buyer + ":" + string(o.Status)}
}

// IndexKey names the index to list: every order of the server, or one buyer's, or one status's, or both.
func IndexKey(buyer, status string) string {
	switch {
	case buyer != "" && status != "":
		return "bs:" + buyer + ":" + status
	case buyer != "":
		return "buyer:" + buyer
	case status != "":
		return "st:" + status
	}
	return "orders"
}

// open reports whether an order counts against its supplier's Trade Assurance limit: every order
// that is not closed (completed, refunded or cancelled).
func (o *Order) open() bool { return !o.Status.Terminal() }

// label is what autocomplete shows of an order besides its number: "supplier<TAB>status".
func label(o *Order) string {
	return strings.ReplaceAll(o.Supplier, "\t", " ") + "\t" + string(o.Status)
}

// timers returns the timer members an order should have in the server's timer set, with their due times in ms.
func timers(o *Order, num string) map[string]string {
	t := map[string]string{}
	if o == nil {
		return t
	}
	if !o.Deadline.IsZero() {
		t["o:"+num] = strconv.FormatInt(o.Deadline.UnixMilli(), 10)
	}
	for _, c := range o.Changes {
		t["c:"+num+":"+strconv.Itoa(c.ID)] = strconv.FormatInt(c.Expiry.UnixMilli(), 10)
	}
	return t
}

// indexOps computes the operations that move an order's index entries, supplier total and timers from
// old (nil for a new order) to o. num is the order number ("#" in a creation, see lib.lua).
func indexOps(old, o *Order, num string) []op {
	var ops []op
	ms := strconv.FormatInt(o.UpdatedAt.UnixMilli(), 10)
	now := indexKeys(o)
	if old != nil {
		for _, k := range indexKeys(old) {
			if !slices.Contains(now, k) {
				ops = append(ops, op{"zrem", k, num, ""})
			}
		}
	}
	for _, k := range now {
		ops = append(ops, op{"zmax", k, num, ms})
	}
	ops = append(ops, op{"hset", "labels", num, label(o)})

	if old != nil && old.open() && old.SupplierSlug != "" && (!o.open() || old.SupplierSlug != o.SupplierSlug) {
		ops = append(ops, op{"hdel", supplierOpenKey(old.SupplierSlug), num, ""})
	}
	if o.open() && o.SupplierSlug != "" {
		ops = append(ops, op{"hset", supplierOpenKey(o.SupplierSlug), num, o.Total.String() + " " + o.Currency})
	}
	ops = append(ops, openSumOps(old, o)...)
	if o.SupplierSlug != "" && (old == nil || old.SupplierSlug != o.SupplierSlug) {
		ops = append(ops, op{"hsetnx", "suppliers", o.SupplierSlug, o.Supplier})
	}

	was, will := timers(old, num), timers(o, num)
	for m := range was {
		if _, ok := will[m]; !ok {
			ops = append(ops, op{"zrem", "timers", m, ""})
		}
	}
	for m, due := range will {
		if was[m] != due {
			ops = append(ops, op{"zadd", "timers", m, due})
		}
	}
	return ops
}

var (
	//go:embed scripts/order_page.lua
	orderPageLua string
	//go:embed scripts/suggest_orders.lua
	suggestLua string

	orderPageScript = redis.NewScript(orderPageLua)
	suggestScript   = redis.NewScript(suggestLua)
)

// Page is one page of an order index.
type Page struct {
	Total  int64    // entries in the index
	Orders []*Order // newest update first
}

// ListOrders returns entries [start, start+count) of an index (see IndexKey), newest update first,
// with their records, in one round trip however large the index is.
func (s *Store) ListOrders(ctx context.Context, guild, index string, start, count int64) (*Page, error) {
	res, err := orderPageScript.Run(ctx, s.rdb, []string{s.guildKey(guild, index)},
		s.orderBase(guild), start, start+count-1).Slice()
	if err != nil {
		return nil, wrap("list orders", err)
	}
	p := &Page{}
	p.Total, _ = res[0].(int64)
	for i := 1; i+3 < len(res); i += 4 {
		n, _ := strconv.ParseInt(fmt.Sprint(res[i]), 10, 64)
		o, err := decodeOrder(guild, n, res[i+1:i+4])
		if err != nil {
			return nil, err
		}
		p.Orders = append(p.Orders, o)
	}
	return p, nil
}

// Suggestion is an order offered by autocomplete.
type Suggestion struct {
	Number   int64
	Supplier string
	Status   string
}

// suggestScan is how many index entries autocomplete looks at, at most: the most recently updated ones.
const suggestScan = 1000

// SuggestOrders returns up to limit orders of an index whose number starts with typed or whose
// supplier or status contains it (case-insensitive for ASCII), most recently updated first; exact, when
// not zero and in the index, comes first. It looks at the newest suggestScan entries only, so it stays
// fast however many orders the server has.
func (s *Store) SuggestOrders(ctx context.Context, guild, index, typed string, exact int64, limit int) ([]Suggestion, error) {
	ex := ""
	if exact > 0 {
		ex = strconv.FormatInt(exact, 10)
	}
	res, err := suggestScript.Run(ctx, s.rdb, []string{s.guildKey(guild, index), s.guildKey(guild, "labels")},
		strings.ToLower(typed), limit, suggestScan, ex).StringSlice()
	if err != nil {
		return nil, wrap("suggest orders", err)
	}
	var out []Suggestion
	for i := 0; i+1 < len(res); i += 2 {
		n, _ := strconv.ParseInt(res[i], 10, 64)
		sup, st, _ := strings.Cut(res[i+1], "\t")
		out = append(out, Suggestion{Number: n, Supplier: sup, Status: st})
	}
	return out, nil
}

// openSumOps keeps each supplier's running open total per currency (in minor units) in step with its
// open orders, so the remaining Trade Assurance limit is read in constant time however many orders are open.
func openSumOps(old, o *Order) []op {
	var ops []op
	if old != nil && old.open() && old.SupplierSlug != "" {
		ops = append(ops, op{"hincr", supplierSumKey(old.SupplierSlug), old.Currency, "-" + minorUnits(old.Total, old.Currency)})
	}
	if o.open() && o.SupplierSlug != "" {
		ops = append(ops, op{"hincr", supplierSumKey(o.SupplierSlug), o.Currency, minorUnits(o.Total, o.Currency)})
	}
	if len(ops) == 2 && ops[0].key == ops[1].key && ops[0].a == ops[1].a && "-"+ops[1].b == ops[0].b {
		return nil // nothing changed
	}
	return ops
}

// minorUnits writes an amount as a whole number of the currency's minor units ("1250.5" USD -> "125050").
func minorUnits(d decimal.Decimal, currency string) string {
	places, err := assurance.CurrencyDecimals(currency)
	if err != nil {
		places = 2
	}
	return d.Shift(places).Truncate(0).String()
}

// fromMinorUnits reads a running total written in minor units.
func fromMinorUnits(s, currency string) (decimal.Decimal, error) {
	places, err := assurance.CurrencyDecimals(currency)
	if err != nil {
		places = 2
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return decimal.Zero, fmt.Errorf("open total %q: %w", s, err)
	}
	return decimal.New(n, -places), nil
}
