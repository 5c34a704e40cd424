package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/bot"
	"github.com/tradeguard/tradeguard/state/statetest"
)

// TestPhasesAgainstTheRealEndpoint runs every phase against the real HTTP server and router on the test
// Redis: every interaction is answered inline (no failures). Figures are printed, never asserted.
func TestPhasesAgainstTheRealEndpoint(t *testing.T) {
	store := statetest.New(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	_, router, err := bot.NewRouter(store, assurance.Default(), nil, log)
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := hex.DecodeString(devSeed)
	srv := &bot.HTTPServer{
		Key: ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey), Router: router,
		Ready: store.Ping, Log: log,
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	o := options{
		url: ts.URL + "/interactions", seed: devSeed, count: 40, workers: 4, seedN: 5,
		phases: "ping,help,show,create,mix", mix: "show=6,create=2,help=1,ping=1", guild: "910000000000000001",
	}
	if u := os.Getenv("REDIS_URL"); u != "" {
		o.redisURL = u // commands per interaction (the embedded server has no INFO commandstats)
	}
	var out bytes.Buffer
	if err := run(context.Background(), o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	if strings.Contains(out.String(), "not ok") {
		t.Fatalf("some interactions were not answered inline:\n%s", out.String())
	}
	for _, phase := range []string{"ping", "help", "show", "create", "mix", "  show"} {
		found := false
		for _, line := range strings.Split(out.String(), "\n") {
			f := strings.Fields(line)
			if strings.HasPrefix(line, phase+" ") && len(f) >= 3 {
				found = true
				if f[2] != "0" {
					t.Errorf("phase %s: %s failed", phase, f[2])
				}
			}
		}
		if !found {
			t.Errorf("no line for phase %q:\n%s", phase, out.String())
		}
	}
}

func TestOnlyLoopbackTargets(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080/interactions", "http://localhost:8080/x", "http://[::1]:8080/x"} {
		if err := loopbackOnly(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
	for _, u := range []string{"http://10.0.0.5/interactions", "https://discord.com/api", "http://192.168.1.2:8080/"} {
		if err := loopbackOnly(u); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
}

func TestSumCallsLeavesOutInfo(t *testing.T) {
	info := "# Commandstats\r\ncmdstat_set:calls=3,usec=10,usec_per_call=3.33,rejected_calls=0,failed_calls=0\r\n" +
		"cmdstat_info:calls=9,usec=1\r\ncmdstat_evalsha:calls=2,usec=5\r\n"
	if got := sumCalls(info); got != 5 {
		t.Fatalf("sumCalls = %d, want 5", got)
	}
}

func TestMixWeights(t *testing.T) {
	if _, err := parseMix("show=6,create=2"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"show", "show=0", "nope=1", "show=x"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q) accepted", bad)
		}
	}
}
