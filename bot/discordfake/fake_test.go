package discordfake_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/bot/discordfake"
)

func session(t *testing.T, f *discordfake.Fake, token string) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New(token)
	if err != nil {
		t.Fatal(err)
	}
	s.Identify.Intents = discordgo.IntentsGuilds
	f.Attach(s)
	return s
}

func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return -1
}

// TestFakeRefusesWhatDiscordRefuses: the fake must not accept what Discord would not, or the wire tests
// would pass against it and fail against Discord.
func TestFakeRefusesWhatDiscordRefuses(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t)
	s := session(t, f, discordfake.Token)

	if _, err := session(t, f, "Bot wrong").ChannelMessageSend(discordfake.Channel, "hi"); err == nil {
		t.Fatal("a bot route accepted a wrong token")
	}
	if _, err := f.Dispatch("INTERACTION_CREATE", map[string]any{}); err == nil {
		t.Fatal("Dispatch succeeded without a connected session")
	}
	unknown := &discordgo.Interaction{ID: "1", Token: "nope", AppID: discordfake.AppID}
	msg := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "x"}}
	if code := restCode(s.InteractionRespond(unknown, msg)); code != discordgo.ErrCodeUnknownInteraction {
		t.Fatalf("callback for an unknown interaction: code %d, want 10062", code)
	}

	sent, err := f.NewInteraction(discordfake.Interaction{Type: discordgo.InteractionApplicationCommand,
		Data: map[string]any{"id": "1", "name": "x", "type": 1}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := sent.Decode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.FollowupMessageCreate(in, true, &discordgo.WebhookParams{Content: "early"}); err == nil {
		t.Fatal("a follow-up before the interaction was acknowledged was accepted")
	}
	choices := &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}}}
	if code := restCode(s.InteractionRespond(in, choices)); code != 50035 {
		t.Fatalf("autocomplete result for a command: code %d, want 50035", code)
	}
	if err := s.InteractionRespond(in, msg); err != nil {
		t.Fatal(err)
	}
	if code := restCode(s.InteractionRespond(in, msg)); code != discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged {
		t.Fatalf("second callback: code %d, want 40060", code)
	}
}

// TestFakeRefusesPrivilegedIntents: IDENTIFY with a privileged intent is closed with 4014, and Open fails.
func TestFakeRefusesPrivilegedIntents(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t)
	s := session(t, f, discordfake.Token)
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentMessageContent
	if err := s.Open(); err == nil {
		t.Fatal("Open succeeded with a privileged intent")
	}
	l := f.Log()
	if len(l.Closes) != 1 || l.Closes[0].Code != 4014 || l.Closes[0].ByClient {
		t.Fatalf("closes = %+v, want the fake's 4014", l.Closes)
	}
}

// TestFakeResumesASession: a session that reopens after Close resumes (op 6) and gets RESUMED, and dispatches
// continue on the new connection.
func TestFakeResumesASession(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// discordgo's heartbeat goroutine closes the session again if one of its heartbeats fails because Close
	// has begun, and that late Close would hit the reopened connection. So: a long interval, and Close only
	// once the connection's first heartbeat (sent right after Open) is in.
	f := discordfake.New(t, discordfake.WithHeartbeat(time.Hour))
	s := session(t, f, discordfake.Token)
	got := make(chan string, 1)
	s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { got <- ic.ID })
	for i := range 2 {
		if err := s.Open(); err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		sent, err := f.Interact(discordfake.Interaction{Type: discordgo.InteractionApplicationCommand,
			Data: map[string]any{"id": "1", "name": "x", "type": 1}})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case id := <-got:
			if id != sent.ID {
				t.Fatalf("session received %s, want %s", id, sent.ID)
			}
		case <-ctx.Done():
			t.Fatalf("open %d: the interaction never reached the session", i)
		}
		if err := f.Wait(ctx, func(l *discordfake.Log) bool { return len(l.Heartbeats) > i }); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	l := f.Log()
	if l.Connects != 2 || len(l.Identifies) != 1 || l.Resumes != 1 {
		t.Fatalf("connects=%d identifies=%d resumes=%d, want a resume on the second connection", l.Connects, len(l.Identifies), l.Resumes)
	}
	if last := l.Dispatches[len(l.Dispatches)-1]; last.Seq != 4 || l.Dispatches[2].Event != "RESUMED" {
		t.Fatalf("dispatches = %+v, want READY, the interaction, RESUMED, the interaction numbered 1 to 4", l.Dispatches)
	}
}
