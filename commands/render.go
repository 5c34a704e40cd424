package commands

import "github.com/bwmarrin/discordgo"

// Embed colours.
const (
	colorInfo    = 0x3B82F6
	colorOK      = 0x16A34A
	colorWarn    = 0xD97706
	colorProblem = 0xDC2626
)

// reply is a new message answering a command; ephemeral unless public.
func reply(public bool, content string, embeds []*discordgo.MessageEmbed, rows []discordgo.MessageComponent) *discordgo.InteractionResponse {
	d := &discordgo.InteractionResponseData{Content: content, Embeds: embeds, Components: rows}
	if !public {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: d}
}

// update replaces the message a component is on.
func update(content string, embeds []*discordgo.MessageEmbed, rows []discordgo.MessageComponent) *discordgo.InteractionResponse {
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	if rows == nil {
		rows = []discordgo.MessageComponent{}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: content, Embeds: embeds, Components: rows},
	}
}

// field is an embed field; empty values render as a dash so Discord accepts them.
func field(name, value string, inline bool) *discordgo.MessageEmbedField {
	if value == "" {
		value = "-"
	}
	return &discordgo.MessageEmbedField{Name: name, Value: truncate(value, 1024), Inline: inline}
}

// truncate cuts s to at most n characters, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// button is a component button whose custom_id is built by the codec.
func button(label string, style discordgo.ButtonStyle, id CustomID) discordgo.Button {
	return discordgo.Button{Label: truncate(label, 80), Style: style, CustomID: id.String()}
}

// row groups components into one action row.
func row(c ...discordgo.MessageComponent) discordgo.ActionsRow {
	return discordgo.ActionsRow{Components: c}
}
