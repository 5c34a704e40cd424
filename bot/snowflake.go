package bot

import (
	"strconv"
	"sync/atomic"
	"time"
)

// discordEpoch is the first millisecond of 2015 (Discord's snowflake epoch).
const discordEpoch = 1420070400000

// snowflakes makes Discord-style IDs whose embedded time is real, so the router's deadline works locally.
type snowflakes struct{ seq atomic.Int64 }

func (s *snowflakes) next(at time.Time) string {
	ms := at.UnixMilli() - discordEpoch
	return strconv.FormatInt(ms<<22|(s.seq.Add(1)&0x3FFFFF), 10)
}
