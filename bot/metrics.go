package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
)

// Metrics are the process's Prometheus series, on a registry of their own (no globals). Labels are
// always from small fixed sets: interaction types, command paths, outcomes, error kinds, HTTP statuses
// and Discord error codes, never raw error messages.
type Metrics struct {
	Registry     *prometheus.Registry
	interactions *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	deferrals    *prometheus.CounterVec
	rejected     *prometheus.CounterVec
	inflight     prometheus.Gauge
	redisErrors  *prometheus.CounterVec
	discordErrs  *prometheus.CounterVec
}

// NewMetrics registers TradeGuard's series and the Go runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		interactions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tradeguard_interactions_total",
			Help: "Interactions handled, by type, command path and outcome.",
		}, []string{"type", "command", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "tradeguard_handler_duration_seconds",
			Help:    "Time from receiving an interaction to its final answer, by type and command path.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5, 10},
		}, []string{"type", "command"}),
		deferrals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tradeguard_deferrals_total",
			Help: "Interactions deferred because the handler outlived the response budget.",
		}, []string{"type", "command"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tradeguard_http_rejected_total",
			Help: "Requests to /interactions refused before routing, by reason.",
		}, []string{"reason"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "tradeguard_inflight_interactions",
			Help: "Interactions being handled now (including deferred ones waiting for their edit).",
		}),
		redisErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tradeguard_redis_errors_total",
			Help: "Failed Redis commands, by kind of error.",
		}, []string{"kind"}),
		discordErrs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tradeguard_discord_api_errors_total",
			Help: "Failed Discord REST calls, by HTTP status and Discord error code.",
		}, []string{"status", "code"}),
	}
	m.Registry.MustRegister(m.interactions, m.latency, m.deferrals, m.rejected, m.inflight, m.redisErrors, m.discordErrs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the series in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Observe records one dispatched interaction (it implements commands.Observer).
func (m *Metrics) Observe(kind, path, outcome string, seconds float64, deferred bool) {
	if outcome == "unknown" {
		path = "other" // paths of unknown routes are not ours: keep the label set bounded
	}
	m.interactions.WithLabelValues(kind, path, outcome).Inc()
	m.latency.WithLabelValues(kind, path).Observe(seconds)
	if deferred {
		m.deferrals.WithLabelValues(kind, path).Inc()
	}
}

// reject counts a refused request.
func (m *Metrics) reject(reason string) { m.rejected.WithLabelValues(reason).Inc() }

// RedisHook returns a go-redis hook that counts failed commands by kind.
func (m *Metrics) RedisHook() redis.Hook { return redisHook{m} }

type redisHook struct{ m *Metrics }

func (h redisHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := next(ctx, network, addr)
		if err != nil {
			h.m.redisErrors.WithLabelValues("dial").Inc()
		}
		return c, err
	}
}

func (h redisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		h.count(cmd, err)
		return err
	}
}

func (h redisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, c := range cmds {
			h.count(c, c.Err())
		}
		return err
	}
}

// count records a failed command. The connection handshake (HELLO, CLIENT SETINFO) is left out: servers
// older than Redis 7.2 refuse SETINFO and go-redis carries on.
func (h redisHook) count(cmd redis.Cmder, err error) {
	if n := cmd.Name(); n == "hello" || n == "client" {
		return
	}
	if kind := RedisErrorKind(err); kind != "" {
		h.m.redisErrors.WithLabelValues(kind).Inc()
	}
}

// redisReplyKinds are the error prefixes of Redis replies that get their own label.
var redisReplyKinds = map[string]string{
	"LOADING": "loading", "CLUSTERDOWN": "clusterdown", "TRYAGAIN": "tryagain", "MASTERDOWN": "masterdown",
	"READONLY": "readonly", "OOM": "oom", "BUSY": "busy", "WRONGTYPE": "wrongtype", "NOPERM": "noperm",
	"NOAUTH": "auth", "WRONGPASS": "auth", "CROSSSLOT": "crossslot", "MOVED": "moved", "ASK": "ask",
}

// RedisErrorKind names the kind of a Redis error for the metric label: "" for no error, a missing key
// (redis.Nil) or NOSCRIPT (the normal first run of a script, retried at once with EVAL).
func RedisErrorKind(err error) string {
	var ne net.Error
	switch {
	case err == nil, errors.Is(err, redis.Nil):
		return ""
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, redis.ErrClosed):
		return "closed"
	case errors.Is(err, redis.ErrPoolTimeout):
		return "pool_timeout"
	case errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection"
	}
	var re redis.Error
	if errors.As(err, &re) {
		word, _, _ := strings.Cut(re.Error(), " ")
		if word == "NOSCRIPT" {
			return ""
		}
		if k, ok := redisReplyKinds[word]; ok {
			return k
		}
		return "reply"
	}
	return "other"
}

// DiscordTransport wraps a RoundTripper to count Discord's error answers by HTTP status and Discord
// error code (read from the JSON body, which is put back for discordgo).
func (m *Metrics) DiscordTransport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return discordTransport{m: m, next: next}
}

type discordTransport struct {
	m    *Metrics
	next http.RoundTripper
}

// maxErrorBody bounds how much of an error body is read to find Discord's error code.
const maxErrorBody = 64 << 10

func (t discordTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		t.m.discordErrs.WithLabelValues("transport", "").Inc()
		return resp, err
	}
	if resp.StatusCode < 400 {
		return resp, nil
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	code := ""
	var apiErr struct {
		Code int `json:"code"`
	}
	if rerr == nil && json.Unmarshal(body, &apiErr) == nil && apiErr.Code != 0 {
		code = strconv.Itoa(apiErr.Code)
	}
	t.m.discordErrs.WithLabelValues(strconv.Itoa(resp.StatusCode), code).Inc()
	return resp, nil
}
