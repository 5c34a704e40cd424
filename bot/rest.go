package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Time limits of Discord's interaction routes.
const (
	initialResponseTimeout = 3 * time.Second
	followupTimeout        = 10 * time.Second
)

// RESTResponder answers one interaction through Discord's REST API (gateway mode, and deferred answers
// in HTTP mode). The session needs no open gateway connection.
type RESTResponder struct {
	Session *discordgo.Session
	In      *discordgo.Interaction
	// RespondTimeout bounds the initial callback; 0 means Discord's 3 seconds.
	RespondTimeout time.Duration
}

// Respond posts the initial callback with a deadline inside Discord's 3 seconds.
func (r *RESTResponder) Respond(ctx context.Context, resp *discordgo.InteractionResponse) error {
	timeout := r.RespondTimeout
	if timeout <= 0 {
		timeout = initialResponseTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := r.Session.InteractionRespond(r.In, resp, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("respond to interaction %s: %w", r.In.ID, err)
	}
	return nil
}

// Edit replaces the original response.
func (r *RESTResponder) Edit(ctx context.Context, e *discordgo.WebhookEdit) error {
	ctx, cancel := context.WithTimeout(ctx, followupTimeout)
	defer cancel()
	if _, err := r.Session.InteractionResponseEdit(r.In, e, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("edit response of interaction %s: %w", r.In.ID, err)
	}
	return nil
}

// Followup sends a follow-up message.
func (r *RESTResponder) Followup(ctx context.Context, m *discordgo.WebhookParams) error {
	ctx, cancel := context.WithTimeout(ctx, followupTimeout)
	defer cancel()
	if _, err := r.Session.FollowupMessageCreate(r.In, true, m, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("follow up interaction %s: %w", r.In.ID, err)
	}
	return nil
}

// ChannelAnnouncer posts announcements with a bot session.
type ChannelAnnouncer struct{ Session *discordgo.Session }

// Announce posts m in the channel.
func (a ChannelAnnouncer) Announce(ctx context.Context, channelID string, m *discordgo.MessageSend) error {
	ctx, cancel := context.WithTimeout(ctx, followupTimeout)
	defer cancel()
	if _, err := a.Session.ChannelMessageSendComplex(channelID, m, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("announce in channel %s: %w", channelID, err)
	}
	return nil
}
