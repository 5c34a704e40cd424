package bot

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runMain(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	e := Env{Stdin: strings.NewReader(stdin), Stdout: out, Stderr: errOut, Getenv: func(k string) string { return env[k] }}
	code = Main(context.Background(), args, e)
	return code, out.String(), errOut.String()
}

func TestMainUsageAndExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string // in stdout+stderr
	}{
		{"no subcommand", nil, nil, 2, "Usage: tradeguard"},
		{"unknown subcommand", []string{"nonsense"}, nil, 2, `unknown subcommand "nonsense"`},
		{"help", []string{"help"}, nil, 0, "console"},
		{"version", []string{"version"}, nil, 0, "tradeguard "},
		{"unknown flag", []string{"console", "--bogus"}, nil, 2, "flag provided but not defined"},
		{"stray argument", []string{"version", "extra"}, nil, 2, `unexpected argument "extra"`},
		{"gateway without token", []string{"gateway"}, nil, 2, "DISCORD_TOKEN is not set"},
		{"register without app id", []string{"register"}, map[string]string{"DISCORD_TOKEN": "abc.def"}, 2, "DISCORD_APP_ID"},
		{"bad log level", []string{"console"}, map[string]string{"LOG_LEVEL": "loud"}, 2, "LOG_LEVEL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runMain(t, c.env, "", c.args...)
			if code != c.code || !strings.Contains(out+errOut, c.want) {
				t.Fatalf("exit %d (want %d), output:\n%s%s\nwant it to contain %q", code, c.code, out, errOut, c.want)
			}
		})
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	secret := "MTAxNTk.secret-token-value"
	// A token with a space is refused; the message must not echo it.
	code, out, errOut := runMain(t, map[string]string{"DISCORD_TOKEN": secret + " x"}, "", "gateway")
	if code != 2 || strings.Contains(out+errOut, "secret-token-value") {
		t.Fatalf("exit %d, output leaks the token:\n%s%s", code, out, errOut)
	}
}

func TestConsoleSubcommandRunsScript(t *testing.T) {
	code, out, errOut := runMain(t, nil, "/help\n/order create supplier:Acme total:10\n", "console")
	if code != 0 || !strings.Contains(out, "Order #1 created") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	code, _, _ = runMain(t, nil, "/nope\n", "console")
	if code != 1 {
		t.Fatalf("unparsable script exit %d, want 1", code)
	}
}
