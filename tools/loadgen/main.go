// Command loadgen drives TradeGuard's HTTP interactions endpoint with signed interactions and reports
// throughput, latency percentiles, errors and Redis commands per interaction.
//
//	go run ./tools/loadgen -keygen                       # prints a key pair; start the server with the public key
//	DISCORD_PUBLIC_KEY=<public> REDIS_URL=redis://127.0.0.1:6379/0 go run . http &
//	go run ./tools/loadgen -seed <seed> -mix show -rate 1000 -duration 10s
//
// Every run measures the PING floor (signature check plus HTTP) first, then the chosen mix.
// Interactions are signed just ahead of sending (by a producer running at most 0.5 s ahead), so their
// snowflake times are fresh and the server's deadline budget is not spent before they arrive.
package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
}

type options struct {
	url      string
	seed     string
	mix      string
	rate     int
	duration time.Duration
	workers  int
	redisURL string
	warmup   int
	noPing   bool
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var o options
	var keygen bool
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.BoolVar(&keygen, "keygen", false, "print a new key pair (seed and public key) and exit")
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8080/interactions", "the interactions endpoint")
	fs.StringVar(&o.seed, "seed", os.Getenv("LOADGEN_SEED"), "hex Ed25519 seed whose public key the server trusts")
	fs.StringVar(&o.mix, "mix", "show", "weighted commands: ping, help, show, create, quick (e.g. show=4,create=1)")
	fs.IntVar(&o.rate, "rate", 0, "interactions per second; 0 = as fast as the workers go")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of each phase")
	fs.IntVar(&o.workers, "workers", 16, "concurrent connections")
	fs.StringVar(&o.redisURL, "redis", os.Getenv("REDIS_URL"), "Redis the server uses, for INFO commandstats (empty: skip)")
	fs.IntVar(&o.warmup, "warmup", 100, "orders created before the run (targets of show)")
	fs.BoolVar(&o.noPing, "no-ping", false, "skip the PING floor phase")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if keygen {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "seed:       %s\npublic key: %s\n", hex.EncodeToString(priv.Seed()), hex.EncodeToString(pub))
		return nil
	}
	seed, err := hex.DecodeString(o.seed)
	if err != nil || len(seed) != ed25519.SeedSize {
		return errors.New("-seed must be the 64-character hex seed printed by -keygen")
	}
	mix, err := parseMix(o.mix)
	if err != nil {
		return err
	}
	if o.duration <= 0 || o.workers < 1 || o.rate < 0 {
		return errors.New("-duration and -workers must be positive, -rate not negative")
	}
	g := newGenerator(ed25519.NewKeyFromSeed(seed), max(o.warmup, 1))
	c := &client{url: o.url, http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.workers * 2}, Timeout: 10 * time.Second}}

	var rdb *redis.Client
	if o.redisURL != "" {
		opt, err := redis.ParseURL(o.redisURL)
		if err != nil {
			return fmt.Errorf("-redis: %w", err)
		}
		rdb = redis.NewClient(opt)
		defer rdb.Close()
	}
	if weight(mix, "show") > 0 {
		for i := 0; i < o.warmup; i++ {
			if _, err := c.send(ctx, g.sign(g.body("create", i))); err != nil {
				return fmt.Errorf("warm-up order %d: %w", i+1, err)
			}
		}
	}
	fmt.Fprintf(out, "target %s, %d workers, %s per phase, rate %s\n", o.url, o.workers, o.duration, rateText(o.rate))
	if !o.noPing {
		if err := phase(ctx, out, "ping", []weighted{{"ping", 1}}, o, g, c, rdb); err != nil {
			return err
		}
	}
	return phase(ctx, out, o.mix, mix, o, g, c, rdb)
}

func rateText(r int) string {
	if r == 0 {
		return "max"
	}
	return strconv.Itoa(r) + "/s"
}

type weighted struct {
	name   string
	weight int
}

func parseMix(s string) ([]weighted, error) {
	var out []weighted
	for _, part := range strings.Split(s, ",") {
		name, w, hasW := strings.Cut(strings.TrimSpace(part), "=")
		n := 1
		if hasW {
			var err error
			if n, err = strconv.Atoi(w); err != nil || n < 1 {
				return nil, fmt.Errorf("-mix: bad weight in %q", part)
			}
		}
		switch name {
		case "ping", "help", "show", "create", "quick":
		default:
			return nil, fmt.Errorf("-mix: unknown command %q (ping, help, show, create, quick)", name)
		}
		out = append(out, weighted{name, n})
	}
	return out, nil
}

