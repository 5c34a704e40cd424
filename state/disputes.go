package state

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

// Dispute is one refund application on an order (POLICY.md section 5), as the buyer filed it through
// the walk-through, with every stage recorded since. Its core changes only together with its order
// (under the order's compare-and-set); evidence items are an append-only list beside it.
//
// Redis layout (under the server's key base): order:<n>:disputes is a hash {<number>: JSON};
// order:<n>:dispute:<number>:evidence is a list of evidence items (JSON). The order's Dispute field
// names the dispute in force and Disputes counts them.
type Dispute struct {
	Order     int64            `json:"-"` // order number, from the key
	Number    int64            `json:"-"` // 1 for the order's first dispute, from the hash field
	Guild     string           `json:"-"`
	Buyer     string           `json:"buyer"`
	BuyerName string           `json:"buyer_name"`
	Issue     string           `json:"issue"`
	Stage     assurance.Stage  `json:"stage"`
	Prior     assurance.Status `json:"prior"` // the order's state when the dispute opened
	// The bot's reading when the dispute was filed: verdict and reason of the eligibility rules, and
	// Against when the buyer filed it although the reading was not "eligible".
	Verdict     string           `json:"verdict"`
	Reason      string           `json:"reason"`
	Against     bool             `json:"against,omitempty"`
	MaxRefund   *decimal.Decimal `json:"max_refund,omitempty"`
	LimitedBy   string           `json:"limited_by,omitempty"`
	Computation []string         `json:"computation,omitempty"`
	// What the buyer asks: a full or partial refund, the amount, and the quantities of a partial one.
	Refund      string          `json:"refund"` // full, quantity or amount
	Asked       decimal.Decimal `json:"asked"`
	AffectedQty int64           `json:"affected_qty,omitempty"`
	TotalQty    int64           `json:"total_qty,omitempty"`
	Currency    string          `json:"currency"`
	// The walk-through's answers, the evidence kinds at hand and the facts the rules read.
	Answers  []Answer         `json:"answers,omitempty"`
	Evidence []string         `json:"evidence,omitempty"`
	Facts    json.RawMessage  `json:"facts,omitempty"`
	Opened   assurance.Date   `json:"opened"` // day 0 of the dispute clock
	OpenedAt time.Time        `json:"opened_at"`
	Deadline assurance.Date   `json:"deadline,omitzero"` // last day to claim, when known
	Agreed   *decimal.Decimal `json:"agreed,omitempty"`  // the refund agreed (resolved_refund)
	Steps    []DisputeStep    `json:"steps,omitempty"`   // every move recorded since the filing
	EndedAt  time.Time        `json:"ended_at,omitzero"`
}

// Answer is one answer of the walk-through: the fact asked and the member's answer, with its time.
type Answer struct {
	Fact  string    `json:"fact"`
	Value string    `json:"value"`
	At    time.Time `json:"at"`
}

// DisputeStep is one move recorded on a dispute (assurance.DisputeMove), by whom and when.
type DisputeStep struct {
	Move   assurance.DisputeMove `json:"move"`
	Stage  assurance.Stage       `json:"stage"`
	By     string                `json:"by"`
	Name   string                `json:"name"`
	At     time.Time             `json:"at"`
	Amount *decimal.Decimal      `json:"amount,omitempty"`
	Note   string                `json:"note,omitempty"`
}

// EvidenceItem is a link, a file or a note offered as evidence. Files are stored as Discord's
// attachment URL and name, never their bytes.
type EvidenceItem struct {
	Kind        string    `json:"kind,omitempty"` // an evidence kind of the policy, if the member said
	Link        string    `json:"link,omitempty"`
	File        string    `json:"file,omitempty"`     // attachment file name
	FileURL     string    `json:"file_url,omitempty"` // attachment URL
	ContentType string    `json:"content_type,omitempty"`
	Size        int       `json:"size,omitempty"`
	Note        string    `json:"note,omitempty"`
	By          string    `json:"by"`
	Name        string    `json:"name"`
	At          time.Time `json:"at"`
}

var (
	//go:embed scripts/dispute_evidence.lua
	disputeEvidenceLua string

	disputeEvidenceScript = redis.NewScript(disputeEvidenceLua)
)

func (s *Store) disputesKey(guild string, n int64) string {
	return s.guildKey(guild, "order", strconv.FormatInt(n, 10), "disputes")
}

func (s *Store) evidenceKey(guild string, n, d int64) string {
	return s.guildKey(guild, "order", strconv.FormatInt(n, 10), "dispute", strconv.FormatInt(d, 10), "evidence")
}

// DisputeChange changes o, a private copy of the order as stored, and returns the dispute to write with
// it (d.Number names it) and the events recording the change. ChangeDispute calls it again with the newer
// record when another write got there first, so it must decide from o (and the dispute it loads) alone.
// An error abandons the change: nothing is written.
type DisputeChange func(o *Order) (d *Dispute, events []Event, err error)

