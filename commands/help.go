package commands

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"
)

func (a *App) helpSpec() Spec {
	return Spec{Command: "help", Handle: a.help, ReadOnly: true}
}

// help lists what the bot does and every command, one line each.
func (a *App) help(_ context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	e := &discordgo.MessageEmbed{
		Title:       r.Msg.T("help.title"),
		Description: r.Msg.T("help.intro") + "\n\n" + strings.Join(a.helpLines(r.Msg), "\n"),
		Footer:      &discordgo.MessageEmbedFooter{Text: r.Msg.T("help.footer")},
		Color:       colorInfo,
	}
	e.Description = truncate(e.Description, 4096)
	return reply(false, "", []*discordgo.MessageEmbed{e}, nil), nil
}
