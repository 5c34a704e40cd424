package bot

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/state"
)

// ShardLeaseTTL is the life of a gateway shard's lease in Redis: a crashed holder's shard is taken over
// by a waiting process within this time. The holder renews it every third of it.
const ShardLeaseTTL = 15 * time.Second

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

// RunLeased runs the gateway only while this process holds the shard's lease, so that two processes
// started for one shard never both connect: the second waits (trying on every tick) until the first
// stops or dies. If the lease is lost, the connection is closed and state.ErrLeaseLost returned.
func (g *Gateway) RunLeased(ctx context.Context, lease *state.Lease, ticks <-chan time.Time) error {
	var once sync.Once
	waiting := func(err error) {
		if err != nil {
			g.Log.Warn("cannot take the shard lease", "shard", g.Session.ShardID, "err", err)
			return
		}
		once.Do(func() {
			g.Log.Info("another process holds this shard; waiting for it to stop", "shard", g.Session.ShardID)
		})
	}
	return lease.Hold(ctx, ticks, waiting, func(ctx context.Context) error {
		g.Log.Info("holding the shard lease", "shard", g.Session.ShardID, "of", g.Session.ShardCount)
		return g.Run(ctx)
	})
}

// LeaseApp names the application in lease keys: DISCORD_APP_ID when set, else the bot's user ID, which
// is the token's first segment (base64 of the ID; not a secret).
func LeaseApp(appID, token string) string {
	if appID != "" {
		return appID
	}
	first, _, _ := strings.Cut(token, ".")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.StdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(first); err == nil && len(b) > 0 && strings.Trim(string(b), "0123456789") == "" {
			return string(b)
		}
	}
	return "default"
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
