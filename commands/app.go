package commands

import (
	"log/slog"
	"sort"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// App holds what handlers need: the store, the catalog, the announcer and the logger.
// Nothing here is global; transports build one App and hand its routes to a Router.
type App struct {
	Store    *state.Store
	Policy   *assurance.Policy
	Cat      *Catalog
	Announce Announcer
	Log      *slog.Logger
}

// Spec describes one slash command or subcommand: its options, handlers and how the router treats it.
// Option descriptions are catalog keys; Definitions turns them into texts and localizations.
type Spec struct {
	Command      string // top-level name, e.g. "order"
	Sub          string // subcommand name, "" for a command without subcommands
	Options      []*discordgo.ApplicationCommandOption
	Handle       Handler
	Autocomplete Handler // answers autocomplete for this (sub)command
	OpensModal   bool
	Public       bool  // the answer (and any deferral) is visible to the channel
	Write        bool  // changes state: counts against the member's write rate limit
	ReadOnly     bool  // changes nothing: claimed with its first read (see Route.ReadOnly)
	Permissions  int64 // default_member_permissions for the top-level command (0 = everyone)
}

// Path is the router path of the spec: "order create" or "help".
func (s Spec) Path() string { return strings.TrimSpace(s.Command + " " + s.Sub) }

// descKey is the catalog key of a command's or option's description.
func descKey(parts ...string) string { return "cmd." + strings.Join(parts, ".") }

// specs lists every command of the bot. Each command file contributes its specs here.
func (a *App) specs() []Spec {
	specs := []Spec{
		a.helpSpec(),
		a.orderCreateSpec(), a.orderShowSpec(), a.orderTimelineSpec(), a.orderListSpec(), a.orderUpdateSpec(),
		a.orderPaySpec(), a.orderChangeSpec(), a.orderInspectionSpec(), a.orderCancelSpec(), a.orderExportSpec(),
		a.supplierSetSpec(), a.supplierShowSpec(),
		a.eligibilityOrderSpec(), a.eligibilityQuickSpec(), a.paymentMethodsSpec(), a.guideSpec(),
	}
	specs = append(specs, a.setupSpecs()...)
	return append(specs, a.disputeSpecs()...)
}

// components lists the routes of buttons, menus and forms.
func (a *App) components() []Route {
	var routes []Route
	for _, rs := range [][]Route{a.specsRoutes(), a.timelineRoutes(), a.listRoutes(), a.changeRoutes(), a.ackRoutes(), a.eligibilityRoutes(), a.disputeRoutes()} {
		routes = append(routes, rs...)
	}
	return routes
}

// Routes returns every route of the bot for a Router.
func (a *App) Routes() []Route {
	var routes []Route
	for _, s := range a.specs() {
		routes = append(routes, Route{Type: discordgo.InteractionApplicationCommand, Path: s.Path(), Handle: s.Handle, OpensModal: s.OpensModal, Public: s.Public, Write: s.Write, ReadOnly: s.ReadOnly})
		if s.Autocomplete != nil {
			routes = append(routes, Route{Type: discordgo.InteractionApplicationCommandAutocomplete, Path: s.Path(), Handle: s.Autocomplete})
		}
	}
	return append(routes, a.components()...)
}

// Definitions builds the application commands to register with Discord, with English texts and
// localizations for every other catalog language.
func (a *App) Definitions() []*discordgo.ApplicationCommand {
	byName := map[string]*discordgo.ApplicationCommand{}
	var names []string
	for _, s := range a.specs() {
		cmd, ok := byName[s.Command]
		if !ok {
			cmd = &discordgo.ApplicationCommand{Name: s.Command, Type: discordgo.ChatApplicationCommand}
			var loc map[discordgo.Locale]string
			a.describe(&cmd.Description, &loc, descKey(s.Command))
			if loc != nil {
				cmd.DescriptionLocalizations = &loc
			}
			ctx := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
			cmd.Contexts = &ctx
			if s.Permissions != 0 {
				p := s.Permissions
				cmd.DefaultMemberPermissions = &p
			}
			byName[s.Command] = cmd
			names = append(names, s.Command)
		}
		path := []string{s.Command}
		if s.Sub != "" {
			path = append(path, s.Sub)
		}
		opts := a.localizeOptions(s.Options, path)
		if s.Sub == "" {
			cmd.Options = opts
			continue
		}
		sub := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: s.Sub, Options: opts}
		a.describe(&sub.Description, &sub.DescriptionLocalizations, descKey(s.Command, s.Sub))
		cmd.Options = append(cmd.Options, sub)
	}
	sort.Strings(names)
	out := make([]*discordgo.ApplicationCommand, 0, len(names))
	for _, n := range names {
		out = append(out, byName[n])
	}
	return out
}

// localizeOptions copies option definitions, replacing catalog keys with texts.
func (a *App) localizeOptions(in []*discordgo.ApplicationCommandOption, path []string) []*discordgo.ApplicationCommandOption {
	out := make([]*discordgo.ApplicationCommandOption, 0, len(in))
	for _, o := range in {
		c := *o
		key := descKey(append(append([]string{}, path...), o.Name)...)
		a.describe(&c.Description, &c.DescriptionLocalizations, key)
		c.Choices = nil
		for _, ch := range o.Choices {
			cc := *ch
			// A choice's Name holds its catalog key; its Value is what the handler receives.
			loc := map[discordgo.Locale]string{}
			cc.Name = a.text(DefaultLanguage, ch.Name)
			for _, l := range a.Cat.Languages() {
				if l != DefaultLanguage {
					loc[discordgo.Locale(l)] = a.text(l, ch.Name)
				}
			}
			if len(loc) > 0 {
				cc.NameLocalizations = loc
			}
			c.Choices = append(c.Choices, &cc)
		}
		out = append(out, &c)
	}
	return out
}

func (a *App) text(lang, key string) string { return a.Cat.For(discordgo.Locale(lang)).T(key) }

// describe fills a description and its localizations from a catalog key.
func (a *App) describe(desc *string, loc *map[discordgo.Locale]string, key string) {
	*desc = a.text(DefaultLanguage, key)
	m := map[discordgo.Locale]string{}
	for _, l := range a.Cat.Languages() {
		if l != DefaultLanguage {
			m[discordgo.Locale(l)] = a.text(l, key)
		}
	}
	if len(m) > 0 {
		*loc = m
	}
}

// Help lines: every command path with its description, for /help and the console.
func (a *App) helpLines(p Printer) []string {
	var lines []string
	for _, s := range a.specs() {
		key := descKey(s.Command)
		if s.Sub != "" {
			key = descKey(s.Command, s.Sub)
		}
		lines = append(lines, "`/"+s.Path()+"` "+p.T(key))
	}
	return lines
}

// batch starts a batch of reads that also carries a read-only interaction's idempotency claim, so
// claim and reads take one round trip.
func (a *App) batch(r *Request) *state.Batch {
	b := a.Store.Batch()
	if r.claim != nil && r.claim.first == nil {
		r.claim.first = b.Claim(r.I.ID)
	}
	return b
}

// ServerPrinter returns the printer for a server's public announcements: the language chosen in /setup,
// else the server's Discord locale, else English.
func (a *App) ServerPrinter(r *Request, st state.Settings) Printer {
	if st.Locale != "" {
		return a.Cat.For(discordgo.Locale(st.Locale))
	}
	if r.I.GuildLocale != nil {
		return a.Cat.For(*r.I.GuildLocale)
	}
	return a.Cat.For(DefaultLanguage)
}
