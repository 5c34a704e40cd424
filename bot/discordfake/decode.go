package discordfake

import (
	"encoding/json"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// Callback is an interaction callback as the fake received it.
type Callback struct {
	Type     discordgo.InteractionResponseType
	Data     *discordgo.Message // content, embeds, components and flags (nil when the callback has no data)
	Choices  []*discordgo.ApplicationCommandOptionChoice
	CustomID string // modals
	Title    string // modals
}

// Callback decodes the body of a RouteCallback request.
func (r Request) Callback() (*Callback, error) {
	var raw struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &raw); err != nil {
		return nil, fmt.Errorf("decode callback: %w", err)
	}
	cb := &Callback{Type: raw.Type}
	if len(raw.Data) == 0 || string(raw.Data) == "null" {
		return cb, nil
	}
	var extra struct {
		Choices  []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
		CustomID string                                      `json:"custom_id"`
		Title    string                                      `json:"title"`
	}
	if err := json.Unmarshal(raw.Data, &extra); err != nil {
		return nil, fmt.Errorf("decode callback data: %w", err)
	}
	cb.Choices, cb.CustomID, cb.Title = extra.Choices, extra.CustomID, extra.Title
	cb.Data = &discordgo.Message{}
	if err := json.Unmarshal(raw.Data, cb.Data); err != nil {
		return nil, fmt.Errorf("decode callback data: %w", err)
	}
	return cb, nil
}

// Message decodes a message body: an edit, a follow-up or a channel message.
func (r Request) Message() (*discordgo.Message, error) {
	m := &discordgo.Message{}
	if err := json.Unmarshal(r.Body, m); err != nil {
		return nil, fmt.Errorf("decode message: %w", err)
	}
	return m, nil
}

// Commands decodes the body of a RouteCommands request.
func (r Request) Commands() ([]*discordgo.ApplicationCommand, error) {
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(r.Body, &cmds); err != nil {
		return nil, fmt.Errorf("decode commands: %w", err)
	}
	return cmds, nil
}
