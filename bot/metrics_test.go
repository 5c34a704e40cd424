package bot_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/redis/go-redis/v9"

	"github.com/tradeguard/tradeguard/bot"
	"github.com/tradeguard/tradeguard/state/statetest"
)

func scrape(m *bot.Metrics) string {
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

func TestRedisErrorsAreCountedByKind(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := bot.NewMetrics()
	base := statetest.Client(t)
	rdb := statetest.Reconnect(t, base)
	rdb.AddHook(m.RedisHook())
	key := statetest.Prefix(t, base) + ":k" // purged through base: rdb is closed below

	_ = rdb.Set(ctx, key, "v", 0).Err()
	if err := rdb.LPush(ctx, key, "x").Err(); err == nil {
		t.Fatal("LPUSH on a string succeeded")
	}
	if err := rdb.Get(ctx, key+":missing").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("GET missing: %v", err)
	}
	// A script's first run answers NOSCRIPT and is retried with EVAL: that is no error.
	if err := redis.NewScript(`return 1 -- `+key).Run(ctx, rdb, []string{key}).Err(); err != nil {
		t.Fatal(err)
	}
	_ = rdb.Close()
	_ = rdb.Get(ctx, key).Err()

	got := scrape(m)
	for _, want := range []string{
		`tradeguard_redis_errors_total{kind="wrongtype"} 1`,
		`tradeguard_redis_errors_total{kind="closed"} 1`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, grep(got, "redis"))
		}
	}
	if n := strings.Count(got, "tradeguard_redis_errors_total{"); n != 2 {
		t.Errorf("%d Redis error series, want 2 (no series for a missing key or NOSCRIPT):\n%s", n, grep(got, "redis"))
	}
}

func TestRedisErrorKinds(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{redis.Nil, ""},
		{context.DeadlineExceeded, "timeout"},
		{context.Canceled, "canceled"},
		{io.EOF, "connection"},
		{redis.ErrClosed, "closed"},
		{redis.ErrPoolTimeout, "pool_timeout"},
		{errors.New("some driver failure"), "other"},
	} {
		if got := bot.RedisErrorKind(c.err); got != c.want {
			t.Errorf("RedisErrorKind(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestDiscordErrorsAreCountedByStatusAndCode(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"message": "Unknown Webhook", "code": 10015}`)
	}))
	defer srv.Close()
	m := bot.NewMetrics()
	s, _ := discordgo.New("")
	u, _ := url.Parse(srv.URL)
	s.Client = &http.Client{Transport: m.DiscordTransport(rewrite{u})}
	in := &discordgo.Interaction{ID: "1", AppID: "700000000000000000", Token: "gone"}
	content := "late"
	_, err := s.InteractionResponseEdit(in, &discordgo.WebhookEdit{Content: &content})
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Message == nil || re.Message.Code != 10015 {
		t.Fatalf("discordgo did not see the error body: %v", err)
	}
	got := scrape(m)
	if !strings.Contains(got, `tradeguard_discord_api_errors_total{code="10015",status="404"} 1`) {
		t.Fatalf("/metrics:\n%s", grep(got, "discord"))
	}
	if strings.Contains(got, "Unknown Webhook") {
		t.Fatal("a raw Discord message reached the metrics")
	}
}
