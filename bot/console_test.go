package bot

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/state/statetest"
)

var update = flag.Bool("update", false, "rewrite the console golden files")

// consoleClock is the fixed time console scripts run at.
var consoleClock = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// runScript runs a console script on a fresh store with a fixed clock and returns its output.
func runScript(t *testing.T, script string) (string, error) {
	t.Helper()
	store := statetest.New(t)
	now := func() time.Time { return consoleClock }
	out := &bytes.Buffer{}
	c := &Console{In: strings.NewReader(script), Out: out, Now: now, Store: store}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// The router reads the console's clock, so a script's :clock lines move both.
	app, router, err := NewRouter(store, assurance.Default(), c, log, commands.WithClock(c.Clock))
	if err != nil {
		t.Fatal(err)
	}
	c.Router, c.Definitions = router, app.Definitions()
	err = c.Run(context.Background())
	return out.String(), err
}

// TestConsoleScripts runs every testdata/console/*.txt script and compares its output with the .golden
// file beside it (go test ./bot -run TestConsoleScripts -update rewrites them).
func TestConsoleScripts(t *testing.T) {
	scripts, _ := filepath.Glob("../testdata/console/*.txt")
	if len(scripts) == 0 {
		t.Fatal("no console scripts found")
	}
	for _, path := range scripts {
		t.Run(filepath.Base(path), func(t *testing.T) {
			script, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := runScript(t, string(script))
			if err != nil {
				t.Fatalf("script failed: %v\n%s", err, got)
			}
			golden := strings.TrimSuffix(path, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run with -update after checking):\n%s", golden, lineDiff(string(want), got))
			}
		})
	}
}

// lineDiff shows the first differing lines.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + a + "\n  got:  " + b
		}
	}
	return ""
}

func TestConsoleScriptExitsNonZeroOnUnparsableLine(t *testing.T) {
	out, err := runScript(t, "/help\n/nonsense\n\"unterminated\n:bogus\n")
	if err == nil {
		t.Fatalf("script with unknown command passed:\n%s", out)
	}
	for _, want := range []string{"unknown command /nonsense", "unknown console key :bogus"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestConsoleBadInputStoresNothing(t *testing.T) {
	out, err := runScript(t, `/order create supplier:"A" total:abc
/order create supplier:"A" total:1.234
/order create supplier:"A" total:5 currency:ZZZ
/order create supplier:"A" total:5
`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Order #1 created") || strings.Contains(out, "Order #2") {
		t.Fatalf("the first valid order should be #1:\n%s", out)
	}
}

func TestConsolePersistsAcrossRunsOnSameRedis(t *testing.T) {
	store := statetest.New(t)
	run := func(script string) string {
		out := &bytes.Buffer{}
		c := &Console{In: strings.NewReader(script), Out: out, Store: store}
		app, router, err := NewRouter(store, assurance.Default(), c, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		c.Router, c.Definitions = router, app.Definitions()
		if err := c.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	run(`/order create supplier:"Acme" total:99`)
	if out := run("/order show order:1"); !strings.Contains(out, "99.00 USD") {
		t.Fatalf("second run does not see the order:\n%s", out)
	}
}

// expectLines reads a script's .expect file: lines its output must contain (CI greps each one).
func expectLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// TestConsoleOrdersScript runs testdata/console/orders.txt (one order from creation to receipt, one
// cancelled, one changed by agreement) and checks that the key lines of orders.expect appear in this
// order (CI only greps them): unlike the golden file, they say what must stay true however the wording
// around them changes.
func TestConsoleOrdersScript(t *testing.T) {
	dir := filepath.Join("..", "testdata", "console")
	script, err := os.ReadFile(filepath.Join(dir, "orders.txt"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := runScript(t, string(script))
	if err != nil {
		t.Fatalf("script failed: %v\n%s", err, out)
	}
	lines := strings.Split(out, "\n")
	i := 0
	for _, want := range expectLines(t, filepath.Join(dir, "orders.expect")) {
		for i < len(lines) && !strings.Contains(lines[i], want) {
			i++
		}
		if i == len(lines) {
			t.Fatalf("the console output lacks, at this point, the line\n  %s\n--- output ---\n%s", want, out)
		}
		i++
	}
	if strings.Contains(out, "Something went wrong") {
		t.Fatalf("the script hit an internal error:\n%s", out)
	}
}
