package state

import (
	"context"
	_ "embed"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Timer is a due item of a server's timer set: an order's state deadline (auto-cancel, end of the
// claim window; Change is 0) or the expiry of one change request.
type Timer struct {
	Guild  string
	Number int64
	Change int
}

// member is the timer's member in the timer set (see timers in indexes.go).
func (t Timer) member() string {
	if t.Change != 0 {
		return "c:" + strconv.FormatInt(t.Number, 10) + ":" + strconv.Itoa(t.Change)
	}
	return "o:" + strconv.FormatInt(t.Number, 10)
}

// timerLease is how long a claimed timer waits before it is due again, should its handler die.
const timerLease = 5 * time.Minute

var (
	//go:embed scripts/claim_due.lua
	claimDueLua    string
	claimDueScript = redis.NewScript(claimDueLua)
)

// ClaimDue returns up to limit timers of a server due at now and leases them (see claim_due.lua):
// handling one means writing the order, which removes or reschedules its timer.
func (s *Store) ClaimDue(ctx context.Context, guild string, now time.Time, limit int) ([]Timer, error) {
	ms, err := claimDueScript.Run(ctx, s.rdb, []string{s.guildKey(guild, "timers")},
		now.UnixMilli(), limit, now.Add(timerLease).UnixMilli()).StringSlice()
	if err != nil {
		return nil, wrap("claim timers of "+guild, err)
	}
	out := make([]Timer, 0, len(ms))
	for _, m := range ms {
		parts := strings.Split(m, ":")
		t := Timer{Guild: guild}
		if len(parts) < 2 {
			continue
		}
		t.Number, _ = strconv.ParseInt(parts[1], 10, 64)
		if parts[0] == "c" && len(parts) == 3 {
			t.Change, _ = strconv.Atoi(parts[2])
		}
		out = append(out, t)
	}
	return out, nil
}

// Reschedule sets a timer's due time (zero: removes it), for a timer that turned out not to be due.
func (s *Store) Reschedule(ctx context.Context, t Timer, due time.Time) error {
	key := s.guildKey(t.Guild, "timers")
	var err error
	if due.IsZero() {
		err = s.rdb.ZRem(ctx, key, t.member()).Err()
	} else {
		err = s.rdb.ZAdd(ctx, key, redis.Z{Score: float64(due.UnixMilli()), Member: t.member()}).Err()
	}
	return wrap("reschedule timer", err)
}

// Guilds lists the servers that have orders (see Batch.MarkGuild).
func (s *Store) Guilds(ctx context.Context) ([]string, error) {
	var out []string
	iter := s.rdb.SScan(ctx, s.globalKey("guilds"), 0, "", 500).Iterator()
	for iter.Next(ctx) {
		out = append(out, iter.Val())
	}
	return out, wrap("list servers", iter.Err())
}
