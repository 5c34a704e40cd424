package bot

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/state"
)

// The console's fake server.
const (
	consoleGuild      = "900000000000000001"
	consoleChannel    = "900000000000000002"
	consoleAgentRole  = "900000000000000003"
	consoleUpdatesTag = "updates"
)

// Console is a local REPL that behaves like a Discord channel: slash commands typed as text, replies
// rendered as text, buttons and menu options numbered, forms filled field by field.
type Console struct {
	Router      *commands.Router
	Definitions []*discordgo.ApplicationCommand
	Store       *state.Store
	In          io.Reader
	Out         io.Writer
	Interactive bool // prompt and keep going on errors; false runs a script
	Locale      discordgo.Locale
	Now         func() time.Time // clock for interaction IDs (time.Now when nil)

	clockMu sync.Mutex
	fixed   time.Time // the console's clock when set with :clock (or by a test); zero = real time

	ids     snowflakes
	mu      sync.Mutex
	user    consoleUser
	users   map[string]consoleUser
	last    *shownMessage // the latest message with components
	scanner *bufio.Scanner
	failed  bool
	names   map[string]string // IDs handed out for names (users, roles, channels)
}

type consoleUser struct {
	name string
	id   string
	role string // member, agent, moderator
}

// shownMessage is a message the console printed, with its numbered components.
type shownMessage struct {
	id      string
	rows    []discordgo.MessageComponent
	choices []choice
}

// choice is one numbered thing to press: a button, or an option of a select menu.
type choice struct {
	customID string
	kind     discordgo.ComponentType
	value    string // select option value
}

// Clock is the console's clock: the moment set with :clock (or SetClock), else the Now field, else
// real time. The router built for the console uses it, so scripts get the same timestamps on every run.
func (c *Console) Clock() time.Time {
	c.clockMu.Lock()
	fixed := c.fixed
	c.clockMu.Unlock()
	switch {
	case !fixed.IsZero():
		return fixed
	case c.Now != nil:
		return c.Now()
	}
	return time.Now()
}

// SetClock stops the console's clock at t (zero: real time again).
func (c *Console) SetClock(t time.Time) {
	c.clockMu.Lock()
	c.fixed = t.UTC()
	c.clockMu.Unlock()
}

// clock runs ":clock": a moment (2026-11-27 or 2026-11-27T10:00), a step forward (+2h, +3d), or "now".
func (c *Console) clock(arg string) error {
	switch {
	case arg == "now":
		c.SetClock(time.Time{})
		return nil
	case strings.HasPrefix(arg, "+") && strings.HasSuffix(arg, "d"):
		days, err := strconv.Atoi(strings.TrimSuffix(arg[1:], "d"))
		if err != nil {
			return fmt.Errorf("%q: write +3d or +2h", arg)
		}
		c.SetClock(c.Clock().AddDate(0, 0, days))
		return nil
	case strings.HasPrefix(arg, "+"):
		d, err := time.ParseDuration(arg[1:])
		if err != nil {
			return fmt.Errorf("%q: write +3d or +2h", arg)
		}
		c.SetClock(c.Clock().Add(d))
		return nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, arg); err == nil {
			c.SetClock(t)
			return nil
		}
	}
	return fmt.Errorf("%q: write 2026-11-27, 2026-11-27T10:00, +3d, +2h or now", arg)
}

// Run reads lines until :quit or the end of input. In script mode it returns an error when any line
// could not be parsed (the caller exits 1).
func (c *Console) Run(ctx context.Context) error {
	c.users = map[string]consoleUser{}
	c.names = map[string]string{}
	c.user = c.userNamed("alice")
	c.scanner = bufio.NewScanner(c.In)
	c.scanner.Buffer(make([]byte, 64*1024), 1024*1024)
	if c.Interactive {
		c.printf("TradeGuard console. You are %s (%s). Type /help for commands, :help for console keys, :quit to leave.\n", c.user.name, c.user.role)
	}
	for {
		if c.Interactive {
			c.printf("%s> ", c.user.name)
		}
		line, ok := c.readLine()
		if !ok {
			break
		}
		if !c.Interactive && strings.TrimSpace(line) != "" {
			c.printf("%s> %s\n", c.user.name, line)
		}
		if quit := c.handle(ctx, line); quit {
			break
		}
	}
	if err := c.scanner.Err(); err != nil {
		return fmt.Errorf("read console input: %w", err)
	}
	if c.failed {
		return errors.New("some lines could not be parsed")
	}
	return nil
}

