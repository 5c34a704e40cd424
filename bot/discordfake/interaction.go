package discordfake

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// Interaction describes an interaction for the fake to create, as Discord would send it. Empty fields get
// defaults: a member "alice" of Guild, in Channel, with locale en-US.
type Interaction struct {
	Type        discordgo.InteractionType
	Data        any // the "data" object
	Message     any // the message a component is on (components only)
	UserID      string
	UserName    string
	Roles       []string
	Permissions int64
	Locale      discordgo.Locale
	GuildID     string
	ChannelID   string
}

// Sent is an interaction the fake created.
type Sent struct {
	ID, Token string
	JSON      []byte // the payload, as INTERACTION_CREATE delivers it
	Seq       int64  // the dispatch's sequence number (0 when only created)
}

// Decode decodes the payload with discordgo, as a transport would.
func (s Sent) Decode() (*discordgo.Interaction, error) {
	in := &discordgo.Interaction{}
	if err := json.Unmarshal(s.JSON, in); err != nil {
		return nil, fmt.Errorf("decode interaction: %w", err)
	}
	return in, nil
}

// NewInteraction creates an interaction with a fresh ID (a snowflake of now) and token, so that the fake
// accepts its callback, edits and follow-ups, without delivering it.
func (f *Fake) NewInteraction(in Interaction) (Sent, error) {
	f.mu.Lock()
	id := f.snowflakeLocked()
	ix := &interaction{id: id, token: "itoken-" + id, typ: in.Type, followups: map[string]bool{}}
	f.interactions[id] = ix
	f.mu.Unlock()

	def := func(v, d string) string {
		if v == "" {
			return d
		}
		return v
	}
	roles := in.Roles
	if roles == nil {
		roles = []string{}
	}
	raw := map[string]any{
		"id": id, "application_id": AppID, "type": int(in.Type), "token": ix.token, "version": 1,
		"guild_id": def(in.GuildID, Guild), "channel_id": def(in.ChannelID, Channel),
		"locale": def(string(in.Locale), string(discordgo.EnglishUS)), "guild_locale": string(discordgo.EnglishUS),
		"app_permissions": "0",
		"member": map[string]any{
			"user":        map[string]any{"id": def(in.UserID, "900000000000000001"), "username": def(in.UserName, "alice")},
			"roles":       roles,
			"permissions": strconv.FormatInt(in.Permissions, 10),
		},
		"data": in.Data,
	}
	if in.Message != nil {
		raw["message"] = in.Message
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return Sent{}, fmt.Errorf("encode interaction: %w", err)
	}
	return Sent{ID: id, Token: ix.token, JSON: b}, nil
}

// Interact creates an interaction and delivers it to the connected session as INTERACTION_CREATE.
func (f *Fake) Interact(in Interaction) (Sent, error) {
	s, err := f.NewInteraction(in)
	if err != nil {
		return Sent{}, err
	}
	s.Seq, err = f.Dispatch("INTERACTION_CREATE", json.RawMessage(s.JSON))
	return s, err
}
