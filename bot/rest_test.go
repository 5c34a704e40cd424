package bot

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/bot/discordfake"
)

// restInteraction creates an interaction in the fake (not delivered) and a RESTResponder for it.
func restInteraction(t *testing.T, f *discordfake.Fake) (discordfake.Sent, *RESTResponder) {
	t.Helper()
	sent, err := f.NewInteraction(discordfake.Interaction{Type: discordgo.InteractionApplicationCommand,
		Data: map[string]any{"id": "810000000000000001", "name": "help", "type": int(discordgo.ChatApplicationCommand)}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := sent.Decode()
	if err != nil {
		t.Fatal(err)
	}
	return sent, &RESTResponder{Session: fakeSession(t, f), In: in}
}

// TestRESTResponderAgainstFakeDiscord answers an interaction through discordgo's REST calls, with a session
// that never opens the gateway (as the HTTP endpoint's deferred answers do).
func TestRESTResponderAgainstFakeDiscord(t *testing.T) {
	ctx := wireContext(t)
	f := discordfake.New(t)
	sent, r := restInteraction(t, f)

	if err := r.Edit(ctx, &discordgo.WebhookEdit{}); err == nil {
		t.Fatal("editing the original response before responding succeeded; Discord answers Unknown Webhook")
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "hello", Flags: discordgo.MessageFlagsEphemeral}}
	if err := r.Respond(ctx, resp); err != nil {
		t.Fatal(err)
	}
	var re *discordgo.RESTError
	if err := r.Respond(ctx, resp); !errors.As(err, &re) || re.Message == nil || re.Message.Code != discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged {
		t.Fatalf("second Respond = %v, want Discord's 40060 already acknowledged", err)
	}
	content := "edited"
	if err := r.Edit(ctx, &discordgo.WebhookEdit{Content: &content}); err != nil {
		t.Fatal(err)
	}
	if err := r.Followup(ctx, &discordgo.WebhookParams{Content: "more", Flags: discordgo.MessageFlagsEphemeral}); err != nil {
		t.Fatal(err)
	}

	l := f.Log()
	cbs := l.Answered(discordfake.RouteCallback, sent.ID)
	if len(cbs) != 2 || cbs[0].Status != 204 || cbs[1].Status != 400 {
		t.Fatalf("callbacks = %+v, want 204 then 400", cbs)
	}
	if cb, err := cbs[0].Callback(); err != nil || cb.Type != resp.Type || cb.Data.Content != "hello" || cb.Data.Flags != discordgo.MessageFlagsEphemeral {
		t.Fatalf("callback = %+v, %v", cb, err)
	}
	edits := l.Answered(discordfake.RouteEditMessage, sent.ID)
	if len(edits) != 2 || edits[0].Status != 404 || edits[1].Status != 200 || edits[1].MessageID != "@original" {
		t.Fatalf("edits = %+v, want the early one refused and one PATCH of @original", edits)
	}
	if m, err := edits[1].Message(); err != nil || m.Content != "edited" {
		t.Fatalf("edit = %+v, %v", m, err)
	}
	fus := l.Answered(discordfake.RouteFollowup, sent.ID)
	if len(fus) != 1 || fus[0].Query.Get("wait") != "true" || fus[0].Path != "/api/v9/webhooks/"+discordfake.AppID+"/"+sent.Token {
		t.Fatalf("follow-ups = %+v", fus)
	}
	if m, err := fus[0].Message(); err != nil || m.Content != "more" || m.Flags != discordgo.MessageFlagsEphemeral {
		t.Fatalf("follow-up = %+v, %v", m, err)
	}
}

// TestRESTResponderRespondHasADeadline: a callback that Discord never answers must not hold the interaction:
// Respond gives up at its deadline even when the caller's context has none.
func TestRESTResponderRespondHasADeadline(t *testing.T) {
	ctx := wireContext(t)
	f := discordfake.New(t)
	sent, r := restInteraction(t, f)
	r.RespondTimeout = 50 * time.Millisecond
	f.StallOnce(discordfake.RouteCallback)

	parent, cancel := context.WithCancel(context.Background()) // no deadline of its own
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- r.Respond(parent, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "late"}})
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Respond = %v, want its own deadline exceeded", err)
		}
	case <-ctx.Done():
		t.Fatal("Respond is still waiting for a callback that never ends: no deadline applied")
	}
	reqs, err := f.WaitRequests(ctx, discordfake.RouteCallback, sent.ID, 1)
	if err != nil || reqs[0].Status != discordfake.StatusClientGone {
		t.Fatalf("stalled callback recorded as %+v (%v), want the client to have hung up", reqs, err)
	}
}

// TestChannelAnnouncerPostsWithTheBotToken posts an announcement through discordgo to the fake.
func TestChannelAnnouncerPostsWithTheBotToken(t *testing.T) {
	ctx := wireContext(t)
	f := discordfake.New(t)
	a := ChannelAnnouncer{Session: fakeSession(t, f)}
	msg := &discordgo.MessageSend{Content: "Order #1 shipped", Embeds: []*discordgo.MessageEmbed{{Title: "Order #1"}}}
	if err := a.Announce(ctx, discordfake.Channel, msg); err != nil {
		t.Fatal(err)
	}
	posts := f.Log().Answered(discordfake.RouteChannelMessage, "")
	if len(posts) != 1 || posts[0].Channel != discordfake.Channel || posts[0].Header.Get("Authorization") != discordfake.Token {
		t.Fatalf("posts = %+v, want one to the channel with the bot token", posts)
	}
	if m, err := posts[0].Message(); err != nil || m.Content != "Order #1 shipped" || len(m.Embeds) != 1 || m.Embeds[0].Title != "Order #1" {
		t.Fatalf("posted %+v, %v", m, err)
	}
}
