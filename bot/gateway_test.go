package bot_test

import (
	"encoding/base64"
	"testing"

	"github.com/tradeguard/tradeguard/bot"
)

func TestLeaseAppNamesTheApplication(t *testing.T) {
	t.Parallel()
	id := "712345678901234567"
	token := base64.RawStdEncoding.EncodeToString([]byte(id)) + ".GhIjKl.secretpart"
	for _, c := range []struct{ app, token, want string }{
		{"799999999999999999", token, "799999999999999999"}, // DISCORD_APP_ID wins
		{"", token, id},                // else the bot's user ID from the token
		{"", "not-a-token", "default"}, // never the token itself
		{"", "", "default"},
	} {
		if got := bot.LeaseApp(c.app, c.token); got != c.want {
			t.Errorf("LeaseApp(%q, %q) = %q, want %q", c.app, c.token, got, c.want)
		}
	}
}
