package commandstest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

// Guild is the test server's ID; OtherGuild is a second server for isolation tests.
const (
	Guild      = "700000000000000001"
	OtherGuild = "700000000000000002"
	AgentRole  = "700000000000000003"
	Channel    = "700000000000000004"
	Updates    = "700000000000000005"
)

// Member is someone acting in the test server.
type Member struct {
	ID, Name string
	Roles    []string
	Perms    int64
	Locale   discordgo.Locale
	Guild    string // defaults to Guild
}

// Announcement is a message posted to a channel.
type Announcement struct {
	Channel string
	Msg     *discordgo.MessageSend
}

// Harness runs interactions through a real router and handlers over a real Redis.
type Harness struct {
	T      testing.TB
	Store  *state.Store
	App    *commands.App
	Router *commands.Router
	Policy *assurance.Policy

	mu        sync.Mutex
	now       time.Time
	announced []Announcement
}

// interactionSeq numbers interactions across every harness of the test binary, so that harnesses sharing
// one Redis (replicas, a "restarted" process) never send two interactions with the same ID, which the
// de-duplication would drop.
var interactionSeq atomic.Int64

// New returns a harness on a fresh key prefix with the clock at 2026-11-27 12:00 UTC.
func New(t testing.TB, opts ...commands.RouterOption) *Harness {
	t.Helper()
	return NewOn(t, statetest.New(t), opts...)
}