func weight(mix []weighted, name string) int {
	for _, w := range mix {
		if w.name == name {
			return w.weight
		}
	}
	return 0
}

// result is one request's outcome.
type result struct {
	name    string
	latency time.Duration
	err     error
}

// phase runs one mix for the configured duration and prints its figures.
func phase(ctx context.Context, out io.Writer, label string, mix []weighted, o options, g *generator, c *client, rdb *redis.Client) error {
	before, err := commandCalls(ctx, rdb)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()

	type job struct {
		name  string
		body  signed
		start time.Time // scheduled time (fixed rate) so queueing delay counts
	}
	jobs := make(chan job, max(o.rate/2, o.workers)) // at most ~0.5 s signed ahead
	results := make(chan result, 4096)
	var seq atomic.Int64
	go func() { // producer
		defer close(jobs)
		var tick <-chan time.Time
		if o.rate > 0 {
			t := time.NewTicker(time.Second / time.Duration(o.rate))
			defer t.Stop()
			tick = t.C
		}
		for {
			n := int(seq.Add(1))
			name := pick(mix, n)
			j := job{name: name, body: g.sign(g.body(name, n))}
			if tick != nil {
				select {
				case <-ctx.Done():
					return
				case at := <-tick:
					j.start = at
				}
			}
			select {
			case <-ctx.Done():
				return
			case jobs <- j:
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < o.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				start := j.start
				if start.IsZero() {
					start = time.Now()
				}
				_, err := c.send(context.Background(), j.body)
				results <- result{name: j.name, latency: time.Since(start), err: err}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	began := time.Now()
	var all []result
	for r := range results {
		all = append(all, r)
	}
	elapsed := time.Since(began)
	after, err := commandCalls(context.Background(), rdb)
	if err != nil {
		return err
	}
	report(out, label, all, elapsed, before, after, rdb != nil)
	return nil
}

// pick chooses the n-th command of a weighted mix, deterministically.
func pick(mix []weighted, n int) string {
	total := 0
	for _, w := range mix {
		total += w.weight
	}
	k := n % total
	for _, w := range mix {
		if k < w.weight {
			return w.name
		}
		k -= w.weight
	}
	return mix[0].name
}

func report(out io.Writer, label string, all []result, elapsed time.Duration, before, after int64, haveRedis bool) {
	byName := map[string][]time.Duration{}
	errs := map[string]int{}
	var lat []time.Duration
	for _, r := range all {
		if r.err != nil {
			errs[r.err.Error()]++
			continue
		}
		lat = append(lat, r.latency)
		byName[r.name] = append(byName[r.name], r.latency)
	}
	ok := len(lat)
	fmt.Fprintf(out, "\n== %s: %d requests in %s, %.0f ok/s, %d errors\n", label, len(all), elapsed.Round(time.Millisecond), float64(ok)/elapsed.Seconds(), len(all)-ok)
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range append([]string{"all"}, names...) {
		l := lat
		if n != "all" {
			l = byName[n]
		}
		fmt.Fprintf(out, "   %-7s n=%-7d %s\n", n, len(l), percentiles(l))
	}
	for e, n := range errs {
		fmt.Fprintf(out, "   error x%d: %s\n", n, e)
	}
	if haveRedis && ok > 0 {
		fmt.Fprintf(out, "   redis commands: %d (%.2f per interaction)\n", after-before, float64(after-before)/float64(ok))
	}
}

func percentiles(l []time.Duration) string {
	if len(l) == 0 {
		return "-"
	}
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	p := func(q float64) time.Duration { return l[min(len(l)-1, int(q*float64(len(l))))] }
	return fmt.Sprintf("p50=%-9s p90=%-9s p99=%-9s max=%s", p(0.50).Round(time.Microsecond), p(0.90).Round(time.Microsecond),
		p(0.99).Round(time.Microsecond), l[len(l)-1].Round(time.Microsecond))
}

// commandCalls sums the calls of every command in INFO commandstats, less the INFO calls themselves.
func commandCalls(ctx context.Context, rdb *redis.Client) (int64, error) {
	if rdb == nil {
		return 0, nil
	}
	info, err := rdb.Info(ctx, "commandstats").Result()
	if err != nil {
		return 0, fmt.Errorf("INFO commandstats: %w", err)
	}
	var total int64
	for _, line := range strings.Split(info, "\n") {
		if !strings.HasPrefix(line, "cmdstat_") || strings.HasPrefix(line, "cmdstat_info:") {
			continue
		}
		_, stats, _ := strings.Cut(line, ":")
		for _, kv := range strings.Split(stats, ",") {
			if v, ok := strings.CutPrefix(kv, "calls="); ok {
				n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				total += n
			}
		}
	}
	return total, nil
}

// client posts signed interactions.
type client struct {
	url  string
	http *http.Client
}

func (c *client) send(ctx context.Context, s signed) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(s.body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", s.sig)
	req.Header.Set("X-Signature-Timestamp", s.ts)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, fmt.Errorf("status %d", resp.StatusCode)
	}
	var r struct {
		Type int `json:"type"`
	}
	if err := json.Unmarshal(b, &r); err != nil || r.Type == 5 || r.Type == 6 {
		return resp.StatusCode, fmt.Errorf("deferred or unreadable answer (type %d)", r.Type)
	}
	return resp.StatusCode, nil
}

// generator builds interactions of one member in one fresh server.
type generator struct {
	key    ed25519.PrivateKey
	orders int // orders created in warm-up: show targets 1..orders
	guild  string
	member map[string]any
	ids    atomic.Int64
}

type signed struct {
	body    []byte
	sig, ts string
}

func newGenerator(key ed25519.PrivateKey, orders int) *generator {
	n, _ := rand.Int(rand.Reader, big.NewInt(1e15))
	guild := strconv.FormatInt(3e17+n.Int64(), 10)
	return &generator{key: key, orders: orders, guild: guild, member: map[string]any{
		"user": map[string]any{"id": "300000000000000001", "username": "loadgen"}, "roles": []string{}, "permissions": "0",
	}}
}

func (g *generator) sign(body []byte) signed {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := ed25519.Sign(g.key, append([]byte(ts), body...))
	return signed{body: body, sig: hex.EncodeToString(sig), ts: ts}
}

// body builds the n-th interaction of a kind, with a fresh snowflake ID.
func (g *generator) body(kind string, n int) []byte {
	id := (time.Now().UnixMilli()-1420070400000)<<22 | (g.ids.Add(1) & 0x3FFFFF)
	in := map[string]any{
		"id": strconv.FormatInt(id, 10), "application_id": "300000000000000000", "type": 2, "guild_id": g.guild,
		"channel_id": "300000000000000002", "token": "loadgen", "version": 1, "locale": "en-US", "member": g.member,
	}
	sub := func(cmd, name string, opts ...map[string]any) map[string]any {
		return map[string]any{"id": "1", "name": cmd, "type": 1, "options": []map[string]any{{"type": 1, "name": name, "options": opts}}}
	}
	opt := func(typ int, name string, v any) map[string]any { return map[string]any{"type": typ, "name": name, "value": v} }
	switch kind {
	case "ping":
		in = map[string]any{"id": in["id"], "application_id": in["application_id"], "type": 1, "token": "loadgen", "version": 1}
	case "help":
		in["data"] = map[string]any{"id": "1", "name": "help", "type": 1}
	case "show":
		in["data"] = sub("order", "show", opt(4, "order", 1+n%g.orders))
	case "create":
		in["data"] = sub("order", "create", opt(3, "supplier", "Shenzhen Acme Electronics"), opt(3, "total", "1250.50"),
			opt(3, "currency", "USD"), opt(3, "ship-date", "2026-12-20"))
	case "quick":
		in["data"] = sub("eligibility", "quick", opt(3, "issue", "quality_mismatch"), opt(4, "days-since-receipt", 10),
			opt(5, "paid-through-alibaba", true), opt(5, "supplier-has-ta", true), opt(3, "amount-paid", "1200.00"))
	}
	b, _ := json.Marshal(in)
	return b
}
