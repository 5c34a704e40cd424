package state

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Conversation is one member's multi-step flow (the dispute walk-through ...). Nothing of it lives in
// memory between steps: each step is written to Redis under compare-and-set on Version, so a double
// click or two replicas never apply a step twice, and a restarted process or another replica simply
// continues. Its expiry slides with every write; an expired conversation reads as ErrNotFound.
//
// Redis layout: <prefix>:{g<guild>}:conv:<id> is a hash {v, flow, step, owner, key, data, started,
// updated}; <prefix>:{g<guild>}:convkey:<flow>:<key> names the current conversation of a lookup key.
type Conversation struct {
	Guild   string
	ID      string // unique in the server; letters, digits and '-' (it travels in custom_ids)
	Flow    string // "dispute", ...
	Step    string // the flow's current step
	Owner   string // user ID of the member who started it
	Key     string // optional lookup name: FindConversation(flow, key) finds the latest conversation started with it
	Version int64  // compare-and-set counter: 1 when started, +1 per step
	Data    []byte // the flow's answers, JSON
	Started time.Time
	Updated time.Time
}

var (
	//go:embed scripts/conv_start.lua
	convStartLua string
	//go:embed scripts/conv_advance.lua
	convAdvanceLua string
	//go:embed scripts/conv_delete.lua
	convDeleteLua string

	convStartScript   = redis.NewScript(convStartLua)
	convAdvanceScript = redis.NewScript(convAdvanceLua)
	convDeleteScript  = redis.NewScript(convDeleteLua)
)

func (s *Store) convKey(guild, id string) string { return s.guildKey(guild, "conv", id) }

// convKeys returns the keys of a conversation's scripts: its hash, and its lookup pointer when it has one.
func (s *Store) convKeys(c *Conversation) []string {
	keys := []string{s.convKey(c.Guild, c.ID)}
	if c.Key != "" {
		keys = append(keys, s.guildKey(c.Guild, "convkey", c.Flow, c.Key))
	}
	return keys
}

// NewConversationID returns a random conversation id (12 hex digits).
func NewConversationID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// StartConversation writes a new conversation with c's flow, step, owner, key and data, expiring after
// ttl without a step. A conversation with the same id is replaced (its version keeps growing, so its old
// buttons stay stale); so is the one the lookup key named before. It sets c.ID (when empty), c.Version,
// c.Started and c.Updated.
func (s *Store) StartConversation(ctx context.Context, c *Conversation, now time.Time, ttl time.Duration) error {
	if c.ID == "" {
		c.ID = NewConversationID()
	}
	ms := now.UnixMilli()
	v, err := convStartScript.Run(ctx, s.rdb, s.convKeys(c),
		c.Flow, c.Step, c.Owner, string(c.Data), ms, ttl.Milliseconds(), c.Key, s.guildKey(c.Guild), c.ID).Int64()
	if err != nil {
		return wrap("start conversation "+c.ID, err)
	}
	c.Version, c.Started, c.Updated = v, time.UnixMilli(ms).UTC(), time.UnixMilli(ms).UTC()
	return nil
}

// Conversation loads a conversation; ErrNotFound when it never existed or expired.
func (s *Store) Conversation(ctx context.Context, guild, id string) (*Conversation, error) {
	m, err := s.rdb.HGetAll(ctx, s.convKey(guild, id)).Result()
	if err != nil {
		return nil, wrap("load conversation "+id, err)
	}
	if m["v"] == "" {
		return nil, fmt.Errorf("conversation %s: %w", id, ErrNotFound)
	}
	v, err := strconv.ParseInt(m["v"], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("conversation %s: bad version %q", id, m["v"])
	}
	ms := func(k string) time.Time {
		n, _ := strconv.ParseInt(m[k], 10, 64)
		return time.UnixMilli(n).UTC()
	}
	return &Conversation{
		Guild: guild, ID: id, Flow: m["flow"], Step: m["step"], Owner: m["owner"], Key: m["key"], Version: v,
		Data: []byte(m["data"]), Started: ms("started"), Updated: ms("updated"),
	}, nil
}

// FindConversation loads the latest conversation started with a lookup key in a flow; ErrNotFound when
// there is none or it expired.
func (s *Store) FindConversation(ctx context.Context, guild, flow, key string) (*Conversation, error) {
	id, err := s.rdb.Get(ctx, s.guildKey(guild, "convkey", flow, key)).Result()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("conversation %s/%s: %w", flow, key, ErrNotFound)
	}
	if err != nil {
		return nil, wrap("find conversation", err)
	}
	return s.Conversation(ctx, guild, id)
}

// AdvanceConversation writes c.Step and c.Data if the stored version is still c.Version, and slides the
// expiry to ttl from now. It sets c.Version and c.Updated. ErrConflict means another click or replica
// advanced it first (nothing written: reload it); ErrNotFound means it expired.
func (s *Store) AdvanceConversation(ctx context.Context, c *Conversation, now time.Time, ttl time.Duration) error {
	res, err := convAdvanceScript.Run(ctx, s.rdb, s.convKeys(c),
		c.Version, c.Step, string(c.Data), now.UnixMilli(), ttl.Milliseconds()).Int64Slice()
	if err != nil {
		return wrap("advance conversation "+c.ID, err)
	}
	switch res[0] {
	case -1:
		return fmt.Errorf("conversation %s: %w", c.ID, ErrNotFound)
	case 0:
		return fmt.Errorf("conversation %s at version %d, not %d: %w", c.ID, res[1], c.Version, ErrConflict)
	}
	c.Version, c.Updated = res[1], time.UnixMilli(now.UnixMilli()).UTC()
	return nil
}

// DeleteConversation removes a conversation at version c.Version (ErrConflict when it moved on,
// ErrNotFound when it had expired), and its lookup pointer while that still names it.
func (s *Store) DeleteConversation(ctx context.Context, c *Conversation) error {
	n, err := convDeleteScript.Run(ctx, s.rdb, s.convKeys(c), c.Version, c.ID).Int64()
	if err != nil {
		return wrap("delete conversation "+c.ID, err)
	}
	switch n {
	case -1:
		return fmt.Errorf("conversation %s: %w", c.ID, ErrNotFound)
	case 0:
		return fmt.Errorf("conversation %s: %w", c.ID, ErrConflict)
	}
	return nil
}
