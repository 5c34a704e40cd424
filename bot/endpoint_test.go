package bot_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/bot"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/commands/commandstest"
	"github.com/tradeguard/tradeguard/state"
)

// guard bounds a wait on a channel so that a broken test fails instead of hanging; it never paces a test.
const guard = 10 * time.Second

func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(guard):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// restCall is one request that reached the fake Discord REST API.
type restCall struct {
	Method, Path string
	Body         map[string]any
}

// fakeREST stands in for Discord's webhook routes (edit original, follow-up); every call is recorded.
type fakeREST struct {
	srv   *httptest.Server
	calls chan restCall
}

func newFakeREST(t *testing.T) *fakeREST {
	f := &fakeREST{calls: make(chan restCall, 16)}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := restCall{Method: r.Method, Path: r.URL.Path}
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &c.Body)
		f.calls <- c
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"800000000000000001","channel_id":"700000000000000004","content":""}`)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// rewrite sends every request of a discordgo session to the fake, keeping the /api/v9/... path.
type rewrite struct{ to *url.URL }

func (rw rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = rw.to.Scheme, rw.to.Host
	return http.DefaultTransport.RoundTrip(r)
}

// session is a discordgo session (never opened) whose REST calls reach the fake, counted by m.
func (f *fakeREST) session(t *testing.T, m *bot.Metrics) *discordgo.Session {
	s, err := discordgo.New("")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(f.srv.URL)
	s.Client = &http.Client{Transport: m.DiscordTransport(rewrite{u})}
	return s
}

// endpoint is a running `tradeguard http` server on a loopback port, with its keys and fakes.
type endpoint struct {
	t       *testing.T
	h       *commandstest.Harness
	priv    ed25519.PrivateKey
	url     string
	ops     string // base URL of the METRICS_ADDR listener, when opts.ops
	rest    *fakeREST
	metrics *bot.Metrics
	srv     *bot.HTTPServer
	drained chan struct{}
	stop    context.CancelFunc
	served  chan error
}

// endpointOpts adjusts a test endpoint.
type endpointOpts struct {
	store  *state.Store                // default h.Store
	fire   <-chan time.Time            // the deferral timer; default: never fires
	routes []commands.Route            // extra routes beside the bot's own
	ready  func(context.Context) error // default store.Ping
	priv   ed25519.PrivateKey          // default: a fresh key
	ops    bool                        // metrics on a separate listener (METRICS_ADDR)
	drain  time.Duration               // default bot.DrainTimeout
}

func newEndpoint(t *testing.T, h *commandstest.Harness, o endpointOpts) *endpoint {
	t.Helper()
	if o.store == nil {
		o.store = h.Store
	}
	if o.fire == nil {
		o.fire = make(chan time.Time)
	}
	if o.ready == nil {
		o.ready = o.store.Ping
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.priv != nil {
		priv, pub = o.priv, o.priv.Public().(ed25519.PublicKey)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := bot.NewMetrics()
	app := &commands.App{Store: o.store, Policy: h.Policy, Cat: h.App.Cat, Announce: h, Log: log}
	router, err := commands.NewRouter(h.App.Cat, log, append(app.Routes(), o.routes...),
		commands.WithDeduper(o.store), commands.WithClock(h.Now), commands.WithObserver(m),
		commands.WithTimer(func(time.Duration) <-chan time.Time { return o.fire }))
	if err != nil {
		t.Fatal(err)
	}
	e := &endpoint{t: t, h: h, priv: priv, rest: newFakeREST(t), metrics: m, drained: make(chan struct{}), served: make(chan error, 1)}
	e.srv = &bot.HTTPServer{
		Key: pub, Router: router, Session: e.rest.session(t, m), Ready: o.ready, Metrics: m, Log: log, Now: h.Now,
		OnDrain: func() { close(e.drained) }, MetricsElsewhere: o.ops, Drain: o.drain,
	}
	if o.ops {
		ops := httptest.NewServer(e.srv.OpsHandler())
		t.Cleanup(ops.Close)
		e.ops = ops.URL
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.url = "http://" + ln.Addr().String()
	ctx, stop := context.WithCancel(context.Background())
	e.stop = stop
	go func() { e.served <- e.srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := recv(t, e.served, "server shutdown"); err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return e
}

// shutdown stops the server as SIGTERM does and waits until it has drained.
func (e *endpoint) shutdown() {
	e.t.Helper()
	e.stop()
	if err := recv(e.t, e.served, "Serve to return"); err != nil {
		e.t.Fatalf("serve: %v", err)
	}
	e.served <- nil // for the cleanup
}

// scrape reads the metrics without going through the (maybe stopped) server.
func (e *endpoint) scrape() string {
	rec := httptest.NewRecorder()
	e.metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

// sign returns the hex Ed25519 signature Discord would send for ts and body.
func sign(priv ed25519.PrivateKey, ts string, body []byte) string {
	return hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...)))
}

// now is the endpoint's clock as an X-Signature-Timestamp.
func (e *endpoint) now() string { return strconv.FormatInt(e.h.Now().Unix(), 10) }

// post sends a correctly signed interaction.
func (e *endpoint) post(body []byte) *http.Response {
	e.t.Helper()
	ts := e.now()
	return e.send(body, map[string]string{"X-Signature-Ed25519": sign(e.priv, ts, body), "X-Signature-Timestamp": ts})
}

// send posts body to /interactions with exactly the given headers.
func (e *endpoint) send(body []byte, headers map[string]string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+"/interactions", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// get fetches a path of the server.
func (e *endpoint) get(path string) (int, string) {
	e.t.Helper()
	return e.fetch(e.url + path)
}

func (e *endpoint) fetch(url string) (int, string) {
	e.t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// reply is an inline answer: its callback type and the message a member would see.
type reply struct {
	Type discordgo.InteractionResponseType
	Msg  commandstest.Message
}

// answer decodes a 200 interaction response (components too, through discordgo's Message decoder),
// failing the test on any other status or a limit violation.
func answer(t *testing.T, resp *http.Response) reply {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d (%s), want 200", resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json", ct)
	}
	var out struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data *discordgo.Message                `json:"data"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("decode answer %s: %v", b, err)
	}
	r := reply{Type: out.Type}
	if d := out.Data; d != nil {
		r.Msg = commandstest.Message{Content: d.Content, Embeds: d.Embeds, Components: d.Components, Flags: d.Flags}
		if err := commands.ValidateMessage(d.Content, d.Embeds, d.Components); err != nil {
			t.Fatalf("answer breaks Discord's limits: %v", err)
		}
	}
	return r
}
