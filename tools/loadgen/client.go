package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// client sends bodies to the endpoint from a fixed number of workers.
type client struct {
	url     string
	http    *http.Client
	workers int
}

// sample is the outcome of one request.
type sample struct {
	kind    string
	latency time.Duration
	outcome string // "ok", "deferred", "http <status>", "transport"
}

// result is what one phase measured.
type result struct {
	samples    []sample
	elapsed    time.Duration
	redisCalls int64
}

// run sends every body once. With rate > 0 request i is due at start + i/rate and its latency counts from
// that moment (so a slow server cannot hide queueing); with rate 0 the workers send back to back.
func (c *client) run(ctx context.Context, bodies []body, rate float64) *result {
	jobs := make(chan int, len(bodies))
	samples := make([]sample, len(bodies))
	start := time.Now()
	due := func(i int) time.Time {
		if rate <= 0 {
			return time.Time{}
		}
		return start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
	}
	var wg sync.WaitGroup
	for range c.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				from := due(i)
				if from.IsZero() {
					from = time.Now()
				}
				samples[i] = c.send(ctx, bodies[i], from)
			}
		}()
	}
	for i := range bodies {
		if rate > 0 {
			if d := time.Until(due(i)); d > 0 {
				time.Sleep(d)
			}
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return &result{samples: samples, elapsed: time.Since(start)}
}

func (c *client) send(ctx context.Context, b body, from time.Time) sample {
	s := sample{kind: b.kind}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(b.data))
	if err != nil {
		s.outcome = "transport"
		return s
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", b.signature)
	req.Header.Set("X-Signature-Timestamp", b.timestamp)
	resp, err := c.http.Do(req)
	if err != nil {
		s.latency, s.outcome = time.Since(from), "transport"
		return s
	}
	out, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	s.latency = time.Since(from)
	switch {
	case resp.StatusCode != http.StatusOK:
		s.outcome = fmt.Sprintf("http %d", resp.StatusCode)
	case bytes.HasPrefix(out, []byte(`{"type":5`)) || bytes.HasPrefix(out, []byte(`{"type":6`)):
		s.outcome = "deferred"
	default:
		s.outcome = "ok"
	}
	return s
}

// failed counts the requests that did not get an inline answer.
func (r *result) failed() int {
	n := 0
	for _, s := range r.samples {
		if s.outcome != "ok" {
			n++
		}
	}
	return n
}

// errorSummary lists the outcomes other than ok with their counts.
func (r *result) errorSummary() string {
	counts := map[string]int{}
	for _, s := range r.samples {
		if s.outcome != "ok" {
			counts[s.outcome]++
		}
	}
	var parts []string
	for k, n := range counts {
		parts = append(parts, fmt.Sprintf("%s: %d", k, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

const rowFormat = "%-10s %8s %8s %10s %9s %9s %9s %9s %11s\n"

func printHeader(w io.Writer) {
	fmt.Fprintf(w, rowFormat, "phase", "sent", "failed", "per second", "p50", "p90", "p99", "max", "redis/inter")
}

// print writes the phase's line, one line per command when the phase mixed several, and its errors.
func (r *result) print(w io.Writer, name string, redis bool) {
	perInter := "-"
	if redis && len(r.samples) > 0 {
		perInter = fmt.Sprintf("%.2f", float64(r.redisCalls)/float64(len(r.samples)))
	}
	r.row(w, name, r.samples, perInter)
	byKind := map[string][]sample{}
	for _, s := range r.samples {
		byKind[s.kind] = append(byKind[s.kind], s)
	}
	if len(byKind) > 1 {
		var names []string
		for k := range byKind {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			r.row(w, "  "+k, byKind[k], "")
		}
	}
	if errs := r.errorSummary(); errs != "" {
		fmt.Fprintf(w, "  not ok: %s\n", errs)
	}
}

func (r *result) row(w io.Writer, name string, ss []sample, redis string) {
	lat := make([]time.Duration, 0, len(ss))
	failed := 0
	for _, s := range ss {
		lat = append(lat, s.latency)
		if s.outcome != "ok" {
			failed++
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(q float64) string {
		if len(lat) == 0 {
			return "-"
		}
		return ms(lat[int(q*float64(len(lat)-1))])
	}
	rate := float64(len(ss)) / r.elapsed.Seconds()
	fmt.Fprintf(w, rowFormat, name, fmt.Sprint(len(ss)), fmt.Sprint(failed), fmt.Sprintf("%.0f", rate),
		pct(.50), pct(.90), pct(.99), pct(1), redis)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
