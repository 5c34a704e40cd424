package bot

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/config"
	"github.com/tradeguard/tradeguard/state"
)

// Version is the build's version, set with -ldflags "-X github.com/tradeguard/tradeguard/bot.Version=...".
var Version = "dev"

// Env is what a subcommand gets from its process.
type Env struct {
	Args   []string // after the subcommand name
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// StdinIsTerminal tells the console whether to prompt (interactive) or run a script.
	StdinIsTerminal bool
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// subcommand is one verb of the tradeguard command.
type subcommand struct {
	name, summary string
	run           func(ctx context.Context, env Env) int
}

func subcommands() []subcommand {
	return []subcommand{
		{"console", "run the bot locally in this terminal, like a Discord channel (embedded Redis unless REDIS_URL is set)", runConsole},
		{"gateway", "connect to Discord's gateway with DISCORD_TOKEN and answer slash commands", runGateway},
		{"http", "serve Discord's HTTP interactions endpoint on HTTP_ADDR (DISCORD_PUBLIC_KEY)", runHTTP},
		{"register", "register the slash commands with Discord (globally, or in DISCORD_GUILD_ID); --force re-sends", runRegister},
		{"check", "answer eligibility questions: JSON facts on standard input, one JSON verdict per line out", runCheck},
		{"version", "print the version", runVersion},
		{"help", "print this help", nil},
	}
}

// Main runs the subcommand named by args[0] and returns the process exit code.
func Main(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return exitUsage
	}
	for _, sc := range subcommands() {
		if sc.name != args[0] {
			continue
		}
		if sc.run == nil {
			usage(env.Stdout)
			return exitOK
		}
		env.Args = args[1:]
		return sc.run(ctx, env)
	}
	fmt.Fprintf(env.Stderr, "tradeguard: unknown subcommand %q\n\n", args[0])
	usage(env.Stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: tradeguard <subcommand> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Subcommands:")
	for _, sc := range subcommands() {
		fmt.Fprintf(w, "  %-9s %s\n", sc.name, sc.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Settings come from environment variables; see README.md (Configuration).")
}

// flags parses a subcommand's flags; on a bad flag it prints usage and reports false.
func flags(env Env, name string, define func(*flag.FlagSet)) bool {
	fs := flag.NewFlagSet("tradeguard "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	if define != nil {
		define(fs)
	}
	if err := fs.Parse(env.Args); err != nil {
		return false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "tradeguard %s: unexpected argument %q\n", name, fs.Arg(0))
		fs.Usage()
		return false
	}
	return true
}

// prepare parses a subcommand's flags and reads the configuration; on a bad flag or setting it
// returns a nil configuration and the exit code (2), having explained the problem.
func prepare(env Env, name string, define func(*flag.FlagSet)) (*config.Config, int) {
	if !flags(env, name, define) {
		return nil, exitUsage
	}
	return loadConfig(env)
}

// loadConfig reads the configuration or explains what is wrong (exit 2).
func loadConfig(env Env) (*config.Config, int) {
	cfg, err := config.Load(env.Getenv)
	if err != nil {
		fmt.Fprintf(env.Stderr, "tradeguard: %v\n", err)
		return nil, exitUsage
	}
	return cfg, exitOK
}

// configError prints a configuration error; such errors exit 2.
func configError(env Env, err error) int {
	var ce *config.Error
	if errors.As(err, &ce) {
		fmt.Fprintf(env.Stderr, "tradeguard: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(env.Stderr, "tradeguard: %v\n", err)
	return exitFail
}

func runVersion(_ context.Context, env Env) int {
	if !flags(env, "version", nil) {
		return exitUsage
	}
	v := Version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	fmt.Fprintf(env.Stdout, "tradeguard %s\n", v)
	return exitOK
}

func runCheck(_ context.Context, env Env) int {
	cfg, code := prepare(env, "check", nil)
	if cfg == nil {
		return code
	}
	policy, err := LoadPolicy(cfg)
	if err != nil {
		return configError(env, err)
	}
	ok, err := policy.Check(env.Stdin, env.Stdout, assurance.DateOf(time.Now()))
	if err != nil {
		fmt.Fprintf(env.Stderr, "tradeguard check: %v\n", err)
		return exitFail
	}
	if !ok {
		return exitUsage
	}
	return exitOK
}

func runConsole(ctx context.Context, env Env) int {
	cfg, code := prepare(env, "console", nil)
	if cfg == nil {
		return code
	}
	log := NewLogger(cfg)
	c := &Console{In: env.Stdin, Out: env.Stdout, Interactive: env.StdinIsTerminal}
	st, err := Build(ctx, cfg, log, c, commands.WithClock(c.Clock))
	if err != nil {
		return configError(env, err)
	}
	defer st.Close()
	c.Router, c.Definitions, c.Store = st.Router, st.App.Definitions(), st.Store
	if err := c.Run(ctx); err != nil {
		fmt.Fprintf(env.Stderr, "tradeguard console: %v\n", err)
		return exitFail
	}
	return exitOK
}

func runGateway(ctx context.Context, env Env) int {
	cfg, code := prepare(env, "gateway", nil)
	if cfg == nil {
		return code
	}
	if err := cfg.RequireToken(); err != nil {
		return configError(env, err)
	}
	log := NewLogger(cfg)
	session, m, st, err := serve(ctx, cfg, log, cfg.BotToken(), cfg.ShardID, cfg.ShardCount)
	if err != nil {
		return configError(env, err)
	}
	defer st.Close()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	if cfg.MetricsAddr != "" {
		wait, err := ServeOps(ctx, cfg.MetricsAddr, OpsHandler(m, st.Store.Ping, log), log)
		if err != nil {
			return configError(env, err)
		}
		defer wait()
		defer stop()
	}
	go RunSweeper(ctx, st.App, SweepEvery, log)
	g := &Gateway{Session: session, Router: st.Router, Log: log}
	lease := st.Store.NewLease(state.ShardLeaseName(LeaseApp(cfg.AppID, cfg.Token.Reveal()), cfg.ShardID), ShardLeaseTTL, nil)
	tick := time.NewTicker(ShardLeaseTTL / 3)
	defer tick.Stop()
	err = g.RunLeased(ctx, lease, tick.C)
	if err != nil && !errors.Is(err, context.Canceled) {
		log.Error("gateway stopped", "err", err)
		return exitFail
	}
	return exitOK
}

func runRegister(ctx context.Context, env Env) int {
	var force bool
	cfg, code := prepare(env, "register", func(fs *flag.FlagSet) {
		fs.BoolVar(&force, "force", false, "register even when the definitions did not change")
	})
	if cfg == nil {
		return code
	}
	if err := errors.Join(cfg.RequireToken(), cfg.RequireApp()); err != nil {
		return configError(env, err)
	}
	log := NewLogger(cfg)
	session, err := NewSession(cfg.BotToken(), 0, 1)
	if err != nil {
		return configError(env, err)
	}
	st, err := Build(ctx, cfg, log, ChannelAnnouncer{Session: session})
	if err != nil {
		return configError(env, err)
	}
	defer st.Close()
	reg := &Registration{Session: session, Store: st.Store, AppID: cfg.AppID, GuildID: cfg.GuildID}
	sent, err := reg.Run(ctx, st.App.Definitions(), force)
	if err != nil {
		fmt.Fprintf(env.Stderr, "tradeguard register: %v\n", err)
		return exitFail
	}
	where := "globally (may take up to an hour to appear)"
	if cfg.GuildID != "" {
		where = "in server " + cfg.GuildID
	}
	if sent {
		fmt.Fprintf(env.Stdout, "registered %d commands %s\n", len(st.App.Definitions()), where)
	} else {
		fmt.Fprintf(env.Stdout, "commands unchanged %s; nothing sent (use --force to re-send)\n", where)
	}
	return exitOK
}

// serve assembles what gateway and http share: a Discord session (never opened by http), the metrics
// (of the router, Redis and Discord's API), and the stack over Redis, warning when Redis is embedded.
func serve(ctx context.Context, cfg *config.Config, log *slog.Logger, token string, shardID, shardCount int) (*discordgo.Session, *Metrics, *Stack, error) {
	session, err := NewSession(token, shardID, shardCount)
	if err != nil {
		return nil, nil, nil, err
	}
	session.LogLevel = discordLogLevel(cfg.LogLevel)
	m := NewMetrics()
	instrument(session, m)
	st, err := Build(ctx, cfg, log, ChannelAnnouncer{Session: session}, commands.WithObserver(m))
	if err != nil {
		return nil, nil, nil, err
	}
	st.Conn.Client.AddHook(m.RedisHook())
	if st.Conn.Embedded() {
		log.Warn("REDIS_URL is not set: using the embedded in-memory store; nothing survives a restart and replicas cannot share state")
	}
	return session, m, st, nil
}

// runHTTP serves Discord's HTTP interactions endpoint until SIGTERM, then drains.
func runHTTP(ctx context.Context, env Env) int {
	cfg, code := prepare(env, "http", nil)
	if cfg == nil {
		return code
	}
	if err := cfg.RequirePublicKey(); err != nil {
		return configError(env, err)
	}
	log := NewLogger(cfg)
	// Deferred answers go to the token-authenticated webhook routes, which need no bot token;
	// announcements in the updates channel do.
	token := ""
	if cfg.Token != "" {
		if err := cfg.RequireToken(); err != nil {
			return configError(env, err)
		}
		token = cfg.BotToken()
	} else {
		log.Warn("DISCORD_TOKEN is not set: answers work, but announcements in the updates channel will fail")
	}
	session, m, st, err := serve(ctx, cfg, log, token, 0, 1)
	if err != nil {
		return configError(env, err)
	}
	defer st.Close()
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return configError(env, fmt.Errorf("HTTP_ADDR: %w", err))
	}
	srv := &HTTPServer{
		Key: cfg.PublicKeyBytes(), Router: st.Router, Session: session, Ready: st.Store.Ping, Metrics: m, Log: log,
		MetricsElsewhere: cfg.MetricsAddr != "",
	}
	if cfg.MetricsAddr != "" {
		opsCtx, stopOps := context.WithCancel(ctx)
		wait, err := ServeOps(opsCtx, cfg.MetricsAddr, srv.OpsHandler(), log)
		if err != nil {
			stopOps()
			_ = ln.Close()
			return configError(env, err)
		}
		defer wait()
		defer stopOps() // after the interactions drained, so /metrics shows the last of them
	}
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go RunSweeper(sweepCtx, st.App, SweepEvery, log)
	log.Info("serving Discord interactions", "addr", ln.Addr().String(), "path", "/interactions")
	if err := srv.Serve(ctx, ln); err != nil {
		log.Error("http stopped", "err", err)
		return exitFail
	}
	log.Info("stopped")
	return exitOK
}

// stdinIsTerminal reports whether f is a terminal (character device).
func stdinIsTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// OSEnv is the Env of this process.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, StdinIsTerminal: stdinIsTerminal(os.Stdin)}
}
