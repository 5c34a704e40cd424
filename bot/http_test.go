package bot_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/bot"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/commands/commandstest"
	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

func TestRefusesUnsignedForgedStaleAndOversized(t *testing.T) {
	t.Parallel()
	h := commandstest.New(t)
	e := newEndpoint(t, h, endpointOpts{})
	body := h.CommandJSON(h.Buyer("alice"), `/order create supplier:"Acme" total:100`)
	other := h.CommandJSON(h.Buyer("alice"), `/order create supplier:"Acme" total:999`)
	_, stranger, _ := ed25519.GenerateKey(nil)
	now := h.Now()
	at := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	ts := at(0)
	huge := append(bytes.Repeat([]byte(" "), bot.MaxBody), body...)

	cases := []struct {
		name    string
		body    []byte
		headers map[string]string
		status  int
	}{
		{"no headers", body, nil, 401},
		{"no signature", body, map[string]string{"X-Signature-Timestamp": ts}, 401},
		{"no timestamp", body, map[string]string{"X-Signature-Ed25519": sign(e.priv, ts, body)}, 401},
		{"signature not hex", body, map[string]string{"X-Signature-Ed25519": "zz" + sign(e.priv, ts, body)[2:], "X-Signature-Timestamp": ts}, 401},
		{"short signature", body, map[string]string{"X-Signature-Ed25519": sign(e.priv, ts, body)[:64], "X-Signature-Timestamp": ts}, 401},
		{"forged: another key", body, map[string]string{"X-Signature-Ed25519": sign(stranger, ts, body), "X-Signature-Timestamp": ts}, 401},
		{"signature over another body", body, map[string]string{"X-Signature-Ed25519": sign(e.priv, ts, other), "X-Signature-Timestamp": ts}, 401},
		{"signature over another timestamp", body, map[string]string{"X-Signature-Ed25519": sign(e.priv, at(-time.Second), body), "X-Signature-Timestamp": ts}, 401},
		{"timestamp not a number", body, map[string]string{"X-Signature-Ed25519": sign(e.priv, "soon", body), "X-Signature-Timestamp": "soon"}, 401},
		{"stale: replayed after 5 minutes", body, map[string]string{"X-Signature-Ed25519": sign(e.priv, at(-bot.MaxSkew-time.Second), body), "X-Signature-Timestamp": at(-bot.MaxSkew - time.Second)}, 401},
		{"far future", body, map[string]string{"X-Signature-Ed25519": sign(e.priv, at(bot.MaxSkew+time.Second), body), "X-Signature-Timestamp": at(bot.MaxSkew + time.Second)}, 401},
		{"oversized, correctly signed", huge, map[string]string{"X-Signature-Ed25519": sign(e.priv, ts, huge), "X-Signature-Timestamp": ts}, 413},
	}
	for _, c := range cases {
		resp := e.send(c.body, c.headers)
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.status)
		}
	}

	// A body over the limit without a Content-Length (chunked) is cut off while reading.
	req, _ := http.NewRequest(http.MethodPost, e.url+"/interactions", io.MultiReader(bytes.NewReader(huge)))
	req.Header.Set("X-Signature-Ed25519", sign(e.priv, ts, huge))
	req.Header.Set("X-Signature-Timestamp", ts)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("chunked oversized body: status %d, want 413", resp.StatusCode)
	}

	// Nothing reached the router: no order was written.
	if _, err := h.Store.GetOrder(context.Background(), commandstest.Guild, 1); !state.IsNotFound(err) {
		t.Fatalf("a refused request created an order (err %v)", err)
	}
	// The same body, correctly signed, is accepted: the refusals above were for the reasons tested.
	if r := answer(t, e.post(body)); !strings.Contains(r.Msg.Text(), "#1") {
		t.Fatalf("signed create answered %q", r.Msg.Text())
	}
	_, metrics := e.get("/metrics")
	for _, want := range []string{
		`tradeguard_http_rejected_total{reason="bad_headers"} 6`,
		`tradeguard_http_rejected_total{reason="signature"} 3`,
		`tradeguard_http_rejected_total{reason="stale"} 2`,
		`tradeguard_http_rejected_total{reason="too_large"} 2`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestPingIsAnsweredWithPong(t *testing.T) {
	t.Parallel()
	h := commandstest.New(t)
	e := newEndpoint(t, h, endpointOpts{})
	resp := e.post([]byte(`{"id":"1","application_id":"700000000000000000","type":1,"token":"t","version":1}`))
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || string(b) != `{"type":1}` {
		t.Fatalf("PING answered %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
}

func TestSignedGarbageIsABadRequest(t *testing.T) {
	t.Parallel()
	h := commandstest.New(t)
	e := newEndpoint(t, h, endpointOpts{})
	if resp := e.post([]byte(`{"type":`)); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("signed broken JSON: status %d, want 400", resp.StatusCode)
	}
}

func TestCommandsAreAnsweredInline(t *testing.T) {
	t.Parallel()
	h := commandstest.New(t)
	e := newEndpoint(t, h, endpointOpts{})
	alice := h.Buyer("alice")

	r := answer(t, e.post(h.CommandJSON(alice, `/order create supplier:"Acme Textiles" total:1250.50 currency:USD ship-date:2026-12-20`)))
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource || !strings.Contains(r.Msg.Text(), "Order #1 created") {
		t.Fatalf("create answered %d %q", r.Type, r.Msg.Text())
	}
	r = answer(t, e.post(h.CommandJSON(alice, `/order show order:1`)))
	if !strings.Contains(r.Msg.Text(), "Acme Textiles") || !strings.Contains(r.Msg.Text(), "1,250.50") {
		t.Fatalf("show answered %q", r.Msg.Text())
	}
	r = answer(t, e.post(h.CommandJSON(alice, `/help`)))
	if !strings.Contains(r.Msg.Text(), "/order create") {
		t.Fatalf("help answered %q", r.Msg.Text())
	}
	select {
	case c := <-e.rest.calls:
		t.Fatalf("an inline answer also called Discord's REST API: %+v", c)
	default:
	}
}

// slowRoute is a command whose handler waits for release, so the test decides when it finishes.
func slowRoute(started chan<- struct{}, release <-chan struct{}) commands.Route {
	return commands.Route{
		Type: discordgo.InteractionApplicationCommand, Path: "slow",
		Handle: func(ctx context.Context, _ *commands.Request) (*discordgo.InteractionResponse, error) {
			close(started)
			<-release
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "slow answer"}}, nil
		},
	}
}

