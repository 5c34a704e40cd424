// Package discordfake is a local stand-in for Discord, for tests that run discordgo itself (v0.29.0, unmodified)
// against it: a REST server for the routes the bot uses and a gateway WebSocket that speaks the handshake
// discordgo's Open expects (HELLO, IDENTIFY, READY, heartbeat ACKs) and delivers dispatches such as
// INTERACTION_CREATE.
//
// A session is pointed at the fake with Attach, which replaces its HTTP client by one whose transport rewrites
// https://discord.com/... to the fake's loopback address (paths stay /api/v9/...); the gateway URL the session then
// dials is the one the fake's GET /api/v9/gateway returns.
//
// Everything the fake receives is recorded with its arrival time. Tests block on the record with Wait (or
// WaitRequests) under a context deadline; nothing needs a sleep. The fake behaves like Discord where that matters to
// a bot: an interaction is acknowledged once (a second callback gets 400 with code 40060), edits and follow-ups
// need an acknowledged interaction, bot routes need the bot token, privileged intents are refused (close 4014).
// RateLimitOnce and StallOnce make a route answer 429 or hang once.
package discordfake

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// IDs and secrets of the fake world.
const (
	AppID     = "800000000000000001" // the application, and the bot user's ID
	BotName   = "TradeGuard"
	Secret    = "fake-bot-token" // the bot token; sessions use "Bot " + Secret
	SessionID = "fake-gateway-session"
	Guild     = "800000000000000002"
	Channel   = "800000000000000003"
)

// Token is the session token the fake accepts.
const Token = "Bot " + Secret

// discordEpoch is the first millisecond of 2015, Discord's snowflake epoch.
const discordEpoch = 1420070400000

// Route names a REST route of the fake.
type Route string

// The routes the fake serves. Requests on any other route are answered 404 and fail the test at cleanup.
const (
	RouteGateway        Route = "gateway"         // GET /gateway and /gateway/bot
	RouteCallback       Route = "callback"        // POST /interactions/{id}/{token}/callback
	RouteEditMessage    Route = "edit_message"    // PATCH /webhooks/{app}/{token}/messages/{id or @original}
	RouteFollowup       Route = "followup"        // POST /webhooks/{app}/{token}
	RouteCommands       Route = "commands"        // PUT /applications/{app}[/guilds/{guild}]/commands
	RouteChannelMessage Route = "channel_message" // POST /channels/{id}/messages
	RouteUnknown        Route = "unknown"
)

// StatusClientGone is recorded for a stalled request that the client gave up on.
const StatusClientGone = 499

// Request is one REST request the fake received.
type Request struct {
	Route       Route
	Method      string
	Path        string // as received: /api/v9/...
	Query       url.Values
	Header      http.Header
	Body        []byte
	At          time.Time // arrival
	Status      int       // the fake's answer; 0 while it is being answered
	Interaction string    // interaction ID on callback and webhook routes
	MessageID   string    // message ID on RouteEditMessage ("@original" or a follow-up's ID)
	Guild       string    // on guild command routes ("" for global commands)
	Channel     string    // on channel message routes
}

// Identify is the IDENTIFY (op 2) payload a session sent.
type Identify struct {
	Token          string            `json:"token"`
	Intents        discordgo.Intent  `json:"intents"`
	Shard          *[2]int           `json:"shard"`
	Compress       bool              `json:"compress"`
	LargeThreshold int               `json:"large_threshold"`
	Properties     map[string]string `json:"properties"`
	At             time.Time         `json:"-"`
}

// Heartbeat is one op 1 a session sent; the fake answered it with op 11.
type Heartbeat struct {
	Seq *int64 // the last sequence number the session had seen (null before the first dispatch)
	At  time.Time
}

// Dispatch is one op 0 event the fake sent.
type Dispatch struct {
	Seq   int64
	Event string
	At    time.Time
}

// Close is the end of a gateway connection.
type Close struct {
	Code     int  // the close code (1000 normal, 1006 abnormal, 4004, 4014 ...)
	ByClient bool // the session closed it (otherwise the fake did)
	At       time.Time
}

// Log is everything the fake has seen, in arrival order.
type Log struct {
	Requests   []Request
	Connects   int // gateway WebSocket connections accepted
	Identifies []Identify
	Resumes    int
	Heartbeats []Heartbeat
	Dispatches []Dispatch
	Closes     []Close
}

// Answered returns the answered requests on route, for the interaction when it is not "".
func (l Log) Answered(route Route, interaction string) []Request {
	var out []Request
	for _, r := range l.Requests {
		if r.Route == route && r.Status != 0 && (interaction == "" || r.Interaction == interaction) {
			out = append(out, r)
		}
	}
	return out
}

func (l *Log) clone() Log {
	c := *l
	c.Requests = append([]Request(nil), l.Requests...)
	c.Identifies = append([]Identify(nil), l.Identifies...)
	c.Heartbeats = append([]Heartbeat(nil), l.Heartbeats...)
	c.Dispatches = append([]Dispatch(nil), l.Dispatches...)
	c.Closes = append([]Close(nil), l.Closes...)
	return c
}

// Option configures a Fake.
type Option func(*Fake)

// WithHeartbeat sets the heartbeat_interval sent in HELLO (default 100 ms). discordgo gives up on a connection
// after five intervals without an ACK, so a short interval shows that the ACKs are read.
func WithHeartbeat(d time.Duration) Option { return func(f *Fake) { f.heartbeat = d } }

// fault is a one-shot misbehaviour of a route.
type fault struct {
	retryAfter time.Duration // answer 429 with this delay
	stall      bool          // hang until the client gives up
}

