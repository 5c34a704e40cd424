package commands_test

import (
	"github.com/redis/go-redis/v9"

	"github.com/tradeguard/tradeguard/state"
)

func stateOn(rdb redis.UniversalClient) *state.Store { return state.New(rdb, "tgdown") }
