package bot

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/state/statetest"
)

// runScript runs a console script on a fresh store with the console's clock stopped at start.
func runScript(t *testing.T, script string, start time.Time) string {
	t.Helper()
	in, err := os.Open(script)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out bytes.Buffer
	c := &Console{In: in, Out: &out}
	c.SetClock(start)
	store := statetest.New(t)
	app, router, err := NewRouter(store, assurance.Default(), c, slog.New(slog.NewTextHandler(io.Discard, nil)), commands.WithClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	c.Router, c.Definitions, c.Store = router, app.Definitions(), store
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out.String())
	}
	return out.String()
}

// wantLines reads the lines a script's output must contain, in order.
func wantLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// TestConsoleOrdersScript runs testdata/console/orders.txt (one order from creation to receipt,
// one cancelled, one changed by agreement) and checks the lines of orders.want appear in order.
func TestConsoleOrdersScript(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "testdata", "console")
	out := runScript(t, filepath.Join(dir, "orders.txt"), time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	lines := strings.Split(out, "\n")
	i := 0
	for _, want := range wantLines(t, filepath.Join(dir, "orders.want")) {
		for i < len(lines) && !strings.Contains(lines[i], want) {
			i++
		}
		if i == len(lines) {
			t.Fatalf("the console output lacks, at this point, the line\n  %s\n--- output ---\n%s", want, out)
		}
		i++
	}
	if strings.Contains(out, "\n! ") || strings.Contains(out, "Something went wrong") {
		t.Fatalf("the script hit a problem:\n%s", out)
	}
}
