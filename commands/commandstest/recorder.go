// Package commandstest drives the real router and handlers in tests: interactions are built as Discord
// would send them (JSON decoded by discordgo), answers are recorded and checked against Discord's limits,
// and the store is a real Redis through statetest.
package commandstest

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands"
)

// Call is one thing the router sent for an interaction.
type Call struct {
	Kind     string // "respond", "edit" or "followup"
	Response *discordgo.InteractionResponse
	Edit     *discordgo.WebhookEdit
	Followup *discordgo.WebhookParams
}

// Message is the visible state of a message: what a member would see.
type Message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Files      map[string]string // name -> content
	Flags      discordgo.MessageFlags
}

// Recorder is a Responder that records every call and checks each against Discord's limits.
type Recorder struct {
	t      testing.TB
	mu     sync.Mutex
	Calls  []Call
	Signal chan Call // receives every call when non-nil (buffered by the creator)
}

// NewRecorder returns a Recorder that fails t on any limit violation.
func NewRecorder(t testing.TB) *Recorder { return &Recorder{t: t} }

func (r *Recorder) add(c Call) {
	r.mu.Lock()
	r.Calls = append(r.Calls, c)
	r.mu.Unlock()
	if r.Signal != nil {
		r.Signal <- c
	}
}

// Respond records the initial response.
func (r *Recorder) Respond(_ context.Context, resp *discordgo.InteractionResponse) error {
	if err := commands.ValidateResponse(resp); err != nil {
		r.t.Errorf("response breaks Discord's limits: %v", err)
	}
	r.mu.Lock()
	for _, c := range r.Calls {
		if c.Kind == "respond" {
			r.t.Errorf("second initial response (Discord answers 40060 already acknowledged)")
		}
	}
	r.mu.Unlock()
	r.add(Call{Kind: "respond", Response: resp})
	return nil
}

// Edit records an edit of the original response.
func (r *Recorder) Edit(_ context.Context, e *discordgo.WebhookEdit) error {
	content, embeds, rows := commands.EditParts(e)
	if err := commands.ValidateMessage(content, embeds, rows); err != nil {
		r.t.Errorf("edit breaks Discord's limits: %v", err)
	}
	r.add(Call{Kind: "edit", Edit: e})
	return nil
}

// Followup records a follow-up message.
func (r *Recorder) Followup(_ context.Context, m *discordgo.WebhookParams) error {
	if err := commands.ValidateMessage(m.Content, m.Embeds, m.Components); err != nil {
		r.t.Errorf("follow-up breaks Discord's limits: %v", err)
	}
	r.add(Call{Kind: "followup", Followup: m})
	return nil
}

// Initial returns the initial response, or nil.
func (r *Recorder) Initial() *discordgo.InteractionResponse {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.Calls {
		if c.Kind == "respond" {
			return c.Response
		}
	}
	return nil
}

// Last returns what the member sees last: the latest message, edit or follow-up.
func (r *Recorder) Last() Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	var m Message
	for _, c := range r.Calls {
		switch c.Kind {
		case "respond":
			if d := c.Response.Data; d != nil {
				m = Message{Content: d.Content, Embeds: d.Embeds, Components: d.Components, Files: readFiles(d.Files), Flags: d.Flags}
			}
		case "edit":
			if c.Edit.Content != nil {
				m.Content = *c.Edit.Content
			}
			if c.Edit.Embeds != nil {
				m.Embeds = *c.Edit.Embeds
			}
			if c.Edit.Components != nil {
				m.Components = *c.Edit.Components
			}
			if len(c.Edit.Files) > 0 {
				m.Files = readFiles(c.Edit.Files)
			}
		case "followup":
			f := c.Followup
			m = Message{Content: f.Content, Embeds: f.Embeds, Components: f.Components, Files: readFiles(f.Files), Flags: f.Flags}
		}
	}
	return m
}

// Modal returns the modal the handler opened, or nil.
func (r *Recorder) Modal() *discordgo.InteractionResponseData {
	if in := r.Initial(); in != nil && in.Type == discordgo.InteractionResponseModal {
		return in.Data
	}
	return nil
}

// Text is everything readable in the last message, joined by newlines (for assertions).
func (r *Recorder) Text() string { return r.Last().Text() }

// Text is the message's readable text: content, embed titles, descriptions, fields, footers, button labels.
func (m Message) Text() string {
	var b strings.Builder
	b.WriteString(m.Content)
	for _, e := range m.Embeds {
		fmt.Fprintf(&b, "\n%s\n%s", e.Title, e.Description)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "\n%s: %s", f.Name, f.Value)
		}
		if e.Footer != nil {
			b.WriteString("\n" + e.Footer.Text)
		}
	}
	for _, c := range m.Components {
		for _, x := range rowItems(c) {
			switch v := x.(type) {
			case discordgo.Button:
				b.WriteString("\n[" + v.Label + "]")
			case discordgo.SelectMenu:
				for _, o := range v.Options {
					b.WriteString("\n<" + o.Label + ">")
				}
			}
		}
	}
	return b.String()
}

// Ephemeral reports whether only the member sees the message.
func (m Message) Ephemeral() bool { return m.Flags&discordgo.MessageFlagsEphemeral != 0 }

// CustomID finds the custom_id of the button whose label contains label, or of the select menu whose
// placeholder or any option label contains it. It returns "" when nothing matches.
func (m Message) CustomID(label string) string {
	for _, c := range m.Components {
		for _, x := range rowItems(c) {
			switch v := x.(type) {
			case discordgo.Button:
				if strings.Contains(v.Label, label) && !v.Disabled {
					return v.CustomID
				}
			case discordgo.SelectMenu:
				if strings.Contains(v.Placeholder, label) {
					return v.CustomID
				}
				for _, o := range v.Options {
					if strings.Contains(o.Label, label) || o.Value == label {
						return v.CustomID
					}
				}
			}
		}
	}
	return ""
}

// CustomIDs lists the custom_ids of the message's enabled buttons and select menus, in order.
func (m Message) CustomIDs() []string {
	var out []string
	for _, c := range m.Components {
		for _, x := range rowItems(c) {
			switch v := x.(type) {
			case discordgo.Button:
				if !v.Disabled && v.CustomID != "" {
					out = append(out, v.CustomID)
				}
			case discordgo.SelectMenu:
				out = append(out, v.CustomID)
			}
		}
	}
	return out
}

// rowItems returns the components of an action row as values.
func rowItems(c discordgo.MessageComponent) []discordgo.MessageComponent {
	var row discordgo.ActionsRow
	switch v := c.(type) {
	case discordgo.ActionsRow:
		row = v
	case *discordgo.ActionsRow:
		row = *v
	default:
		return nil
	}
	out := make([]discordgo.MessageComponent, 0, len(row.Components))
	for _, x := range row.Components {
		switch v := x.(type) {
		case *discordgo.Button:
			out = append(out, *v)
		case *discordgo.SelectMenu:
			out = append(out, *v)
		default:
			out = append(out, x)
		}
	}
	return out
}

func readFiles(files []*discordgo.File) map[string]string {
	if len(files) == 0 {
		return nil
	}
	m := map[string]string{}
	for _, f := range files {
		b, _ := io.ReadAll(f.Reader)
		m[f.Name] = string(b)
		f.Reader = strings.NewReader(string(b))
	}
	return m
}
