package commands

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// Responder sends the answers to one interaction. Each transport (gateway, HTTP, console, tests) has its own.
type Responder interface {
	// Respond sends the initial response (exactly once per interaction).
	Respond(ctx context.Context, resp *discordgo.InteractionResponse) error
	// Edit replaces the original response (after a deferral, or to update it later).
	Edit(ctx context.Context, edit *discordgo.WebhookEdit) error
	// Followup sends an extra message after the initial response.
	Followup(ctx context.Context, msg *discordgo.WebhookParams) error
}

// Announcer posts public messages to a channel (the server's updates channel).
type Announcer interface {
	Announce(ctx context.Context, channelID string, msg *discordgo.MessageSend) error
}

// Deduper claims an interaction ID so that a duplicate delivery is answered only once.
type Deduper interface {
	// ClaimInteraction reports true the first time it sees id, false for a duplicate.
	ClaimInteraction(ctx context.Context, id string) (bool, error)
}

// WriteLimiter is a Deduper that also counts a member's writes in the same round trip.
type WriteLimiter interface {
	ClaimWrite(ctx context.Context, id, guild, user string) (first bool, writes int64, err error)
}

// Observer receives one record per dispatched interaction (metrics). Outcome is one of
// "ok", "user_error", "error", "panic", "duplicate", "unknown", "unavailable", "rate_limited".
// Path is a registered route path, or "unknown".
type Observer interface {
	Observe(kind, path, outcome string, seconds float64, deferred bool)
}

// EditParts reads what an edit sets: its content, embeds and components (zero values where it sets none).
func EditParts(e *discordgo.WebhookEdit) (content string, embeds []*discordgo.MessageEmbed, rows []discordgo.MessageComponent) {
	if e.Content != nil {
		content = *e.Content
	}
	if e.Embeds != nil {
		embeds = *e.Embeds
	}
	if e.Components != nil {
		rows = *e.Components
	}
	return content, embeds, rows
}
