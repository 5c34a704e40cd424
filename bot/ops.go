package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
)

// restTimeout bounds one REST call of a session (discordgo's own default).
const restTimeout = 20 * time.Second

// instrument counts the session's Discord API errors in m.
func instrument(s *discordgo.Session, m *Metrics) {
	s.Client = &http.Client{Timeout: restTimeout, Transport: m.DiscordTransport(nil)}
}

// ServeOps serves /metrics, /healthz and /readyz on addr (METRICS_ADDR) until ctx ends. It returns once
// the listener is open; wait returns when the server has stopped.
func ServeOps(ctx context.Context, addr string, h http.Handler, log *slog.Logger) (wait func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("METRICS_ADDR: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	log.Info("serving metrics and health", "addr", ln.Addr().String())
	return func() { <-done }, nil
}