func (c *Console) readLine() (string, bool) {
	if !c.scanner.Scan() {
		return "", false
	}
	return strings.TrimRight(c.scanner.Text(), "\r"), true
}

func (c *Console) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.Out, format, args...)
}

// problem reports a line that could not be parsed.
func (c *Console) problem(format string, args ...any) {
	c.failed = true
	c.printf("! "+format+"\n", args...)
}

// handle runs one line; it reports true for :quit.
func (c *Console) handle(ctx context.Context, line string) bool {
	line = strings.TrimSpace(line)
	switch {
	case line == "" || strings.HasPrefix(line, "#"):
	case strings.HasPrefix(line, ":"):
		return c.meta(ctx, line)
	case strings.HasPrefix(line, "/"):
		c.command(ctx, line)
	default:
		c.press(ctx, line)
	}
	return false
}

// meta runs a console key: :as, :role, :help, :quit.
func (c *Console) meta(ctx context.Context, line string) bool {
	words := strings.Fields(line)
	switch words[0] {
	case ":quit", ":q", ":exit":
		return true
	case ":help":
		c.printf("%s", consoleHelp)
	case ":as":
		if len(words) != 2 {
			c.problem(":as needs a name, for example :as bob")
			break
		}
		c.user = c.userNamed(words[1])
		c.printf("(you are now %s, %s)\n", c.user.name, c.user.role)
	case ":clock":
		if len(words) != 2 {
			c.problem(":clock needs a time, for example :clock 2026-11-27T10:00, :clock +3d or :clock now")
			break
		}
		if err := c.clock(words[1]); err != nil {
			c.problem("%v", err)
			break
		}
		c.printf("(it is now %s)\n", c.Clock().Format("2006-01-02 15:04 UTC"))
	case ":lang":
		if len(words) != 2 {
			c.problem(":lang needs a Discord locale, for example :lang zh-TW (en-US, zh-TW, zh-CN)")
			break
		}
		c.Locale = discordgo.Locale(words[1])
		c.printf("(your Discord client now speaks %s)\n", words[1])
	case ":role":
		if len(words) != 2 || (words[1] != "member" && words[1] != "agent" && words[1] != "moderator") {
			c.problem(":role needs member, agent or moderator")
			break
		}
		if words[1] == "agent" {
			if err := c.ensureAgentRole(ctx); err != nil {
				c.printf("! %v\n", err)
				break
			}
		}
		c.user.role = words[1]
		c.users[c.user.name] = c.user
		c.printf("(%s is now %s)\n", c.user.name, c.user.role)
	default:
		c.problem("unknown console key %s (type :help)", words[0])
	}
	return false
}

const consoleHelp = `Console keys:
  /command sub option:value option:"two words"   run a slash command
  N  or  N M ...                                 press button N, or pick option(s) N (M ...) of a menu
  :as NAME                                       act as another member
  :role member|agent|moderator                   set the acting member's role
  :clock 2026-11-27T10:00 | +3d | +2h | now      set or move the console's clock
  :lang en-US|zh-TW|zh-CN                        set the language of your Discord client
  :help                                          this text
  :quit                                          leave
Forms are filled field by field: type each value when asked (an empty line leaves it empty).
`

// ensureAgentRole makes sure the console server has an agent role for :role agent.
func (c *Console) ensureAgentRole(ctx context.Context) error {
	st, err := c.Store.Settings(ctx, consoleGuild)
	if err != nil {
		return fmt.Errorf("read settings: %w", err)
	}
	if st.AgentRole == "" {
		st.AgentRole = consoleAgentRole
		c.names["role:agents"] = consoleAgentRole
		if err := c.Store.SaveSettings(ctx, consoleGuild, st); err != nil {
			return fmt.Errorf("save settings: %w", err)
		}
	}
	return nil
}

func (c *Console) userNamed(name string) consoleUser {
	if u, ok := c.users[name]; ok {
		return u
	}
	u := consoleUser{name: name, id: c.idFor("user", name), role: "member"}
	c.users[name] = u
	return u
}

