package bot

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/config"
	"github.com/tradeguard/tradeguard/state"
)

// Stack is everything a transport needs: the Redis connection, the store, the handlers and the router.
type Stack struct {
	Conn   *state.Connection
	Store  *state.Store
	App    *commands.App
	Router *commands.Router
}

// Close releases the Redis connection.
func (s *Stack) Close() error { return s.Conn.Close() }

// Topology converts the configuration into a Redis topology.
func Topology(cfg *config.Config) state.Topology {
	return state.Topology{
		URL: cfg.RedisURL.Reveal(), ClusterAddrs: cfg.ClusterAddrs, SentinelAddrs: cfg.SentinelAddrs,
		SentinelMaster: cfg.SentinelMaster, Password: cfg.RedisPassword.Reveal(),
	}
}

// LoadPolicy returns the embedded policy, or the operator's file from TG_POLICY_FILE.
func LoadPolicy(cfg *config.Config) (*assurance.Policy, error) {
	if cfg.PolicyFile == "" {
		return assurance.Default(), nil
	}
	p, err := assurance.LoadPolicy(cfg.PolicyFile)
	if err != nil {
		return nil, fmt.Errorf("TG_POLICY_FILE: %w", err)
	}
	return p, nil
}

// Build connects to Redis and assembles the handlers and router.
func Build(ctx context.Context, cfg *config.Config, log *slog.Logger, announce commands.Announcer, opts ...commands.RouterOption) (*Stack, error) {
	policy, err := LoadPolicy(cfg)
	if err != nil {
		return nil, err
	}
	conn, err := state.Connect(ctx, Topology(cfg))
	if err != nil {
		return nil, err
	}
	store := state.New(conn.Client, cfg.KeyPrefix)
	app, router, err := NewRouter(store, policy, announce, log, opts...)
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	return &Stack{Conn: conn, Store: store, App: app, Router: router}, nil
}

// NewRouter assembles the handlers over a store and returns them with a router that de-duplicates
// deliveries through the store.
func NewRouter(store *state.Store, policy *assurance.Policy, announce commands.Announcer, log *slog.Logger, opts ...commands.RouterOption) (*commands.App, *commands.Router, error) {
	cat, err := commands.LoadCatalog()
	if err != nil {
		return nil, nil, err
	}
	app := &commands.App{Store: store, Policy: policy, Cat: cat, Announce: announce, Log: log}
	base := []commands.RouterOption{commands.WithDeduper(store)}
	router, err := commands.NewRouter(cat, log, app.Routes(), append(base, opts...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("build router: %w", err)
	}
	return app, router, nil
}

// NewLogger builds the process logger from LOG_LEVEL and LOG_FORMAT.
func NewLogger(cfg *config.Config) *slog.Logger {
	o := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, o))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, o))
}

// discordLogLevel keeps discordgo quiet unless we debug.
func discordLogLevel(l slog.Level) int {
	if l <= slog.LevelDebug {
		return discordgo.LogInformational
	}
	return discordgo.LogWarning
}
