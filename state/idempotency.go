package state

import (
	"context"
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