func slowCommand(h *commandstest.Harness) []byte {
	return h.InteractionJSON(h.Buyer("alice"), discordgo.InteractionApplicationCommand,
		map[string]any{"id": "1", "name": "slow", "type": 1}, nil)
}

// deferSlow posts the slow command with the deferral timer already fired and checks that the deferral is
// the HTTP response while the handler still runs.
func deferSlow(t *testing.T, e *endpoint, started <-chan struct{}) {
	t.Helper()
	r := answer(t, e.post(slowCommand(e.h)))
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || !r.Msg.Ephemeral() {
		t.Fatalf("slow command answered type %d flags %d, want an ephemeral deferral", r.Type, r.Msg.Flags)
	}
	recv(t, started, "the handler to start")
}

func expired() <-chan time.Time {
	fire := make(chan time.Time)
	close(fire) // the response budget is already spent
	return fire
}

func TestSlowCommandIsDeferredThenEditedThroughREST(t *testing.T) {
	t.Parallel()
	h := commandstest.New(t)
	started, release := make(chan struct{}), make(chan struct{})
	e := newEndpoint(t, h, endpointOpts{fire: expired(), routes: []commands.Route{slowRoute(started, release)}})

	deferSlow(t, e, started) // returns while the handler is still blocked
	close(release)
	c := recv(t, e.rest.calls, "the edit of the original response")
	if c.Method != http.MethodPatch || c.Path != "/api/v9/webhooks/700000000000000000/test-token/messages/@original" || c.Body["content"] != "slow answer" {
		t.Fatalf("REST call = %+v, want PATCH of @original with the answer", c)
	}
	e.shutdown() // the router records the dispatch after the edit returned: wait for it
	metrics := e.scrape()
	if !strings.Contains(metrics, `tradeguard_deferrals_total{command="slow",type="command"} 1`) {
		t.Errorf("/metrics lacks the deferral:\n%s", grep(metrics, "tradeguard_"))
	}
}

