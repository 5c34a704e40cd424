// Package config reads TradeGuard's settings from environment variables and validates them up front,
// with errors that name the variable and say what to do. Secrets are never printed.
package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
)

// Secret holds a credential; it formats as "[redacted]" so it cannot leak into logs or errors.
type Secret string

// String redacts the secret.
func (Secret) String() string { return "[redacted]" }

// GoString redacts the secret.
func (Secret) GoString() string { return "[redacted]" }

// LogValue redacts the secret in structured logs.
func (Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// Reveal returns the secret's value, for the one place that sends it to Discord.
func (s Secret) Reveal() string { return string(s) }

// Config is every setting of TradeGuard.
type Config struct {
	Token          Secret // DISCORD_TOKEN: the bot token
	AppID          string // DISCORD_APP_ID: the application ID (register, http)
	GuildID        string // DISCORD_GUILD_ID: register commands to this test server only
	PublicKey      string // DISCORD_PUBLIC_KEY: hex Ed25519 key of the application (http)
	RedisURL       Secret // REDIS_URL: redis:// or rediss:// URL (may hold a password)
	ClusterAddrs   []string
	SentinelAddrs  []string
	SentinelMaster string
	RedisPassword  Secret // REDIS_PASSWORD: for cluster and sentinel topologies
	KeyPrefix      string // TG_KEY_PREFIX
	PolicyFile     string // TG_POLICY_FILE
	LogLevel       slog.Level
	LogFormat      string // text or json
	HTTPAddr       string // HTTP_ADDR: listen address of the http subcommand
	MetricsAddr    string // METRICS_ADDR: optional separate listener for /metrics, /healthz, /readyz
	ShardID        int    // SHARD_ID
	ShardCount     int    // SHARD_COUNT
}

// Error is a configuration problem with the variable it concerns.
type Error struct {
	Var  string
	Help string
}

func (e *Error) Error() string { return e.Var + " " + e.Help }

var (
	snowflake = regexp.MustCompile(`^[0-9]{15,21}$`)
	prefixRe  = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`)
)

// Load reads the configuration through getenv (os.Getenv in main, a map in tests).
func Load(getenv func(string) string) (*Config, error) {
	c := &Config{
		Token:          Secret(strings.TrimSpace(getenv("DISCORD_TOKEN"))),
		AppID:          strings.TrimSpace(getenv("DISCORD_APP_ID")),
		GuildID:        strings.TrimSpace(getenv("DISCORD_GUILD_ID")),
		PublicKey:      strings.TrimSpace(getenv("DISCORD_PUBLIC_KEY")),
		RedisURL:       Secret(strings.TrimSpace(getenv("REDIS_URL"))),
		ClusterAddrs:   list(getenv("REDIS_CLUSTER_ADDRS")),
		SentinelAddrs:  list(getenv("REDIS_SENTINEL_ADDRS")),
		SentinelMaster: strings.TrimSpace(getenv("REDIS_SENTINEL_MASTER")),
		RedisPassword:  Secret(getenv("REDIS_PASSWORD")),
		KeyPrefix:      or(getenv("TG_KEY_PREFIX"), "tg"),
		PolicyFile:     strings.TrimSpace(getenv("TG_POLICY_FILE")),
		LogFormat:      strings.ToLower(or(getenv("LOG_FORMAT"), "text")),
		HTTPAddr:       or(getenv("HTTP_ADDR"), ":8080"),
		MetricsAddr:    strings.TrimSpace(getenv("METRICS_ADDR")),
	}
	if c.AppID != "" && !snowflake.MatchString(c.AppID) {
		return nil, &Error{"DISCORD_APP_ID", "must be the numeric Application ID from the Developer Portal (General Information)"}
	}
	if c.GuildID != "" && !snowflake.MatchString(c.GuildID) {
		return nil, &Error{"DISCORD_GUILD_ID", "must be a numeric server ID (enable Developer Mode, right-click the server, Copy Server ID)"}
	}
	if c.PublicKey != "" {
		if b, err := hex.DecodeString(c.PublicKey); err != nil || len(b) != ed25519.PublicKeySize {
			return nil, &Error{"DISCORD_PUBLIC_KEY", "must be the 64-character hex Public Key from the Developer Portal (General Information)"}
		}
	}
	if u := c.RedisURL.Reveal(); u != "" && !strings.HasPrefix(u, "redis://") && !strings.HasPrefix(u, "rediss://") && !strings.HasPrefix(u, "unix://") {
		return nil, &Error{"REDIS_URL", "must start with redis://, rediss:// or unix:// (for example redis://localhost:6379/0)"}
	}
	set := 0
	for _, on := range []bool{c.RedisURL != "", len(c.ClusterAddrs) > 0, len(c.SentinelAddrs) > 0} {
		if on {
			set++
		}
	}
	if set > 1 {
		return nil, &Error{"REDIS_URL", "conflicts with another Redis setting: set only one of REDIS_URL, REDIS_CLUSTER_ADDRS and REDIS_SENTINEL_ADDRS"}
	}
	if len(c.SentinelAddrs) > 0 && c.SentinelMaster == "" {
		return nil, &Error{"REDIS_SENTINEL_MASTER", "is required with REDIS_SENTINEL_ADDRS: the name of the master the Sentinels watch"}
	}
	if !prefixRe.MatchString(c.KeyPrefix) {
		return nil, &Error{"TG_KEY_PREFIX", "must be 1-32 letters, digits, '_', '.' or '-'"}
	}
	if err := c.LogLevel.UnmarshalText([]byte(or(getenv("LOG_LEVEL"), "info"))); err != nil {
		return nil, &Error{"LOG_LEVEL", "must be debug, info, warn or error"}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return nil, &Error{"LOG_FORMAT", "must be text or json"}
	}
	var err error
	if c.ShardID, err = intVar(getenv, "SHARD_ID", 0); err != nil {
		return nil, err
	}
	if c.ShardCount, err = intVar(getenv, "SHARD_COUNT", 1); err != nil {
		return nil, err
	}
	if c.ShardCount < 1 || c.ShardID < 0 || c.ShardID >= c.ShardCount {
		return nil, &Error{"SHARD_ID", fmt.Sprintf("must be between 0 and SHARD_COUNT-1 (SHARD_COUNT is %d)", c.ShardCount)}
	}
	return c, nil
}

// RequireToken checks the settings the gateway and register need.
func (c *Config) RequireToken() error {
	if c.Token == "" {
		return &Error{"DISCORD_TOKEN", "is not set. Create an application at https://discord.com/developers/applications, " +
			"open Bot, press Reset Token, and export the token as DISCORD_TOKEN (keep it secret)"}
	}
	if strings.ContainsAny(c.Token.Reveal(), " \t\n") {
		return &Error{"DISCORD_TOKEN", "contains spaces; paste the token alone, without the \"Bot \" prefix"}
	}
	return nil
}

// RequireApp checks the settings register and http need.
func (c *Config) RequireApp() error {
	if c.AppID == "" {
		return &Error{"DISCORD_APP_ID", "is not set: copy the Application ID from the Developer Portal (General Information)"}
	}
	return nil
}

// RequirePublicKey checks the setting the HTTP endpoint needs.
func (c *Config) RequirePublicKey() error {
	if c.PublicKey == "" {
		return &Error{"DISCORD_PUBLIC_KEY", "is not set: copy the Public Key from the Developer Portal (General Information)"}
	}
	return nil
}

// BotToken is the Authorization value discordgo expects.
func (c *Config) BotToken() string { return "Bot " + c.Token.Reveal() }

// PublicKeyBytes decodes DISCORD_PUBLIC_KEY (validated by Load).
func (c *Config) PublicKeyBytes() ed25519.PublicKey {
	b, _ := hex.DecodeString(c.PublicKey)
	return b
}

func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func or(s, def string) string {
	if s = strings.TrimSpace(s); s != "" {
		return s
	}
	return def
}

func intVar(getenv func(string) string, name string, def int) (int, error) {
	s := strings.TrimSpace(getenv(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, &Error{name, "must be a whole number"}
	}
	return n, nil
}
