package commands_test

import (
	"github.com/redis/go-redis/v9"

	"github.com/tradeguard/tradeguard/state"
)

func stateOn(rdb redis.UniversalClient) *state.Store { return state.New(rdb, "tgdown") }

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
