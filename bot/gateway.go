package bot

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands"
)

// DefaultDrain is how long Gateway.Run waits at shutdown for interactions in flight to be answered.
const DefaultDrain = 10 * time.Second

// Gateway connects to Discord's gateway and feeds interactions into the router.
type Gateway struct {
	Session *discordgo.Session
	Router  *commands.Router
	Log     *slog.Logger
	// Drain bounds the wait at shutdown for interactions in flight; 0 means DefaultDrain.
	Drain time.Duration
}

// NewSession returns a discordgo session for the token that asks for no intent beyond Guilds
// (interactions belong to no intent) and never for a privileged one.
func NewSession(botToken string, shardID, shardCount int) (*discordgo.Session, error) {
	s, err := discordgo.New(botToken)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	s.Identify.Intents = discordgo.IntentsGuilds
	s.ShardID, s.ShardCount = shardID, shardCount
	s.StateEnabled = false
	return s, nil
}

// Run opens the gateway and answers interactions until ctx ends. It then stops taking interactions, closes the
// connection and waits (up to Drain) for the ones in flight: their answers go out with a context that ctx's
// end does not cancel, so a shutdown does not leave members with "the application did not respond".
func (g *Gateway) Run(ctx context.Context) error {
	var busy inflight
	work := context.WithoutCancel(ctx)
	remove := g.Session.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		if !busy.enter() {
			g.Log.Warn("interaction arrived during shutdown; not answered", "interaction", ic.ID)
			return
		}
		defer busy.leave()
		if err := g.Router.Dispatch(work, ic.Interaction, &RESTResponder{Session: s, In: ic.Interaction}); err != nil {
			g.Log.Error("answer interaction", "interaction", ic.ID, "err", err)
		}
	})
	defer remove()
	ready := g.Session.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		g.Log.Info("gateway ready", "user", r.User.Username, "guilds", len(r.Guilds), "shard", g.Session.ShardID)
	})
	defer ready()
	if err := g.Session.Open(); err != nil {
		return fmt.Errorf("open gateway: %w", err)
	}
	<-ctx.Done()
	busy.stop()
	// A heartbeat or read that fails while Close runs would otherwise make discordgo reconnect a session we are
	// shutting down (and, with shards handed over, compete with the process that took this shard).
	g.Session.ShouldReconnectOnError = false
	closeErr := g.Session.Close()
	drain := g.Drain
	if drain <= 0 {
		drain = DefaultDrain
	}
	if !busy.wait(drain) {
		g.Log.Warn("shutdown: interactions still in flight after the drain time", "drain", drain)
	}
	if closeErr != nil {
		return fmt.Errorf("close gateway: %w", closeErr)
	}
	return nil
}

// inflight counts the interactions being answered; once stopped it admits no more.
type inflight struct {
	mu      sync.Mutex
	stopped bool
	wg      sync.WaitGroup
}

// enter admits an interaction unless stopped.
func (f *inflight) enter() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return false
	}
	f.wg.Add(1)
	return true
}

func (f *inflight) leave() { f.wg.Done() }

func (f *inflight) stop() {
	f.mu.Lock()
	f.stopped = true
	f.mu.Unlock()
}

// wait waits for the admitted interactions, at most d; it reports whether they all finished.
func (f *inflight) wait(d time.Duration) bool {
	done := make(chan struct{})
	go func() { f.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
