package bot

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands"
)

// Limits of the HTTP interactions endpoint.
const (
	// MaxBody is the largest interaction body accepted (413 beyond).
	MaxBody = 64 << 10
	// MaxSkew is how far X-Signature-Timestamp may be from our clock, in the past or the future.
	MaxSkew = 5 * time.Minute
	// TokenLife bounds the work of one interaction: its token allows edits and follow-ups for 15 minutes.
	TokenLife = 15 * time.Minute
	// DrainTimeout is how long a shutdown waits for in-flight work, deferred edits included.
	DrainTimeout = 10 * time.Second
)

// HTTPServer serves Discord's HTTP interactions endpoint plus /healthz, /readyz and /metrics.
// The first answer to an interaction is the HTTP response; after a deferral the handler keeps running
// in the background and its edit goes out through Discord's REST API with Session (never opened).
type HTTPServer struct {
	Key     ed25519.PublicKey
	Router  *commands.Router
	Session *discordgo.Session
	Ready   func(context.Context) error // Redis answers (store.Ping)
	Metrics *Metrics                    // nil: no metrics
	Log     *slog.Logger
	Now     func() time.Time // nil: time.Now
	// MetricsElsewhere leaves /metrics off this server (it is served on METRICS_ADDR instead).
	MetricsElsewhere bool
	// Drain overrides DrainTimeout.
	Drain time.Duration
	// OnDrain, when set, is called once a shutdown has begun and the listener no longer accepts.
	OnDrain func()

	once     sync.Once
	work     context.Context // parent of background work; cancelled when the drain time is up
	stop     context.CancelFunc
	inflight sync.WaitGroup
	draining atomic.Bool
}

func (s *HTTPServer) init() {
	s.once.Do(func() {
		s.work, s.stop = context.WithCancel(context.Background())
		if s.Now == nil {
			s.Now = time.Now
		}
		if s.Drain == 0 {
			s.Drain = DrainTimeout
		}
	})
}

// Handler returns the server's routes.
func (s *HTTPServer) Handler() http.Handler {
	s.init()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /interactions", s.interactions)
	s.health(mux)
	if s.Metrics != nil && !s.MetricsElsewhere {
		mux.Handle("GET /metrics", s.Metrics.Handler())
	}
	return mux
}

// health adds /healthz and /readyz to mux.
func (s *HTTPServer) health(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { plain(w, http.StatusOK, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if s.draining.Load() {
			plain(w, http.StatusServiceUnavailable, "draining")
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			s.Log.Warn("not ready", "err", err)
			plain(w, http.StatusServiceUnavailable, "redis unavailable")
			return
		}
		plain(w, http.StatusOK, "ready")
	})
}

// OpsHandler serves /metrics, /healthz and /readyz alone (on METRICS_ADDR); /readyz turns 503 when this
// server starts draining.
func (s *HTTPServer) OpsHandler() http.Handler {
	mux := http.NewServeMux()
	s.health(mux)
	if s.Metrics != nil {
		mux.Handle("GET /metrics", s.Metrics.Handler())
	}
	return mux
}

// OpsHandler serves /metrics, /healthz and /readyz for a process without an interactions endpoint (gateway).
func OpsHandler(m *Metrics, ready func(context.Context) error, log *slog.Logger) http.Handler {
	return (&HTTPServer{Ready: ready, Metrics: m, Log: log}).OpsHandler()
}

// Serve answers on ln until ctx ends, then shuts down gracefully: it stops accepting, lets requests in
// progress finish and waits for background work (deferred edits) for up to the drain time, after which
// that work's context is cancelled.
func (s *HTTPServer) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
	}
	if s.OnDrain != nil {
		srv.RegisterOnShutdown(s.OnDrain)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		s.stop()
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	return s.shutdown(srv)
}

// shutdown stops accepting, then waits for requests and background work until the drain time is up;
// work still running then is cancelled and abandoned (the process is about to exit).
func (s *HTTPServer) shutdown(srv *http.Server) error {
	s.draining.Store(true)
	s.Log.Info("shutting down: finishing in-flight interactions", "timeout", s.Drain)
	drain, cancel := context.WithTimeout(context.Background(), s.Drain)
	defer cancel()
	defer s.stop()
	if err := srv.Shutdown(drain); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shut down http: %w", err)
	}
	idle := make(chan struct{})
	go func() { s.inflight.Wait(); close(idle) }()
	select {
	case <-idle:
	case <-drain.Done():
		s.Log.Warn("drain time is up: abandoning interactions still running")
	}
	return nil
}

// interactions is POST /interactions.
func (s *HTTPServer) interactions(w http.ResponseWriter, r *http.Request) {
	body, refusal := s.verify(w, r)
	if refusal != nil {
		s.reject(refusal.reason) // counted before answering, so a client that saw the answer sees the count
		plain(w, refusal.status, refusal.text)
		return
	}
	in := &discordgo.Interaction{}
	if err := json.Unmarshal(body, in); err != nil {
		s.reject("bad_json")
		plain(w, http.StatusBadRequest, "bad interaction JSON")
		return
	}
	if in.Type == discordgo.InteractionPing {
		if s.Metrics != nil {
			s.Metrics.Observe("ping", "", "ok", 0, false)
		}
		_ = writeJSON(w, []byte(`{"type":1}`))
		return
	}
	s.dispatch(w, r, in)
}

