package state

import (
	"context"
	"strconv"
	"time"
)

// interactionTTL is how long an interaction ID is remembered: longer than Discord ever redelivers one.
const interactionTTL = 15 * time.Minute

// ClaimInteraction records an interaction ID and reports whether this is its first delivery
// (SET NX with a 15-minute expiry), so that two processes never answer one interaction.
func (s *Store) ClaimInteraction(ctx context.Context, id string) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.globalKey("ix", id), 1, interactionTTL).Result()
	if err != nil {
		return false, wrap("claim interaction "+id, err)
	}
	return ok, nil
}

// writeWindow is the window of the per-member write rate limit.
const writeWindow = time.Minute

// ClaimWrite is ClaimInteraction for a command that writes: in the same round trip it counts the member's
// writes in this server during the current minute, for the per-member rate limit.
func (s *Store) ClaimWrite(ctx context.Context, id, guild, user string) (first bool, writes int64, err error) {
	bucket := s.guildKey(guild, "rl", user, strconv.FormatInt(time.Now().Unix()/int64(writeWindow.Seconds()), 10))
	pipe := s.rdb.Pipeline()
	claim := pipe.SetNX(ctx, s.globalKey("ix", id), 1, interactionTTL)
	count := pipe.Incr(ctx, bucket)
	pipe.Expire(ctx, bucket, 2*writeWindow)
	if _, err := pipe.Exec(ctx); err != nil {
		return false, 0, wrap("claim write "+id, err)
	}
	return claim.Val(), count.Val(), nil
}
