package state

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

// Order is one Trade Assurance purchase tracked in one server. Money is decimal with the order's currency;
// times are UTC; calendar dates are assurance.Date. The record is stored as JSON beside a version counter.
//
// Redis layout (all under the server's key base): order:<n> is a hash {v: version, d: JSON, u: last update
// in ms, s: status, b: buyer}; order:<n>:events is the timeline stream; orders, buyer:<id>, st:<status>
// and bs:<buyer>:<status> are sorted sets of order numbers by update time; labels holds
// "supplier<TAB>status" per number for autocomplete; supplier:<slug>:open holds the totals of a
// supplier's open orders; timers holds the due times of the orders' timers.
type Order struct {
	Number       int64            `json:"-"` // per-server number, from the key
	Version      int64            `json:"-"` // compare-and-set counter, from the record
	Guild        string           `json:"-"`
	Buyer        string           `json:"buyer"`      // buyer's user ID
	BuyerName    string           `json:"buyer_name"` // display name when created
	Supplier     string           `json:"supplier"`
	SupplierSlug string           `json:"supplier_slug,omitempty"` // key of the supplier record
	Total        decimal.Decimal  `json:"total"`
	Currency     string           `json:"currency"`
	Deposit      *decimal.Decimal `json:"deposit,omitempty"`        // agreed initial payment
	Method       string           `json:"payment_method,omitempty"` // POLICY.md section 4 code
	Coverage     string           `json:"coverage,omitempty"`       // post_delivery (default) or pre_shipment
	Incoterm     string           `json:"incoterm,omitempty"`
	Quantity     int64            `json:"quantity,omitempty"`
	AlibabaOrder string           `json:"alibaba_order,omitempty"`
	BuyerTier    string           `json:"buyer_tier,omitempty"` // standard (default) or enterprise
	Address      string           `json:"address,omitempty"`    // delivery address
	ShipDate     assurance.Date   `json:"ship_date,omitzero"`   // agreed ship date now in force
	FirstShip    assurance.Date   `json:"first_ship,omitzero"`  // first agreed ship date (the 90-day cap counts from it)
	Specs        Specs            `json:"specs,omitzero"`
	Status       assurance.Status `json:"status"`
	StatusAt     time.Time        `json:"status_at,omitzero"` // when the order entered Status
	Prior        assurance.Status `json:"prior,omitempty"`    // state before the open dispute
	Dispute      int64            `json:"dispute,omitempty"`  // number of the dispute in force (open or refund pending), 0 = none
	Disputes     int64            `json:"disputes,omitempty"` // how many disputes were filed on the order
	Payments     []Payment        `json:"payments,omitempty"`
	ShippedOn    assurance.Date   `json:"shipped_on,omitzero"`
	Tracking     string           `json:"tracking,omitempty"`
	ReceivedOn   assurance.Date   `json:"received_on,omitzero"`
	Inspection   *Inspection      `json:"inspection,omitempty"`
	Extended     []string         `json:"extended,omitempty"` // sides that used their receipt-deadline extension
	Changes      []Change         `json:"changes,omitempty"`  // change requests waiting for the other side
	ChangeSeq    int              `json:"change_seq,omitempty"`
	// Deadline is when the timer of the current state fires (auto-cancel, end of the claim window);
	// zero when none runs. The timers set mirrors it, so any replica can find what is due.
	Deadline  time.Time `json:"deadline,omitzero"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Specs is the order's spec checklist (POLICY.md 2.2); an empty item is missing.
type Specs struct {
	Quality       string `json:"quality,omitempty"`
	Packaging     string `json:"packaging,omitempty"`
	Customisation string `json:"customisation,omitempty"`
	DesignFiles   string `json:"design_files,omitempty"`
}

// IsZero reports whether no spec item is filled in.
func (s Specs) IsZero() bool { return s == Specs{} }

// Payment statuses.
const (
	PaymentPending = "pending"
	PaymentArrived = "arrived"
	PaymentFailed  = "failed"
)

// Payment is one recorded payment (deposit or balance).
type Payment struct {
	Amount decimal.Decimal `json:"amount"`
	Method string          `json:"method"`
	Date   assurance.Date  `json:"date,omitzero"`
	Status string          `json:"status"` // pending, arrived, failed
	By     string          `json:"by"`
	At     time.Time       `json:"at"`
}

// Inspection is the latest pre-shipment inspection result.
type Inspection struct {
	Result string    `json:"result"` // pass, fail, pending, not_done
	Note   string    `json:"note,omitempty"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	// Accepted is when the buyer, warned, went on to pay the balance or confirm receipt after a
	// failed inspection: acceptance of the failed points (POLICY.md section 5, last paragraph).
	Accepted time.Time `json:"accepted,omitzero"`
}

