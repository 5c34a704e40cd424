// Command loadgen measures TradeGuard's HTTP interactions endpoint: it sends pre-signed interactions at a
// fixed rate (or as fast as possible) from N workers, phase by phase (PING alone gives the floor: signature
// check plus HTTP), and prints throughput, latency percentiles, errors and the Redis commands per
// interaction (from INFO commandstats before and after each phase).
//
// It only targets loopback addresses. Start the server with the public key loadgen prints:
//
//	DISCORD_PUBLIC_KEY=$(go run ./tools/loadgen -print-key) REDIS_URL=redis://127.0.0.1:6379/0 \
//	  HTTP_ADDR=127.0.0.1:8080 go run . http &
//	go run ./tools/loadgen -redis redis://127.0.0.1:6379/0 -rate 1000 -duration 10s -phases ping,show,create,mix
package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// devSeed is the default signing seed: a well-known key for local benchmarks only.
const devSeed = "74726164656775617264206c6f616467656e206465762073656564206b657921"

type options struct {
	url      string
	seed     string
	redisURL string
	rate     float64
	duration time.Duration
	count    int
	workers  int
	phases   string
	mix      string
	seedN    int
	guild    string
	printKey bool
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "http://127.0.0.1:8080/interactions", "the endpoint (loopback only)")
	flag.StringVar(&o.seed, "seed", devSeed, "hex Ed25519 seed (32 bytes) that signs the requests")
	flag.StringVar(&o.redisURL, "redis", "", "redis:// URL of the server's Redis, for commands per interaction (single node)")
	flag.Float64Var(&o.rate, "rate", 0, "interactions per second per phase; 0 sends as fast as the workers can")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of each phase at a fixed -rate (at most 4m: signatures must stay fresh)")
	flag.IntVar(&o.count, "n", 0, "interactions per phase (default: rate x duration, or 20000 with -rate 0)")
	flag.IntVar(&o.workers, "workers", 16, "concurrent connections")
	flag.StringVar(&o.phases, "phases", "ping,show,create,mix", "phases to run in order: "+strings.Join(kindNames(), ", ")+", mix")
	flag.StringVar(&o.mix, "mix", "show=6,create=2,help=1,ping=1", "weights of the mix phase")
	flag.IntVar(&o.seedN, "orders", 100, "orders created before the phases, for show (at least 1)")
	flag.StringVar(&o.guild, "guild", "910000000000000001", "server (guild) ID the interactions come from")
	flag.BoolVar(&o.printKey, "print-key", false, "print the public key for DISCORD_PUBLIC_KEY and exit")
	flag.Parse()
	if err := run(context.Background(), o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, out io.Writer) error {
	seed, err := hex.DecodeString(o.seed)
	if err != nil || len(seed) != ed25519.SeedSize {
		return errors.New("-seed must be 64 hex characters")
	}
	key := ed25519.NewKeyFromSeed(seed)
	if o.printKey {
		fmt.Fprintln(out, hex.EncodeToString(key.Public().(ed25519.PublicKey)))
		return nil
	}
	if err := loopbackOnly(o.url); err != nil {
		return err
	}
	if o.duration > 4*time.Minute {
		return errors.New("-duration is at most 4m: the server refuses signatures older than 5 minutes")
	}
	if o.workers < 1 {
		return errors.New("-workers must be at least 1")
	}
	var rdb *redis.Client
	if o.redisURL != "" {
		opt, err := redis.ParseURL(o.redisURL)
		if err != nil {
			return fmt.Errorf("-redis: %w", err)
		}
		rdb = redis.NewClient(opt)
		defer rdb.Close()
	}
	mix, err := parseMix(o.mix)
	if err != nil {
		return err
	}
	g := &generator{key: key, guild: o.guild, orders: o.seedN}
	c := newClient(o.url, o.workers)

	if o.seedN < 1 {
		return errors.New("-orders must be at least 1")
	}
	{
		res := c.run(ctx, g.bodies(kindByName("create"), nil, o.seedN, time.Now()), 0)
		if res.failed() > 0 {
			return fmt.Errorf("creating %d orders for show failed: %s", o.seedN, res.errorSummary())
		}
	}
	fmt.Fprintf(out, "endpoint %s, %d workers, rate %s, phase %s\n", o.url, o.workers, rateText(o.rate), phaseText(o))
	printHeader(out)
	for _, name := range strings.Split(o.phases, ",") {
		name = strings.TrimSpace(name)
		var weights []weight
		kind := kindByName(name)
		switch {
		case name == "mix":
			weights = mix
		case kind == nil:
			return fmt.Errorf("unknown phase %q", name)
		}
		n := o.count
		if n == 0 && o.rate > 0 {
			n = int(o.rate * o.duration.Seconds())
		}
		if n == 0 {
			n = 20000
		}
		bodies := g.bodies(kind, weights, n, time.Now())
		before, err := commandCalls(ctx, rdb)
		if err != nil {
			return err
		}
		res := c.run(ctx, bodies, o.rate)
		after, err := commandCalls(ctx, rdb)
		if err != nil {
			return err
		}
		if rdb != nil {
			res.redisCalls = after - before
		}
		res.print(out, name, rdb != nil)
	}
	return nil
}

func rateText(r float64) string {
	if r == 0 {
		return "max"
	}
	return fmt.Sprintf("%.0f/s", r)
}

func phaseText(o options) string {
	switch {
	case o.count > 0:
		return fmt.Sprintf("%d interactions", o.count)
	case o.rate > 0:
		return o.duration.String()
	}
	return "20000 interactions"
}

// loopbackOnly refuses any target that is not this machine.
func loopbackOnly(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("-url: %w", err)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-url: %s is not a loopback address; loadgen only targets this machine", host)
}

// commandCalls sums the calls of every command in INFO commandstats, less INFO itself (0 without Redis).
func commandCalls(ctx context.Context, rdb *redis.Client) (int64, error) {
	if rdb == nil {
		return 0, nil
	}
	info, err := rdb.Info(ctx, "commandstats").Result()
	if err != nil {
		return 0, fmt.Errorf("INFO commandstats: %w", err)
	}
	return sumCalls(info), nil
}

// sumCalls adds up calls=N of each cmdstat_ line, leaving out the INFO commands loadgen sends.
func sumCalls(info string) int64 {
	var total int64
	for _, line := range strings.Split(info, "\n") {
		name, stats, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || !strings.HasPrefix(name, "cmdstat_") || name == "cmdstat_info" {
			continue
		}
		for _, f := range strings.Split(stats, ",") {
			var n int64
			if _, err := fmt.Sscanf(f, "calls=%d", &n); err == nil {
				total += n
			}
		}
	}
	return total
}

func newClient(endpoint string, workers int) *client {
	tr := &http.Transport{MaxIdleConns: workers, MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers, IdleConnTimeout: time.Minute}
	return &client{url: endpoint, http: &http.Client{Transport: tr, Timeout: 10 * time.Second}, workers: workers}
}
