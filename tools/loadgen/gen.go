package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// kind is one interaction the load generator can send. data builds the interaction's data for the i-th
// request (nil data: a PING).
type kind struct {
	name string
	typ  int
	data func(g *generator, i int) map[string]any
}

func sub(command, name string, opts ...map[string]any) map[string]any {
	if opts == nil {
		opts = []map[string]any{}
	}
	return map[string]any{"id": "1", "name": command, "type": 1, "options": []map[string]any{{"name": name, "type": 1, "options": opts}}}
}

func opt(name string, typ int, v any) map[string]any {
	return map[string]any{"name": name, "type": typ, "value": v}
}

// kinds are the interactions of the mix. To measure a new command, add a line.
var kinds = []kind{
	{"ping", 1, nil},
	{"help", 2, func(*generator, int) map[string]any { return map[string]any{"id": "1", "name": "help", "type": 1} }},
	{"show", 2, func(g *generator, i int) map[string]any {
		return sub("order", "show", opt("order", 4, 1+i%g.orders))
	}},
	{"create", 2, func(_ *generator, i int) map[string]any {
		return sub("order", "create", opt("supplier", 3, fmt.Sprintf("Load Supplier %d", i%50)),
			opt("total", 3, fmt.Sprintf("%d.50", 100+i%9000)), opt("currency", 3, "USD"), opt("ship-date", 3, "2027-01-15"))
	}},
}

func kindByName(name string) *kind {
	for i := range kinds {
		if kinds[i].name == name {
			return &kinds[i]
		}
	}
	return nil
}

func kindNames() []string {
	var out []string
	for _, k := range kinds {
		out = append(out, k.name)
	}
	return out
}

// weight is one entry of the mix.
type weight struct {
	kind *kind
	n    int
}

// parseMix reads "show=6,create=2,help=1,ping=1".
func parseMix(s string) ([]weight, error) {
	var out []weight
	for _, part := range strings.Split(s, ",") {
		name, n, ok := strings.Cut(strings.TrimSpace(part), "=")
		w, err := strconv.Atoi(n)
		k := kindByName(name)
		if !ok || err != nil || w < 1 || k == nil {
			return nil, fmt.Errorf("-mix: %q is not name=weight with a name from %s", part, strings.Join(kindNames(), ", "))
		}
		out = append(out, weight{k, w})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].kind.name < out[j].kind.name })
	return out, nil
}

// body is one pre-signed request.
type body struct {
	kind      string
	data      []byte
	signature string
	timestamp string
}

// generator builds signed interactions.
type generator struct {
	key    ed25519.PrivateKey
	guild  string
	orders int // show asks for orders 1..orders
	seq    atomic.Int64
}

// discordEpoch is the first millisecond of 2015 (snowflake epoch).
const discordEpoch = 1420070400000

// bodies signs n interactions of one kind, or drawn from the weights, at time now. Their IDs carry a
// creation time 10 minutes ahead: the server's deferral budget counts from that time and caps it at the
// full budget, so requests signed before the phase are not deferred for their age.
func (g *generator) bodies(k *kind, weights []weight, n int, now time.Time) []body {
	total := 0
	for _, w := range weights {
		total += w.n
	}
	rng := rand.New(rand.NewPCG(uint64(now.UnixNano()), 7))
	created := now.Add(10*time.Minute).UnixMilli() - discordEpoch
	ts := strconv.FormatInt(now.Unix(), 10)
	out := make([]body, n)
	for i := range out {
		kk := k
		if kk == nil {
			r := rng.IntN(total)
			for _, w := range weights {
				if r < w.n {
					kk = w.kind
					break
				}
				r -= w.n
			}
		}
		id := strconv.FormatInt(created<<22|(g.seq.Add(1)&0x3FFFFF), 10)
		raw := map[string]any{"id": id, "application_id": "910000000000000000", "type": kk.typ, "token": "loadgen-" + id, "version": 1}
		if kk.data != nil {
			raw["data"] = kk.data(g, i)
			raw["guild_id"], raw["channel_id"], raw["locale"] = g.guild, "910000000000000003", "en-US"
			raw["member"] = map[string]any{
				"user":  map[string]any{"id": "910000000000000002", "username": "loadgen"},
				"roles": []string{}, "permissions": "0",
			}
		}
		b, _ := json.Marshal(raw)
		sig := ed25519.Sign(g.key, append([]byte(ts), b...))
		out[i] = body{kind: kk.name, data: b, signature: hex.EncodeToString(sig), timestamp: ts}
	}
	return out
}