// refusal is why a request is refused before routing.
type refusal struct {
	status int
	reason string // metric label
	text   string
}

var (
	badSignature = &refusal{http.StatusUnauthorized, "signature", "invalid request signature"}
	badHeaders   = &refusal{http.StatusUnauthorized, "bad_headers", "invalid request signature"}
	stale        = &refusal{http.StatusUnauthorized, "stale", "stale request timestamp"}
	tooLarge     = &refusal{http.StatusRequestEntityTooLarge, "too_large", "request body too large"}
	unreadable   = &refusal{http.StatusBadRequest, "read", "could not read the request body"}
)

// verify checks the headers, the timestamp, the body size and the signature, and returns the body or
// the refusal.
func (s *HTTPServer) verify(w http.ResponseWriter, r *http.Request) ([]byte, *refusal) {
	sigHex, ts := r.Header.Get("X-Signature-Ed25519"), r.Header.Get("X-Signature-Timestamp")
	sig, err := hex.DecodeString(sigHex)
	if sigHex == "" || ts == "" || err != nil || len(sig) != ed25519.SignatureSize {
		return nil, badHeaders
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return nil, badHeaders
	}
	if d := s.Now().Sub(time.Unix(sec, 0)); d > MaxSkew || d < -MaxSkew {
		return nil, stale
	}
	if r.ContentLength > MaxBody {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, tooLarge
	}
	if err != nil {
		return nil, unreadable
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if len(s.Key) != ed25519.PublicKeySize || !ed25519.Verify(s.Key, msg, sig) {
		return nil, badSignature
	}
	return body, nil
}

func (s *HTTPServer) reject(reason string) {
	if s.Metrics != nil {
		s.Metrics.reject(reason)
	}
}

// dispatch runs the router in the background and writes its first answer as the HTTP response as soon
// as the router sends it. The router's work goes on after the response (a deferred edit), detached from
// the request but bounded by the token's life and by the shutdown drain.
func (s *HTTPServer) dispatch(w http.ResponseWriter, r *http.Request, in *discordgo.Interaction) {
	resp := &inlineResponder{
		rest:  &RESTResponder{Session: s.Session, In: in},
		first: make(chan inlineAnswer),
		gone:  make(chan struct{}),
	}
	defer close(resp.gone)
	done := make(chan error, 1)
	s.inflight.Add(1)
	if s.Metrics != nil {
		s.Metrics.inflight.Inc()
	}
	go func() {
		defer s.inflight.Done()
		if s.Metrics != nil {
			defer s.Metrics.inflight.Dec()
		}
		ctx, cancel := context.WithTimeout(s.work, TokenLife)
		defer cancel()
		err := s.Router.Dispatch(ctx, in, resp)
		if err != nil {
			s.Log.Error("answer interaction", "interaction", in.ID, "err", err)
		}
		done <- err
	}()
	select {
	case a := <-resp.first:
		a.written <- writeJSON(w, a.body)
	case err := <-done:
		// The router finished without an initial response: a duplicate delivery (the first delivery
		// answers it), or an answer that could not be built.
		if err != nil {
			plain(w, http.StatusInternalServerError, "interaction failed")
			return
		}
		plain(w, http.StatusConflict, "duplicate interaction")
	case <-r.Context().Done():
		s.Log.Warn("client went away before the answer", "interaction", in.ID)
	}
}

// inlineAnswer is the initial response handed from the router to the HTTP goroutine.
type inlineAnswer struct {
	body    []byte
	written chan error
}

// inlineResponder writes the initial response as the HTTP response; edits and follow-ups go through REST.
type inlineResponder struct {
	rest  *RESTResponder
	first chan inlineAnswer
	gone  chan struct{} // closed when the HTTP request has been answered or abandoned
	used  atomic.Bool
}

var errAnswered = errors.New("the HTTP request was already answered or abandoned")

// Respond hands the response to the HTTP goroutine and waits until it was written.
func (r *inlineResponder) Respond(ctx context.Context, resp *discordgo.InteractionResponse) error {
	if !r.used.CompareAndSwap(false, true) {
		return fmt.Errorf("respond to interaction %s: second initial response", r.rest.In.ID)
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return fmt.Errorf("encode response to interaction %s: %w", r.rest.In.ID, err)
	}
	a := inlineAnswer{body: b, written: make(chan error, 1)}
	select {
	case r.first <- a:
	case <-r.gone:
		return fmt.Errorf("respond to interaction %s: %w", r.rest.In.ID, errAnswered)
	case <-ctx.Done():
		return fmt.Errorf("respond to interaction %s: %w", r.rest.In.ID, ctx.Err())
	}
	if err := <-a.written; err != nil {
		return fmt.Errorf("write response to interaction %s: %w", r.rest.In.ID, err)
	}
	return nil
}

// Edit replaces the original response through REST.
func (r *inlineResponder) Edit(ctx context.Context, e *discordgo.WebhookEdit) error {
	return r.rest.Edit(ctx, e)
}

// Followup sends a follow-up message through REST.
func (r *inlineResponder) Followup(ctx context.Context, m *discordgo.WebhookParams) error {
	return r.rest.Followup(ctx, m)
}

func writeJSON(w http.ResponseWriter, body []byte) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(body); err != nil {
		return err
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	return nil
}

func plain(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text+"\n")
}
