package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/tradeguard/tradeguard/commands"
)

// SweepEvery is how often a process fires the due order timers.
const SweepEvery = time.Minute

// RunSweeper fires due order timers (auto-cancels, claim-window ends, change-request expiries) every
// interval until ctx ends. Every replica may run one: timers are claimed atomically in Redis.
func RunSweeper(ctx context.Context, app *commands.App, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if n, err := app.Sweep(ctx, now.UTC()); err != nil {
				log.Warn("sweep order timers", "err", err)
			} else if n > 0 {
				log.Info("order timers fired", "count", n)
			}
		}
	}
}
