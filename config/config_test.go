package config

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func load(env map[string]string) (*Config, error) {
	return Load(func(k string) string { return env[k] })
}

func TestDefaults(t *testing.T) {
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.KeyPrefix != "tg" || c.HTTPAddr != ":8080" || c.LogLevel != slog.LevelInfo || c.LogFormat != "text" || c.ShardCount != 1 {
		t.Fatalf("defaults = %+v", c)
	}
	if err := c.RequireToken(); err == nil || !strings.Contains(err.Error(), "DISCORD_TOKEN") || !strings.Contains(err.Error(), "Reset Token") {
		t.Fatalf("RequireToken = %v", err)
	}
}

func TestInvalidSettingsNameTheVariable(t *testing.T) {
	cases := map[string]map[string]string{
		"DISCORD_APP_ID":        {"DISCORD_APP_ID": "my-app"},
		"DISCORD_GUILD_ID":      {"DISCORD_GUILD_ID": "12"},
		"DISCORD_PUBLIC_KEY":    {"DISCORD_PUBLIC_KEY": "zz"},
		"REDIS_URL":             {"REDIS_URL": "localhost:6379"},
		"REDIS_SENTINEL_MASTER": {"REDIS_SENTINEL_ADDRS": "a:1"},
		"TG_KEY_PREFIX":         {"TG_KEY_PREFIX": "a b"},
		"LOG_LEVEL":             {"LOG_LEVEL": "chatty"},
		"LOG_FORMAT":            {"LOG_FORMAT": "xml"},
		"SHARD_ID":              {"SHARD_ID": "3", "SHARD_COUNT": "2"},
	}
	for name, env := range cases {
		_, err := load(env)
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != name {
			t.Errorf("%v: err = %v, want one naming %s", env, err, name)
		}
	}
	if _, err := load(map[string]string{"REDIS_URL": "redis://x", "REDIS_CLUSTER_ADDRS": "a:1"}); err == nil {
		t.Error("two topologies accepted")
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	c, err := load(map[string]string{"DISCORD_TOKEN": "tok-123", "REDIS_URL": "redis://:pw-456@h:6379"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), c.Token.String()} {
		if strings.Contains(s, "tok-123") || strings.Contains(s, "pw-456") {
			t.Fatalf("secret printed: %s", s)
		}
	}
	if c.BotToken() != "Bot tok-123" {
		t.Fatalf("BotToken = %q", c.BotToken())
	}
}