// Change is a change request waiting for the other side (POLICY.md 2.1).
type Change struct {
	ID     int                  `json:"id"`
	Field  string               `json:"field"` // the option code: ship_date, quantity, specs.quality, specs ...
	Value  string               `json:"value,omitempty"`
	Specs  *Specs               `json:"specs,omitempty"` // a whole checklist from the Specs form
	Mode   assurance.ChangeMode `json:"mode"`
	By     string               `json:"by"`
	ByName string               `json:"by_name"`
	Role   assurance.Role       `json:"role"`
	At     time.Time            `json:"at"`
	Expiry time.Time            `json:"expiry"`
}

// Arrived is the sum of the payments that have arrived.
func (o *Order) Arrived() decimal.Decimal {
	sum := decimal.Zero
	for _, p := range o.Payments {
		if p.Status == PaymentArrived {
			sum = sum.Add(p.Amount)
		}
	}
	return sum
}

// PendingPayment returns the payment on its way, or nil.
func (o *Order) PendingPayment() *Payment {
	for i := range o.Payments {
		if o.Payments[i].Status == PaymentPending {
			return &o.Payments[i]
		}
	}
	return nil
}

// Outstanding is what remains to pay: the total minus what arrived and what is on its way.
func (o *Order) Outstanding() decimal.Decimal {
	out := o.Total.Sub(o.Arrived())
	if p := o.PendingPayment(); p != nil {
		out = out.Sub(p.Amount)
	}
	return out
}

// Change returns the pending change request with id, or nil.
func (o *Order) Change(id int) *Change {
	for i := range o.Changes {
		if o.Changes[i].ID == id {
			return &o.Changes[i]
		}
	}
	return nil
}

// DropChange removes the pending change request with id.
func (o *Order) DropChange(id int) {
	out := o.Changes[:0]
	for _, c := range o.Changes {
		if c.ID != id {
			out = append(out, c)
		}
	}
	o.Changes = out
	if len(o.Changes) == 0 {
		o.Changes = nil
	}
}

// Clone returns a deep copy of o.
func (o *Order) Clone() *Order {
	data, err := json.Marshal(o)
	if err != nil {
		panic("state: order does not encode: " + err.Error())
	}
	c := &Order{}
	if err := json.Unmarshal(data, c); err != nil {
		panic("state: order does not decode: " + err.Error())
	}
	c.Number, c.Version, c.Guild = o.Number, o.Version, o.Guild
	return c
}

// Event is one entry of an order's timeline: who did what, when, and the state change if any.
type Event struct {
	ID    string            // stream entry ID (set when read)
	Type  string            // "created", "status", "note", "payment", ...
	Actor string            // user ID of who did it ("" for the system)
	Name  string            // the actor's display name at the time
	At    time.Time         // when
	From  assurance.Status  // state before (status events)
	To    assurance.Status  // state after
	Note  string            // free text: reason, progress note, tracking ...
	Args  map[string]string // structured details (amounts, fields, dates) for rendering in any language
}

// values renders the event as stream fields (empty ones left out to save memory).
func (e Event) values() []any {
	v := []any{"t", e.Type, "at", e.At.UTC().Format(time.RFC3339)}
	for _, kv := range [][2]string{{"by", e.Actor}, {"n", e.Name}, {"f", string(e.From)}, {"to", string(e.To)}, {"note", e.Note}} {
		if kv[1] != "" {
			v = append(v, kv[0], kv[1])
		}
	}
	if len(e.Args) > 0 {
		b, _ := json.Marshal(e.Args)
		v = append(v, "a", string(b))
	}
	return v
}

func eventFromStream(m redis.XMessage) Event {
	str := func(k string) string { s, _ := m.Values[k].(string); return s }
	at, _ := time.Parse(time.RFC3339, str("at"))
	e := Event{
		ID: m.ID, Type: str("t"), Actor: str("by"), Name: str("n"), At: at,
		From: assurance.Status(str("f")), To: assurance.Status(str("to")), Note: str("note"),
	}
	if a := str("a"); a != "" {
		_ = json.Unmarshal([]byte(a), &e.Args)
	}
	return e
}