func TestShutdownFinishesDeferredEdit(t *testing.T) {
	t.Parallel()
	h := commandstest.New(t)
	started, release := make(chan struct{}), make(chan struct{})
	e := newEndpoint(t, h, endpointOpts{fire: expired(), routes: []commands.Route{slowRoute(started, release)}, ops: true})
	deferSlow(t, e, started)
	if code, _ := e.fetch(e.ops + "/readyz"); code != 200 {
		t.Fatalf("/readyz on METRICS_ADDR = %d before shutdown", code)
	}

	e.stop() // SIGTERM
	recv(t, e.drained, "the shutdown to begin")
	if code, _ := e.fetch(e.ops + "/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz on METRICS_ADDR = %d while draining, want 503", code)
	}
	if conn, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://")); err == nil {
		_ = conn.Close()
		t.Fatal("the server still accepts connections while draining")
	}
	select {
	case err := <-e.served:
		t.Fatalf("Serve returned (%v) before the deferred edit was sent", err)
	default:
	}
	close(release)
	e.shutdown()
	select {
	case c := <-e.rest.calls:
		if c.Method != http.MethodPatch || c.Body["content"] != "slow answer" {
			t.Fatalf("REST call = %+v", c)
		}
	default:
		t.Fatal("Serve returned without sending the deferred edit")
	}
}

func TestShutdownAbandonsWorkPastTheDrainTime(t *testing.T) {
	t.Parallel()
	h := commandstest.New(t)
	started, cancelled := make(chan struct{}), make(chan struct{})
	stuck := commands.Route{
		Type: discordgo.InteractionApplicationCommand, Path: "slow",
		Handle: func(ctx context.Context, _ *commands.Request) (*discordgo.InteractionResponse, error) {
			close(started)
			<-ctx.Done() // never finishes by itself
			close(cancelled)
			return nil, ctx.Err()
		},
	}
	e := newEndpoint(t, h, endpointOpts{fire: expired(), routes: []commands.Route{stuck}, drain: time.Nanosecond})
	deferSlow(t, e, started)
	e.shutdown() // returns although the handler is still running
	recv(t, cancelled, "the abandoned handler's context to be cancelled")
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	t.Parallel()
	h := commandstest.New(t)
	e := newEndpoint(t, h, endpointOpts{})
	if code, _ := e.get("/healthz"); code != 200 {
		t.Fatalf("/healthz = %d", code)
	}
	if code, _ := e.get("/readyz"); code != 200 {
		t.Fatalf("/readyz = %d with Redis up", code)
	}
	answer(t, e.post(h.CommandJSON(h.Buyer("alice"), `/order create supplier:"Acme" total:10`)))
	answer(t, e.post(h.CommandJSON(h.Buyer("alice"), `/order show order:7`)))
	answer(t, e.post([]byte(`{"id":"1","type":1}`)))
	code, metrics := e.get("/metrics")
	if code != 200 || !strings.Contains(metrics, `tradeguard_interactions_total{command="",outcome="ok",type="ping"} 1`) {
		t.Fatalf("/metrics = %d:\n%s", code, grep(metrics, "tradeguard_"))
	}
	// The router records a dispatch after its answer was written: read the totals once the server drained.
	e.shutdown()
	metrics = e.scrape()
	for _, want := range []string{
		`tradeguard_interactions_total{command="order create",outcome="ok",type="command"} 1`,
		`tradeguard_interactions_total{command="order show",outcome="user_error",type="command"} 1`,
		`tradeguard_handler_duration_seconds_count{command="order create",type="command"} 1`,
		`tradeguard_inflight_interactions 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, grep(metrics, "tradeguard_"))
		}
	}

	// With METRICS_ADDR, /metrics moves to the separate listener.
	sep := newEndpoint(t, h, endpointOpts{ops: true})
	if code, _ := sep.get("/metrics"); code != http.StatusNotFound {
		t.Fatalf("/metrics on HTTP_ADDR = %d with METRICS_ADDR set, want 404", code)
	}
	if code, body := sep.fetch(sep.ops + "/metrics"); code != 200 || !strings.Contains(body, "tradeguard_inflight_interactions") {
		t.Fatalf("/metrics on METRICS_ADDR = %d", code)
	}

	// Another replica whose Redis is down is alive but not ready.
	rdb := statetest.Client(t)
	_ = rdb.Close()
	down := newEndpoint(t, h, endpointOpts{store: state.New(rdb, "down")})
	if code, _ := down.get("/healthz"); code != 200 {
		t.Fatalf("/healthz = %d with Redis down, want 200 (the process is up)", code)
	}
	if code, body := down.get("/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz = %d %q with Redis down, want 503", code, body)
	}
	// And it tells members that nothing was changed.
	r := answer(t, down.post(h.CommandJSON(h.Buyer("alice"), `/order create supplier:"Acme" total:10`)))
	if !strings.Contains(r.Msg.Text(), "temporarily unavailable") || !r.Msg.Ephemeral() {
		t.Fatalf("create with Redis down answered %q", r.Msg.Text())
	}
}

// grep returns the lines of s that contain sub.
func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
