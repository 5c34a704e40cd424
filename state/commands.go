package state

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"
)

// commandsKey holds the hash of the command definitions last registered for an application and scope.
func (s *Store) commandsKey(appID, guildID string) string {
	scope := "global"
	if guildID != "" {
		scope = "g" + guildID
	}
	return s.globalKey("commands", appID, scope)
}

// RegisteredHash returns the hash of the definitions last registered ("" when never).
func (s *Store) RegisteredHash(ctx context.Context, appID, guildID string) (string, error) {
	h, err := s.rdb.Get(ctx, s.commandsKey(appID, guildID)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return h, wrap("read registered commands hash", err)
}

// SaveRegisteredHash records the hash of the definitions just registered.
func (s *Store) SaveRegisteredHash(ctx context.Context, appID, guildID, hash string) error {
	return wrap("save registered commands hash", s.rdb.Set(ctx, s.commandsKey(appID, guildID), hash, 0).Err())
}