// eventArgs appends events to script arguments: count, then per event its field count and fields.
func eventArgs(args []any, events []Event) []any {
	args = append(args, len(events))
	for _, e := range events {
		v := e.values()
		args = append(args, len(v))
		args = append(args, v...)
	}
	return args
}

var (
	//go:embed scripts/lib.lua
	libLua string
	//go:embed scripts/create_order.lua
	createOrderLua string
	//go:embed scripts/update_order.lua
	updateOrderLua string
	//go:embed scripts/add_note.lua
	addNoteLua string

	createOrderScript = redis.NewScript(libLua + createOrderLua)
	updateOrderScript = redis.NewScript(libLua + updateOrderLua)
	addNoteScript     = redis.NewScript(addNoteLua)
)

// orderBase is the key of one server's namespace; an order's keys are <base>order:<n>[:events].
func (s *Store) orderBase(guild string) string { return s.guildKey(guild) }

func (s *Store) orderKey(guild string, n int64) string {
	return s.guildKey(guild, "order", strconv.FormatInt(n, 10))
}

func (s *Store) eventsKey(guild string, n int64) string {
	return s.guildKey(guild, "order", strconv.FormatInt(n, 10), "events")
}

// CreateOrder assigns the server's next order number and saves the order, its index entries, its
// supplier's open total, its timer and its first events in one atomic script. It sets o.Number and o.Version.
func (s *Store) CreateOrder(ctx context.Context, o *Order, events ...Event) error {
	data, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("encode order: %w", err)
	}
	args := []any{s.orderBase(o.Guild), string(data), o.UpdatedAt.UnixMilli(), string(o.Status), o.Buyer}
	args = opArgs(args, indexOps(nil, o, "#"))
	args = eventArgs(args, events)
	n, err := createOrderScript.Run(ctx, s.rdb, []string{s.guildKey(o.Guild, "seq")}, args...).Int64()
	if err != nil {
		return wrap("create order", err)
	}
	o.Number, o.Version = n, 1
	return nil
}

// GetOrder loads order n of a server; ErrNotFound when it does not exist.
func (s *Store) GetOrder(ctx context.Context, guild string, n int64) (*Order, error) {
	vals, err := s.rdb.HMGet(ctx, s.orderKey(guild, n), "v", "d", "u").Result()
	if err != nil {
		return nil, wrap(fmt.Sprintf("load order %d", n), err)
	}
	return decodeOrder(guild, n, vals)
}

// decodeOrder decodes the hash fields v, d and (optionally) u of an order.
func decodeOrder(guild string, n int64, vals []any) (*Order, error) {
	str := func(i int) string {
		if i >= len(vals) {
			return ""
		}
		s, _ := vals[i].(string)
		return s
	}
	data := str(1)
	if data == "" {
		return nil, fmt.Errorf("order %d: %w", n, ErrNotFound)
	}
	o := &Order{}
	if err := json.Unmarshal([]byte(data), o); err != nil {
		return nil, fmt.Errorf("decode order %d: %w", n, err)
	}
	v, err := strconv.ParseInt(str(0), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("order %d: bad version %q", n, str(0))
	}
	o.Number, o.Version, o.Guild = n, v, guild
	if ms, err := strconv.ParseInt(str(2), 10, 64); err == nil && ms > o.UpdatedAt.UnixMilli() {
		o.UpdatedAt = time.UnixMilli(ms).UTC() // a note came later than the last record change
	}
	return o, nil
}

// Mutate changes o, a private copy of the order as currently stored, and returns the events that
// record the change. UpdateOrder calls it again with the newer record when another write got there
// first, so it must decide from o alone. An error abandons the update: nothing is written.
type Mutate func(o *Order) ([]Event, error)

// maxAttempts bounds how often UpdateOrder retries after losing a compare-and-set.
const maxAttempts = 8