// Fake is a local Discord. Create it with New; it shuts down when the test ends.
type Fake struct {
	t         testing.TB
	srv       *httptest.Server
	heartbeat time.Duration
	closing   chan struct{}
	handlers  sync.WaitGroup // gateway connections being served

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced whenever the log changes
	log          Log
	faults       map[Route][]fault
	interactions map[string]*interaction // by ID
	conn         *gatewayConn            // the current gateway connection
	conns        []*gatewayConn
	seq          int64 // the gateway session's sequence number
	nextID       int64
}

// interaction is what the fake knows about an interaction it created.
type interaction struct {
	id, token string
	typ       discordgo.InteractionType
	acked     bool
	followups map[string]bool // IDs of follow-up messages
}

// New starts a fake Discord on a loopback port. It is shut down at the end of the test, which also fails if a
// request reached a route the fake does not serve.
func New(t testing.TB, opts ...Option) *Fake {
	t.Helper()
	f := &Fake{
		t: t, heartbeat: 100 * time.Millisecond, closing: make(chan struct{}), changed: make(chan struct{}),
		faults: map[Route][]fault{}, interactions: map[string]*interaction{},
	}
	for _, o := range opts {
		o(f)
	}
	f.srv = httptest.NewServer(f.mux())
	t.Cleanup(f.close)
	return f
}

// close shuts the fake down and reports requests to routes it does not serve.
func (f *Fake) close() {
	close(f.closing)
	f.mu.Lock()
	conns := append([]*gatewayConn(nil), f.conns...)
	f.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.Close()
	}
	f.srv.Close()
	f.handlers.Wait()
	for _, r := range f.Log().Requests {
		if r.Route == RouteUnknown {
			f.t.Errorf("discordfake: request to a route Discord's fake does not serve: %s %s", r.Method, r.Path)
		}
	}
}

// Attach points a discordgo session at the fake: its HTTP client's transport sends every request for
// https://discord.com to the fake, its WebSocket dialer ignores proxy settings, and it does not reconnect on
// errors (discordgo's backoff would outlive a test).
func (f *Fake) Attach(s *discordgo.Session) {
	s.Client = f.Client()
	s.Dialer = &websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	s.ShouldReconnectOnError = false
}

// Client returns an HTTP client whose requests for https://discord.com/... reach the fake instead.
func (f *Fake) Client() *http.Client {
	u, _ := url.Parse(f.srv.URL)
	return &http.Client{Transport: &rewrite{base: f.srv.Client().Transport, host: u.Host}, Timeout: 20 * time.Second}
}

// rewrite sends requests for Discord to the fake, keeping method, path, headers and body.
type rewrite struct {
	base http.RoundTripper
	host string
}

// RoundTrip implements http.RoundTripper.
func (rw *rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != "discord.com" {
		return nil, fmt.Errorf("discordfake: request for %s, not discord.com", r.URL.Host)
	}
	c := r.Clone(r.Context())
	c.URL.Scheme, c.URL.Host, c.Host = "http", rw.host, ""
	return rw.base.RoundTrip(c)
}

// Log returns a copy of what the fake has seen so far.
func (f *Fake) Log() Log {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.log.clone()
}

// Wait blocks until cond holds for the log, or ctx ends. cond runs with the fake locked: it must only read the
// log it is given, and not keep it.
func (f *Fake) Wait(ctx context.Context, cond func(*Log) bool) error {
	for {
		f.mu.Lock()
		ok, changed := cond(&f.log), f.changed
		f.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("discordfake: still waiting: %w", context.Cause(ctx))
		}
	}
}

// WaitRequests waits until at least n requests on route (for the interaction, when not "") have been answered,
// and returns all of them.
func (f *Fake) WaitRequests(ctx context.Context, route Route, interactionID string, n int) ([]Request, error) {
	var got []Request
	err := f.Wait(ctx, func(l *Log) bool {
		got = l.Answered(route, interactionID)
		return len(got) >= n
	})
	if err != nil {
		return nil, fmt.Errorf("%d %s request(s) for %q: %w", n, route, interactionID, err)
	}
	return got, nil
}

// changedLocked wakes the waiters; f.mu must be held.
func (f *Fake) changedLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// RateLimitOnce makes the next request on route answer 429 Too Many Requests, with Retry-After,
// X-RateLimit-* headers and the JSON body {message, retry_after, global} announcing retryAfter.
func (f *Fake) RateLimitOnce(route Route, retryAfter time.Duration) {
	f.mu.Lock()
	f.faults[route] = append(f.faults[route], fault{retryAfter: retryAfter})
	f.mu.Unlock()
}

// StallOnce makes the next request on route hang until the client gives up on it (it is then recorded with
// StatusClientGone).
func (f *Fake) StallOnce(route Route) {
	f.mu.Lock()
	f.faults[route] = append(f.faults[route], fault{stall: true})
	f.mu.Unlock()
}

// takeFaultLocked pops the next fault of route; f.mu must be held.
func (f *Fake) takeFaultLocked(route Route) (fault, bool) {
	q := f.faults[route]
	if len(q) == 0 {
		return fault{}, false
	}
	f.faults[route] = q[1:]
	return q[0], true
}

// snowflakeLocked returns a new ID whose embedded time is now; f.mu must be held.
func (f *Fake) snowflakeLocked() string {
	f.nextID++
	ms := time.Now().UnixMilli() - discordEpoch
	return strconv.FormatInt(ms<<22|(f.nextID&0x3FFFFF), 10)
}
