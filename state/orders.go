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
	ShipDate     assurance.Date   `json:"ship_date,omitzero"`   // agreed ship date now in force
	FirstShip    assurance.Date   `json:"first_ship,omitzero"`  // first agreed ship date (the 90-day cap counts from it)
	Specs        Specs            `json:"specs,omitzero"`
	Status       assurance.Status `json:"status"`
	Prior        assurance.Status `json:"prior,omitempty"`    // state before the open dispute
	Dispute      int64            `json:"dispute,omitempty"`  // number of the dispute in force (open or refund pending), 0 = none
	Disputes     int64            `json:"disputes,omitempty"` // how many disputes were filed on the order
	Payments     []Payment        `json:"payments,omitempty"`
	ShippedOn    assurance.Date   `json:"shipped_on,omitzero"`
	Tracking     string           `json:"tracking,omitempty"`
	ReceivedOn   assurance.Date   `json:"received_on,omitzero"`
	Inspection   *Inspection      `json:"inspection,omitempty"`
	Extended     []string         `json:"extended,omitempty"` // sides that used their receipt-deadline extension
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
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
}

// Event is one entry of an order's timeline: who did what, when, and the state change if any.
type Event struct {
	ID    string           // stream entry ID (set when read)
	Type  string           // "created", "status", "note", "payment", ...
	Actor string           // user ID of who did it ("" for the system)
	Name  string           // the actor's display name at the time
	At    time.Time        // when
	From  assurance.Status // state before (status events)
	To    assurance.Status // state after
	Note  string           // free text: reason, progress note, tracking ...
}

// values renders the event as stream fields (empty ones left out to save memory).
func (e Event) values() []any {
	v := []any{"t", e.Type, "at", e.At.UTC().Format(time.RFC3339)}
	for _, kv := range [][2]string{{"by", e.Actor}, {"n", e.Name}, {"f", string(e.From)}, {"to", string(e.To)}, {"note", e.Note}} {
		if kv[1] != "" {
			v = append(v, kv[0], kv[1])
		}
	}
	return v
}

func eventFromStream(m redis.XMessage) Event {
	str := func(k string) string { s, _ := m.Values[k].(string); return s }
	at, _ := time.Parse(time.RFC3339, str("at"))
	return Event{
		ID: m.ID, Type: str("t"), Actor: str("by"), Name: str("n"), At: at,
		From: assurance.Status(str("f")), To: assurance.Status(str("to")), Note: str("note"),
	}
}

//go:embed scripts/create_order.lua
var createOrderLua string

var createOrderScript = redis.NewScript(createOrderLua)

// orderBase is the key of one server's namespace; an order's keys are <base>order:<n>[:events].
func (s *Store) orderBase(guild string) string { return s.guildKey(guild) }

func (s *Store) orderKey(guild string, n int64) string {
	return s.guildKey(guild, "order", strconv.FormatInt(n, 10))
}

func (s *Store) eventsKey(guild string, n int64) string {
	return s.guildKey(guild, "order", strconv.FormatInt(n, 10), "events")
}

// CreateOrder assigns the server's next order number and saves the order, its index entry and a
// "created" event in one atomic script. It sets o.Number and o.Version.
func (s *Store) CreateOrder(ctx context.Context, o *Order, created Event) error {
	data, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("encode order: %w", err)
	}
	args := append([]any{s.orderBase(o.Guild), string(data), o.UpdatedAt.UnixMilli(), o.Buyer}, created.values()...)
	keys := []string{s.guildKey(o.Guild, "seq"), s.guildKey(o.Guild, "orders"), s.guildKey(o.Guild, "buyer", o.Buyer)}
	n, err := createOrderScript.Run(ctx, s.rdb, keys, args...).Int64()
	if err != nil {
		return wrap("create order", err)
	}
	o.Number, o.Version = n, 1
	return nil
}

// GetOrder loads order n of a server; ErrNotFound when it does not exist.
func (s *Store) GetOrder(ctx context.Context, guild string, n int64) (*Order, error) {
	vals, err := s.rdb.HMGet(ctx, s.orderKey(guild, n), "v", "d").Result()
	if err != nil {
		return nil, wrap(fmt.Sprintf("load order %d", n), err)
	}
	return decodeOrder(guild, n, vals)
}

func decodeOrder(guild string, n int64, vals []any) (*Order, error) {
	ver, _ := vals[0].(string)
	data, _ := vals[1].(string)
	if data == "" {
		return nil, fmt.Errorf("order %d: %w", n, ErrNotFound)
	}
	o := &Order{}
	if err := json.Unmarshal([]byte(data), o); err != nil {
		return nil, fmt.Errorf("decode order %d: %w", n, err)
	}
	v, err := strconv.ParseInt(ver, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("order %d: bad version %q", n, ver)
	}
	o.Number, o.Version, o.Guild = n, v, guild
	return o, nil
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
	out := make([]Event, len(msgs))
	for i, m := range msgs {
		out[i] = eventFromStream(m)
	}
	return out, nil
}

// IsNotFound reports whether err means a missing record.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
