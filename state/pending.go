package state

import (
	"context"
	"time"
)

// pendingTTL is how long a confirmation waits for its button.
const pendingTTL = 15 * time.Minute

// SavePending keeps a small record (a command waiting for its confirmation button) for 15 minutes.
func (s *Store) SavePending(ctx context.Context, guild, token, data string) error {
	return wrap("save pending confirmation", s.rdb.Set(ctx, s.guildKey(guild, "pending", token), data, pendingTTL).Err())
}