// UpdateOrder applies mutate to order base.Number of base.Guild under compare-and-set on the version:
// the record, its index entries, its timers and the events are written in one script, or not at all.
// base is the order as last read (it saves a round trip); nil reads it first. When another write moved
// the version on, the script answers with the current record and mutate runs again on it, so a
// mutation that still applies (a status change after a concurrent tracking edit) goes through, and
// one that no longer does is refused by mutate itself. Returns the order as written and its events.
func (s *Store) UpdateOrder(ctx context.Context, guild string, n int64, base *Order, mutate Mutate) (*Order, []Event, error) {
	return s.updateOrder(ctx, guild, n, base, mutate, nil)
}

// updateOrder is UpdateOrder that also writes the operations extra returns for the record mutate made
// (another record of the server that changes with the order, such as its dispute), in the same script.
func (s *Store) updateOrder(ctx context.Context, guild string, n int64, base *Order, mutate Mutate, extra func(next *Order) ([]op, error)) (*Order, []Event, error) {
	if base == nil {
		var err error
		if base, err = s.GetOrder(ctx, guild, n); err != nil {
			return nil, nil, err
		}
	}
	cur := base
	for range maxAttempts {
		next := cur.Clone()
		events, err := mutate(next)
		if err != nil {
			return nil, nil, err
		}
		data, err := json.Marshal(next)
		if err != nil {
			return nil, nil, fmt.Errorf("encode order %d: %w", n, err)
		}
		args := []any{s.orderBase(guild), cur.Version, string(data), next.UpdatedAt.UnixMilli(), string(next.Status), next.Buyer}
		ops := indexOps(cur, next, strconv.FormatInt(n, 10))
		if extra != nil {
			more, err := extra(next)
			if err != nil {
				return nil, nil, err
			}
			ops = append(ops, more...)
		}
		args = opArgs(args, ops)
		args = eventArgs(args, events)
		res, err := updateOrderScript.Run(ctx, s.rdb, []string{s.orderKey(guild, n)}, args...).Slice()
		if err != nil {
			return nil, nil, wrap(fmt.Sprintf("update order %d", n), err)
		}
		switch code, _ := res[0].(int64); code {
		case 1:
			v, _ := strconv.ParseInt(fmt.Sprint(res[1]), 10, 64)
			next.Version = v
			return next, events, nil
		case -1:
			return nil, nil, fmt.Errorf("order %d: %w", n, ErrNotFound)
		}
		if cur, err = decodeOrder(guild, n, res[1:]); err != nil {
			return nil, nil, err
		}
	}
	return nil, nil, fmt.Errorf("update order %d: %w", n, ErrConflict)
}

// AddNote appends one event to an order's timeline and marks the order updated at e.At, in one
// script and without compare-and-set: the record itself does not change, so concurrent notes never
// conflict and none is lost. ErrNotFound when the order does not exist.
func (s *Store) AddNote(ctx context.Context, guild string, n int64, e Event) error {
	args := append([]any{s.orderBase(guild), n, e.At.UnixMilli()}, e.values()...)
	ok, err := addNoteScript.Run(ctx, s.rdb, []string{s.orderKey(guild, n)}, args...).Int64()
	if err != nil {
		return wrap(fmt.Sprintf("note on order %d", n), err)
	}
	if ok == 0 {
		return fmt.Errorf("order %d: %w", n, ErrNotFound)
	}
	return nil
}

// Events returns an order's timeline, oldest first, starting after the stream ID after ("" = from the start),
// at most count entries (0 = all).
func (s *Store) Events(ctx context.Context, guild string, n int64, after string, count int64) ([]Event, error) {
	start := "-"
	if after != "" {
		start = "(" + after
	}
	var msgs []redis.XMessage
	var err error
	if count > 0 {
		msgs, err = s.rdb.XRangeN(ctx, s.eventsKey(guild, n), start, "+", count).Result()
	} else {
		msgs, err = s.rdb.XRange(ctx, s.eventsKey(guild, n), start, "+").Result()
	}
	if err != nil {
		return nil, wrap(fmt.Sprintf("timeline of order %d", n), err)
	}
	return eventsOf(msgs), nil
}

func eventsOf(msgs []redis.XMessage) []Event {
	out := make([]Event, len(msgs))
	for i, m := range msgs {
		out[i] = eventFromStream(m)
	}
	return out
}

// IsNotFound reports whether err means a missing record.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsConflict reports whether err means a compare-and-set kept losing against concurrent writes.
func IsConflict(err error) bool { return errors.Is(err, ErrConflict) }
