package commands

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// languages are the languages of public announcements.
var languages = []string{"en", "zh-TW", "zh-CN"}

func (a *App) setupSpecs() []Spec {
	perm := int64(discordgo.PermissionManageGuild)
	return []Spec{
		{Command: "setup", Sub: "agent-role", Handle: a.setupAgentRole, Permissions: perm, Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionRole, Name: "role", Required: true},
		}},
		{Command: "setup", Sub: "updates-channel", Handle: a.setupChannel, Permissions: perm, Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", Required: true,
				ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}},
		}},
		{Command: "setup", Sub: "language", Handle: a.setupLanguage, Permissions: perm, Options: []*discordgo.ApplicationCommandOption{
			choiceOpt("language", true, choices("language.", languages...)),
		}},
		{Command: "setup", Sub: "show", Handle: a.setupShow, Permissions: perm},
	}
}

// setupField saves one setting from an option, for moderators only, and shows the settings.
func (a *App) setupField(ctx context.Context, r *Request, option, field string, allowed ...string) (*discordgo.InteractionResponse, error) {
	if !r.IsModerator() {
		return nil, Fail("setup.moderators_only")
	}
	v := r.String(option)
	if len(allowed) > 0 {
		var err error
		if v, err = r.Choice(option, allowed...); err != nil {
			return nil, err
		}
	}
	if v == "" {
		return nil, Fail("error.field.required", "field", option)
	}
	if err := a.Store.SaveSetting(ctx, r.Guild, field, v); err != nil {
		return nil, err
	}
	return a.setupShow(ctx, r)
}

func (a *App) setupAgentRole(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	return a.setupField(ctx, r, "role", "agent_role")
}

func (a *App) setupChannel(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	return a.setupField(ctx, r, "channel", "updates_channel")
}

func (a *App) setupLanguage(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	return a.setupField(ctx, r, "language", "locale", languages...)
}

// setupShow shows the server's settings.
func (a *App) setupShow(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	if !r.IsModerator() {
		return nil, Fail("setup.moderators_only")
	}
	st, err := a.Store.Settings(ctx, r.Guild)
	if err != nil {
		return nil, err
	}
	p := r.Msg
	mention := func(prefix, id string) string {
		if id == "" {
			return p.T("setup.not_set")
		}
		return prefix + id + ">"
	}
	lang := st.Locale
	if lang == "" {
		lang = DefaultLanguage
	}
	e := &discordgo.MessageEmbed{
		Title: p.T("setup.title"), Color: colorInfo,
		Fields: []*discordgo.MessageEmbedField{
			field(p.T("setup.field.agent_role"), mention("<@&", st.AgentRole), true),
			field(p.T("setup.field.updates_channel"), mention("<#", st.UpdatesChannel), true),
			field(p.T("setup.field.language"), p.T("language."+strings.ToLower(lang)), true),
		},
		Description: p.T("setup.explain"),
	}
	return reply(false, "", []*discordgo.MessageEmbed{e}, nil), nil
}