// NewOn returns a harness over an existing store (a second "replica", or a "restarted" process).
func NewOn(t testing.TB, store *state.Store, opts ...commands.RouterOption) *Harness {
	t.Helper()
	h := &Harness{T: t, Store: store, Policy: assurance.Default(), now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	cat, err := commands.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h.App = &commands.App{Store: store, Policy: h.Policy, Cat: cat, Announce: h, Log: log}
	base := []commands.RouterOption{commands.WithDeduper(store), commands.WithClock(h.Now)}
	h.Router, err = commands.NewRouter(cat, log, h.App.Routes(), append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Now is the harness clock.
func (h *Harness) Now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

// SetNow moves the clock.
func (h *Harness) SetNow(t time.Time) {
	h.mu.Lock()
	h.now = t
	h.mu.Unlock()
}

// Today sets the clock to noon UTC of a YYYY-MM-DD date.
func (h *Harness) Today(date string) {
	d, err := assurance.ParseDate(date)
	if err != nil {
		h.T.Fatal(err)
	}
	h.SetNow(d.Time().Add(12 * time.Hour))
}

// Announce records an announcement.
func (h *Harness) Announce(_ context.Context, channelID string, m *discordgo.MessageSend) error {
	if err := commands.ValidateMessage(m.Content, m.Embeds, m.Components); err != nil {
		h.T.Errorf("announcement breaks Discord's limits: %v", err)
	}
	h.mu.Lock()
	h.announced = append(h.announced, Announcement{Channel: channelID, Msg: m})
	h.mu.Unlock()
	return nil
}

// Announced returns the announcements so far.
func (h *Harness) Announced() []Announcement {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Announcement(nil), h.announced...)
}

// Buyer is a plain member.
func (h *Harness) Buyer(name string) Member { return Member{ID: h.userID(name), Name: name} }

// Agent is a member holding the agent role (the harness configures the role in the server's settings).
func (h *Harness) Agent(name string) Member {
	st, err := h.Store.Settings(context.Background(), Guild)
	if err != nil {
		h.T.Fatal(err)
	}
	if st.AgentRole != AgentRole {
		st.AgentRole = AgentRole
		if err := h.Store.SaveSettings(context.Background(), Guild, st); err != nil {
			h.T.Fatal(err)
		}
	}
	return Member{ID: h.userID(name), Name: name, Roles: []string{AgentRole}}
}

// Moderator is a member with Manage Server.
func (h *Harness) Moderator(name string) Member {
	return Member{ID: h.userID(name), Name: name, Perms: discordgo.PermissionManageGuild}
}

// userID derives a stable snowflake-like ID from a name.
func (h *Harness) userID(name string) string {
	var n uint64 = 14695981039346656037
	for _, c := range []byte(name) {
		n = (n ^ uint64(c)) * 1099511628211
	}
	return strconv.FormatUint(600000000000000000+n%100000000000000000, 10)
}

// Definitions are the bot's command definitions.
func (h *Harness) Definitions() []*discordgo.ApplicationCommand { return h.App.Definitions() }

// Command runs a console-syntax command line ("/order create supplier:Acme total:10") as m.
// A line Discord's client would refuse (unknown option) fails the test.
func (h *Harness) Command(m Member, line string) *Recorder {
	h.T.Helper()
	return h.Dispatch(m, discordgo.InteractionApplicationCommand, h.commandData(line), nil)
}

// commandData is the data of a command interaction for a console-syntax line.
func (h *Harness) commandData(line string) map[string]any {
	h.T.Helper()
	data, err := commands.ParseCommandLine(h.Definitions(), line, h.resolve)
	if err != nil {
		h.T.Fatalf("%s: %v", line, err)
	}
	return data
}

// resolve turns a name typed for a user, role or channel option into its ID: @name is the member
// of that name, @agents the agent role, #updates the updates channel.
func (h *Harness) resolve(kind, name string) string {
	switch {
	case kind == "user":
		return h.userID(name)
	case kind == "role" && name == "agents":
		return AgentRole
	case kind == "channel" && name == "updates":
		return Updates
	}
	return h.userID(kind + name)
}

// Autocomplete sends an autocomplete interaction for line with the named option focused.
// An option typed with nothing after its colon ("order:") is sent as the empty text, as Discord does.
func (h *Harness) Autocomplete(m Member, line, focused string) *Recorder {
	h.T.Helper()
	empty := regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(focused) + `:(\s|$)`)
	blank := empty.MatchString(line)
	if blank {
		line = empty.ReplaceAllString(line, "${1}"+focused+":0${2}")
	}
	data, err := commands.ParseCommandLine(h.Definitions(), line, func(kind, name string) string { return name })
	if err != nil {
		if _, ok := err.(*commands.OptionError); !ok {
			h.T.Fatalf("%s: %v", line, err)
		}
	}
	markFocused(data, focused, blank)
	return h.Dispatch(m, discordgo.InteractionApplicationCommandAutocomplete, data, nil)
}

func markFocused(node map[string]any, name string, blank bool) {
	opts, _ := node["options"].([]map[string]any)
	for _, o := range opts {
		if o["name"] == name {
			o["focused"] = true
			o["value"] = jsonString(o["value"])
			if blank {
				o["value"] = ""
			}
		}
		markFocused(o, name, blank)
	}
}

// jsonString renders an autocomplete value as Discord does: the typed text, always a string.
func jsonString(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if len(s) >= 2 && s[0] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// Click presses the component with customID on msg (values for a select menu).
func (h *Harness) Click(m Member, msg Message, customID string, values ...string) *Recorder {
	h.T.Helper()
	if customID == "" {
		h.T.Fatalf("click: no such component in message:\n%s", msg.Text())
	}
	data, message := clickData(msg, customID, values)
	return h.Dispatch(m, discordgo.InteractionMessageComponent, data, message)
}

// clickData is the data and message of a component interaction.
func clickData(msg Message, customID string, values []string) (data, message map[string]any) {
	typ := discordgo.ButtonComponent
	if values != nil {
		typ = discordgo.SelectMenuComponent
	}
	data = map[string]any{"custom_id": customID, "component_type": int(typ)}
	if values != nil {
		data["values"] = values
	}
	return data, map[string]any{"id": "1", "channel_id": Channel, "components": msg.Components, "flags": int(msg.Flags)}
}

// Submit sends a modal submission with the given field values.
func (h *Harness) Submit(m Member, customID string, fields map[string]string) *Recorder {
	h.T.Helper()
	var rows []map[string]any
	for id, v := range fields {
		rows = append(rows, map[string]any{"type": 1, "components": []map[string]any{{"type": 4, "custom_id": id, "value": v}}})
	}
	return h.Dispatch(m, discordgo.InteractionModalSubmit, map[string]any{"custom_id": customID, "components": rows}, nil)
}

// Interaction builds the interaction JSON Discord would send and decodes it with discordgo.
func (h *Harness) Interaction(m Member, typ discordgo.InteractionType, data map[string]any, message map[string]any) *discordgo.Interaction {
	h.T.Helper()
	in := &discordgo.Interaction{}
	if err := json.Unmarshal(h.InteractionJSON(m, typ, data, message), in); err != nil {
		h.T.Fatalf("decode interaction: %v", err)
	}
	return in
}

// InteractionJSON is the raw interaction JSON Discord would send (the body of an HTTP interaction).
// Each call makes a new interaction ID whose snowflake time is the harness clock.
func (h *Harness) InteractionJSON(m Member, typ discordgo.InteractionType, data map[string]any, message map[string]any) []byte {
	h.T.Helper()
	guild := m.Guild
	if guild == "" {
		guild = Guild
	}
	loc := m.Locale
	if loc == "" {
		loc = discordgo.EnglishUS
	}
	roles := m.Roles
	if roles == nil {
		roles = []string{}
	}
	created := h.Now().UnixMilli() - 1420070400000
	raw := map[string]any{
		"id": strconv.FormatInt(created<<22|interactionSeq.Add(1)&(1<<22-1), 10), "application_id": "700000000000000000", "type": int(typ),
		"guild_id": guild, "channel_id": Channel, "token": "test-token", "version": 1, "locale": string(loc),
		"member": map[string]any{
			"user": map[string]any{"id": m.ID, "username": m.Name}, "roles": roles, "permissions": strconv.FormatInt(m.Perms, 10),
		},
		"data": data,
	}
	if message != nil {
		raw["message"] = message
	}
	b, err := json.Marshal(raw)
	if err != nil {
		h.T.Fatal(err)
	}
	return b
}

// CommandJSON is the raw JSON of a console-syntax command line run by m (see Command).
func (h *Harness) CommandJSON(m Member, line string) []byte {
	h.T.Helper()
	return h.InteractionJSON(m, discordgo.InteractionApplicationCommand, h.commandData(line), nil)
}

// ClickJSON is the raw JSON of pressing customID on msg (see Click).
func (h *Harness) ClickJSON(m Member, msg Message, customID string, values ...string) []byte {
	h.T.Helper()
	if customID == "" {
		h.T.Fatalf("click: no such component in message:\n%s", msg.Text())
	}
	data, message := clickData(msg, customID, values)
	return h.InteractionJSON(m, discordgo.InteractionMessageComponent, data, message)
}

// Dispatch sends an interaction through the router and returns the recorded answers.
func (h *Harness) Dispatch(m Member, typ discordgo.InteractionType, data map[string]any, message map[string]any) *Recorder {
	h.T.Helper()
	rec := NewRecorder(h.T)
	if err := h.Router.Dispatch(context.Background(), h.Interaction(m, typ, data, message), rec); err != nil {
		h.T.Fatalf("dispatch: %v", err)
	}
	return rec
}