// idFor hands out a stable snowflake for a named user, role or channel.
func (c *Console) idFor(kind, name string) string {
	k := kind + ":" + name
	if id, ok := c.names[k]; ok {
		return id
	}
	id := strconv.FormatInt(800000000000000000+int64(len(c.names)+1), 10)
	if k == "role:agents" {
		id = consoleAgentRole
	}
	if k == "channel:"+consoleUpdatesTag {
		id = consoleChannel
	}
	c.names[k] = id
	return id
}

// nameFor finds the name behind an ID handed out by idFor.
func (c *Console) nameFor(id string) string {
	for k, v := range c.names {
		if v == id {
			_, n, _ := strings.Cut(k, ":")
			return n
		}
	}
	return id
}

// member is the acting member as Discord would send it.
func (c *Console) member() map[string]any {
	roles := []string{}
	perms := int64(discordgo.PermissionViewChannel | discordgo.PermissionSendMessages)
	switch c.user.role {
	case "agent":
		roles = append(roles, consoleAgentRole)
	case "moderator":
		perms |= discordgo.PermissionManageGuild
	}
	return map[string]any{
		"user":        map[string]any{"id": c.user.id, "username": c.user.name, "global_name": c.user.name},
		"roles":       roles,
		"permissions": strconv.FormatInt(perms, 10),
	}
}

// interaction builds an interaction of the given type and decodes it with discordgo's own decoder.
func (c *Console) interaction(typ discordgo.InteractionType, data map[string]any, msg *shownMessage) (*discordgo.Interaction, error) {
	raw := map[string]any{
		"id": c.ids.next(c.Clock()), "application_id": "900000000000000000", "type": int(typ),
		"guild_id": consoleGuild, "channel_id": consoleChannel, "member": c.member(),
		"token": "console", "version": 1, "locale": string(c.locale()), "guild_locale": string(c.locale()),
		"data": data,
	}
	if msg != nil {
		raw["message"] = map[string]any{"id": msg.id, "channel_id": consoleChannel, "components": msg.rows}
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("encode interaction: %w", err)
	}
	in := &discordgo.Interaction{}
	if err := json.Unmarshal(b, in); err != nil {
		return nil, fmt.Errorf("decode interaction: %w", err)
	}
	return in, nil
}

func (c *Console) locale() discordgo.Locale {
	if c.Locale == "" {
		return discordgo.EnglishUS
	}
	return c.Locale
}

// command runs a typed slash command.
func (c *Console) command(ctx context.Context, line string) {
	data, err := commands.ParseCommandLine(c.Definitions, line, c.idFor)
	var oe *commands.OptionError
	if errors.As(err, &oe) {
		c.printf("! %s\n", oe.Msg)
		return
	}
	if err != nil {
		c.problem("%v", err)
		return
	}
	in, err := c.interaction(discordgo.InteractionApplicationCommand, data, nil)
	if err != nil {
		c.problem("%v", err)
		return
	}
	c.dispatch(ctx, in)
}

// press handles "N" (a button or one menu option) or "N M ..." (several options of one menu).
func (c *Console) press(ctx context.Context, line string) {
	if c.last == nil {
		c.problem("%q: nothing to press (no message with buttons or menus yet)", line)
		return
	}
	var picked []choice
	for _, w := range strings.Fields(strings.ReplaceAll(line, ",", " ")) {
		n, err := strconv.Atoi(w)
		if err != nil || n < 1 || n > len(c.last.choices) {
			c.problem("%q: type a number from 1 to %d", line, len(c.last.choices))
			return
		}
		picked = append(picked, c.last.choices[n-1])
	}
	first := picked[0]
	data := map[string]any{"custom_id": first.customID, "component_type": int(first.kind)}
	if first.kind == discordgo.SelectMenuComponent {
		values := []string{}
		for _, p := range picked {
			if p.customID != first.customID || p.kind != discordgo.SelectMenuComponent {
				c.problem("%q: pick several options of one menu only", line)
				return
			}
			values = append(values, p.value)
		}
		data["values"] = values
	} else if len(picked) > 1 {
		c.problem("%q: press one button at a time", line)
		return
	}
	in, err := c.interaction(discordgo.InteractionMessageComponent, data, c.last)
	if err != nil {
		c.problem("%v", err)
		return
	}
	c.dispatch(ctx, in)
}