// ChangeDispute applies change to order n like UpdateOrder (compare-and-set on the order's version, with
// its index entries, timers and events), and writes the dispute and any new evidence items in the same
// script: an order and its dispute never disagree. base is the order as last read (nil reads it).
// Returns the order, the dispute and the events as written.
func (s *Store) ChangeDispute(ctx context.Context, guild string, n int64, base *Order, change DisputeChange, items ...EvidenceItem) (*Order, *Dispute, []Event, error) {
	var d *Dispute
	mutate := func(o *Order) ([]Event, error) {
		var evs []Event
		var err error
		d, evs, err = change(o)
		return evs, err
	}
	num := strconv.FormatInt(n, 10)
	extra := func(*Order) ([]op, error) {
		dd, err := json.Marshal(d)
		if err != nil {
			return nil, fmt.Errorf("encode dispute %d of order %d: %w", d.Number, n, err)
		}
		dn := strconv.FormatInt(d.Number, 10)
		ops := []op{{"hset", "order:" + num + ":disputes", dn, string(dd)}}
		for _, it := range items {
			b, err := json.Marshal(it)
			if err != nil {
				return nil, fmt.Errorf("encode evidence: %w", err)
			}
			ops = append(ops, op{"rpush", "order:" + num + ":dispute:" + dn + ":evidence", string(b), ""})
		}
		return ops, nil
	}
	o, evs, err := s.updateOrder(ctx, guild, n, base, mutate, extra)
	if err != nil {
		return nil, nil, nil, err
	}
	d.Order, d.Guild = n, guild
	return o, d, evs, nil
}

// Dispute loads dispute d of order n; ErrNotFound when it does not exist.
func (s *Store) Dispute(ctx context.Context, guild string, n, d int64) (*Dispute, error) {
	data, err := s.rdb.HGet(ctx, s.disputesKey(guild, n), strconv.FormatInt(d, 10)).Result()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("dispute %d of order %d: %w", d, n, ErrNotFound)
	}
	if err != nil {
		return nil, wrap(fmt.Sprintf("load dispute %d of order %d", d, n), err)
	}
	return decodeDispute(guild, n, d, data)
}

// Disputes loads every dispute of order n, oldest first.
func (s *Store) Disputes(ctx context.Context, guild string, n int64) ([]*Dispute, error) {
	m, err := s.rdb.HGetAll(ctx, s.disputesKey(guild, n)).Result()
	if err != nil {
		return nil, wrap(fmt.Sprintf("load disputes of order %d", n), err)
	}
	out := make([]*Dispute, 0, len(m))
	for k, data := range m {
		d, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("disputes of order %d: bad field %q", n, k)
		}
		disp, err := decodeDispute(guild, n, d, data)
		if err != nil {
			return nil, err
		}
		out = append(out, disp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

func decodeDispute(guild string, n, d int64, data string) (*Dispute, error) {
	disp := &Dispute{}
	if err := json.Unmarshal([]byte(data), disp); err != nil {
		return nil, fmt.Errorf("decode dispute %d of order %d: %w", d, n, err)
	}
	disp.Order, disp.Number, disp.Guild = n, d, guild
	return disp, nil
}

// MaxEvidenceItems is the most evidence items one dispute holds.
const MaxEvidenceItems = 50

// ErrFull is returned when a list already holds the most items it may.
var ErrFull = errors.New("full")

// AddEvidence appends an evidence item to dispute d of order n, with its timeline event, in one script.
// Items are never edited or removed. ErrNotFound when the dispute does not exist, ErrFull when it holds
// MaxEvidenceItems already.
func (s *Store) AddEvidence(ctx context.Context, guild string, n, d int64, it EvidenceItem, ev Event) error {
	b, err := json.Marshal(it)
	if err != nil {
		return fmt.Errorf("encode evidence: %w", err)
	}
	args := append([]any{d, string(b), MaxEvidenceItems}, ev.values()...)
	keys := []string{s.disputesKey(guild, n), s.evidenceKey(guild, n, d), s.eventsKey(guild, n)}
	res, err := disputeEvidenceScript.Run(ctx, s.rdb, keys, args...).Int64()
	if err != nil {
		return wrap(fmt.Sprintf("add evidence to dispute %d of order %d", d, n), err)
	}
	switch res {
	case -1:
		return fmt.Errorf("dispute %d of order %d: %w", d, n, ErrNotFound)
	case -2:
		return fmt.Errorf("evidence of dispute %d of order %d: %w", d, n, ErrFull)
	}
	return nil
}

// Evidence returns the evidence items of dispute d of order n, oldest first.
func (s *Store) Evidence(ctx context.Context, guild string, n, d int64) ([]EvidenceItem, error) {
	raw, err := s.rdb.LRange(ctx, s.evidenceKey(guild, n, d), 0, -1).Result()
	if err != nil {
		return nil, wrap(fmt.Sprintf("evidence of dispute %d of order %d", d, n), err)
	}
	out := make([]EvidenceItem, 0, len(raw))
	for _, r := range raw {
		var it EvidenceItem
		if err := json.Unmarshal([]byte(r), &it); err != nil {
			return nil, fmt.Errorf("decode evidence of dispute %d of order %d: %w", d, n, err)
		}
		out = append(out, it)
	}
	return out, nil
}