// dispatch sends an interaction through the router and renders whatever it answers.
func (c *Console) dispatch(ctx context.Context, in *discordgo.Interaction) {
	r := &consoleResponder{c: c, in: in}
	if err := c.Router.Dispatch(ctx, in, r); err != nil {
		c.printf("! could not answer: %v\n", err)
	}
	if r.modal != nil {
		c.fillModal(ctx, r.modal)
	}
}

// fillModal asks for each field of a form and submits it.
func (c *Console) fillModal(ctx context.Context, d *discordgo.InteractionResponseData) {
	c.printf("── form: %s ──\n", d.Title)
	var rows []map[string]any
	for _, rc := range d.Components {
		row, ok := rc.(discordgo.ActionsRow)
		if !ok {
			if p, ok2 := rc.(*discordgo.ActionsRow); ok2 {
				row = *p
			}
		}
		for _, comp := range row.Components {
			in, ok := comp.(discordgo.TextInput)
			if !ok {
				if p, ok2 := comp.(*discordgo.TextInput); ok2 {
					in = *p
				}
			}
			hint := ""
			if in.Required {
				hint = " (required)"
			}
			if in.Placeholder != "" {
				hint += " e.g. " + in.Placeholder
			}
			if in.Value != "" {
				hint += " [now: " + in.Value + "]"
			}
			c.printf("%s%s: ", in.Label, hint)
			v, ok := c.readLine()
			if !ok {
				c.printf("\n(form abandoned)\n")
				return
			}
			if !c.Interactive {
				c.printf("%s\n", v)
			}
			rows = append(rows, map[string]any{"type": 1, "components": []map[string]any{{"type": 4, "custom_id": in.CustomID, "value": v}}})
		}
	}
	in, err := c.interaction(discordgo.InteractionModalSubmit, map[string]any{"custom_id": d.CustomID, "components": rows}, nil)
	if err != nil {
		c.problem("%v", err)
		return
	}
	c.dispatch(ctx, in)
}

// consoleResponder renders answers as text.
type consoleResponder struct {
	c     *Console
	in    *discordgo.Interaction
	modal *discordgo.InteractionResponseData
}

func (r *consoleResponder) Respond(_ context.Context, resp *discordgo.InteractionResponse) error {
	d := resp.Data
	if d == nil {
		d = &discordgo.InteractionResponseData{}
	}
	switch resp.Type {
	case discordgo.InteractionResponseModal:
		r.modal = d
	case discordgo.InteractionResponseDeferredChannelMessageWithSource, discordgo.InteractionResponseDeferredMessageUpdate:
		r.c.printf("(TradeGuard is thinking…)\n")
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		for i, ch := range d.Choices {
			r.c.printf("  %d. %s\n", i+1, ch.Name)
		}
	case discordgo.InteractionResponseUpdateMessage:
		r.c.render("(message updated)", r.messageID(), d.Content, d.Embeds, d.Components, d.Files, d.Flags)
	default:
		r.c.render("", r.in.ID, d.Content, d.Embeds, d.Components, d.Files, d.Flags)
	}
	return nil
}

func (r *consoleResponder) messageID() string {
	if r.in.Message != nil {
		return r.in.Message.ID
	}
	return r.in.ID
}

func (r *consoleResponder) Edit(_ context.Context, e *discordgo.WebhookEdit) error {
	content, embeds, rows := commands.EditParts(e)
	r.c.render("(edited)", r.messageID(), content, embeds, rows, e.Files, 0)
	return nil
}

func (r *consoleResponder) Followup(_ context.Context, m *discordgo.WebhookParams) error {
	r.c.render("", r.c.ids.next(r.c.Clock()), m.Content, m.Embeds, m.Components, m.Files, m.Flags)
	return nil
}

// Announce prints a message posted in a channel (the updates channel).
func (c *Console) Announce(_ context.Context, channelID string, m *discordgo.MessageSend) error {
	c.render("[#"+c.nameFor(channelID)+"]", c.ids.next(c.Clock()), m.Content, m.Embeds, m.Components, m.Files, 0)
	return nil
}
