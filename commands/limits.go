package commands

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's limits (research/discord-protocol.md section 1.2).
const (
	maxContent        = 2000
	maxEmbeds         = 10
	maxEmbedTotal     = 6000
	maxEmbedTitle     = 256
	maxEmbedDesc      = 4096
	maxEmbedFields    = 25
	maxFieldName      = 256
	maxFieldValue     = 1024
	maxFooter         = 2048
	maxAuthor         = 256
	maxRows           = 5
	maxButtonsPerRow  = 5
	maxButtonLabel    = 80
	maxURL            = 512
	maxSelectOptions  = 25
	maxPlaceholder    = 150
	maxOptionText     = 100
	maxModalTitle     = 45
	maxModalRows      = 5
	maxInputLen       = 4000
	maxInputLabel     = 45
	maxInputHint      = 100
	maxChoices        = 25
	maxChoiceName     = 100
	maxCommandOptions = 25
	maxDescription    = 100
	maxCommandSize    = 8000
	maxNameLen        = 32
	maxFiles          = 10
	maxUploadBytes    = 10 << 20 // a bot's upload limit without server boosts
)

var nameRe = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

func runes(s string) int { return utf8.RuneCountInString(s) }

// limitCheck collects limit violations with the path of the offending part.
type limitCheck struct{ errs []error }

func (c *limitCheck) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

func (c *limitCheck) max(what, s string, n int) {
	if runes(s) > n {
		c.fail("%s is %d characters, over %d", what, runes(s), n)
	}
}

// ValidateResponse checks an interaction response against Discord's limits and returns every violation.
func ValidateResponse(resp *discordgo.InteractionResponse) error {
	if resp == nil {
		return errors.New("nil response")
	}
	c := &limitCheck{}
	d := resp.Data
	switch resp.Type {
	case discordgo.InteractionResponsePong, discordgo.InteractionResponseDeferredMessageUpdate:
		return nil
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		if d != nil && d.Flags&^discordgo.MessageFlagsEphemeral != 0 {
			c.fail("deferred response may only carry the ephemeral flag")
		}
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		if d == nil {
			c.fail("autocomplete result without data")
			break
		}
		c.choices(d.Choices)
	case discordgo.InteractionResponseModal:
		if d == nil {
			c.fail("modal without data")
			break
		}
		c.modal(d)
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage:
		if d == nil {
			c.fail("message response without data")
			break
		}
		c.message(d.Content, d.Embeds, d.Components)
		c.files(d.Files)
		if d.Content == "" && len(d.Embeds) == 0 && len(d.Components) == 0 && len(d.Files) == 0 && resp.Type == discordgo.InteractionResponseChannelMessageWithSource {
			c.fail("message is empty")
		}
	default:
		c.fail("unsupported response type %d", resp.Type)
	}
	return errors.Join(c.errs...)
}

// ValidateMessage checks message content, embeds and components (also for edits and announcements).
func ValidateMessage(content string, embeds []*discordgo.MessageEmbed, rows []discordgo.MessageComponent) error {
	c := &limitCheck{}
	c.message(content, embeds, rows)
	return errors.Join(c.errs...)
}

func (c *limitCheck) message(content string, embeds []*discordgo.MessageEmbed, rows []discordgo.MessageComponent) {
	c.max("content", content, maxContent)
	if len(embeds) > maxEmbeds {
		c.fail("%d embeds, over %d", len(embeds), maxEmbeds)
	}
	total := 0
	for i, e := range embeds {
		w := fmt.Sprintf("embed[%d]", i)
		c.max(w+".title", e.Title, maxEmbedTitle)
		c.max(w+".description", e.Description, maxEmbedDesc)
		total += runes(e.Title) + runes(e.Description)
		if len(e.Fields) > maxEmbedFields {
			c.fail("%s has %d fields, over %d", w, len(e.Fields), maxEmbedFields)
		}
		for j, f := range e.Fields {
			fw := fmt.Sprintf("%s.field[%d]", w, j)
			if f.Name == "" || f.Value == "" {
				c.fail("%s has an empty name or value", fw)
			}
			c.max(fw+".name", f.Name, maxFieldName)
			c.max(fw+".value", f.Value, maxFieldValue)
			total += runes(f.Name) + runes(f.Value)
		}
		if e.Footer != nil {
			c.max(w+".footer", e.Footer.Text, maxFooter)
			total += runes(e.Footer.Text)
		}
		if e.Author != nil {
			c.max(w+".author", e.Author.Name, maxAuthor)
			total += runes(e.Author.Name)
		}
	}
	if total > maxEmbedTotal {
		c.fail("embeds total %d characters, over %d", total, maxEmbedTotal)
	}
	c.rows(rows)
}

// files checks attachments: at most 10, each named, together under the upload limit (sizes are known
// for in-memory readers, which is what handlers attach).
func (c *limitCheck) files(files []*discordgo.File) {
	if len(files) > maxFiles {
		c.fail("%d files, over %d", len(files), maxFiles)
	}
	total := 0
	for i, f := range files {
		if f == nil || f.Name == "" || f.Reader == nil {
			c.fail("file[%d] needs a name and content", i)
			continue
		}
		if l, ok := f.Reader.(interface{ Len() int }); ok {
			total += l.Len()
		}
	}
	if total > maxUploadBytes {
		c.fail("files total %d bytes, over %d", total, maxUploadBytes)
	}
}

func (c *limitCheck) rows(rows []discordgo.MessageComponent) {
	if len(rows) > maxRows {
		c.fail("%d action rows, over %d", len(rows), maxRows)
	}
	ids := map[string]bool{}
	for i, rc := range rows {
		r, ok := asRow(rc)
		if !ok {
			c.fail("component[%d] is not an action row", i)
			continue
		}
		buttons, selects := 0, 0
		for _, comp := range r.Components {
			switch v := comp.(type) {
			case discordgo.Button:
				buttons++
				c.button(i, v, ids)
			case *discordgo.Button:
				buttons++
				c.button(i, *v, ids)
			case discordgo.SelectMenu:
				selects++
				c.selectMenu(i, v, ids)
			case *discordgo.SelectMenu:
				selects++
				c.selectMenu(i, *v, ids)
			default:
				c.fail("row[%d] holds an unsupported component %T", i, comp)
			}
		}
		if buttons > maxButtonsPerRow || (selects > 0 && buttons > 0) || selects > 1 || buttons+selects == 0 {
			c.fail("row[%d] must hold 1-5 buttons or exactly one select (has %d buttons, %d selects)", i, buttons, selects)
		}
	}
}

func asRow(c discordgo.MessageComponent) (discordgo.ActionsRow, bool) {
	switch v := c.(type) {
	case discordgo.ActionsRow:
		return v, true
	case *discordgo.ActionsRow:
		return *v, true
	}
	return discordgo.ActionsRow{}, false
}

func (c *limitCheck) customID(what, id string, ids map[string]bool) {
	if id == "" || len(id) > maxCustomID {
		c.fail("%s custom_id %q must be 1-%d characters", what, id, maxCustomID)
	}
	if ids[id] {
		c.fail("%s custom_id %q is not unique", what, id)
	}
	ids[id] = true
}

func (c *limitCheck) button(row int, b discordgo.Button, ids map[string]bool) {
	w := fmt.Sprintf("row[%d] button %q", row, b.Label)
	c.max(w+" label", b.Label, maxButtonLabel)
	if b.Style == discordgo.LinkButton {
		if b.URL == "" || len(b.URL) > maxURL {
			c.fail("%s url must be 1-%d characters", w, maxURL)
		}
		return
	}
	c.customID(w, b.CustomID, ids)
}

func (c *limitCheck) selectMenu(row int, s discordgo.SelectMenu, ids map[string]bool) {
	w := fmt.Sprintf("row[%d] select", row)
	c.customID(w, s.CustomID, ids)
	c.max(w+" placeholder", s.Placeholder, maxPlaceholder)
	if s.MenuType == discordgo.StringSelectMenu || s.MenuType == 0 {
		if len(s.Options) == 0 || len(s.Options) > maxSelectOptions {
			c.fail("%s has %d options, must have 1-%d", w, len(s.Options), maxSelectOptions)
		}
	}
	if s.MaxValues > maxSelectOptions || (s.MinValues != nil && (*s.MinValues < 0 || *s.MinValues > maxSelectOptions)) {
		c.fail("%s min/max values out of 0-%d", w, maxSelectOptions)
	}
	if s.MaxValues > len(s.Options) && s.MenuType == discordgo.StringSelectMenu {
		c.fail("%s max_values %d exceeds its %d options", w, s.MaxValues, len(s.Options))
	}
	seen := map[string]bool{}
	for j, o := range s.Options {
		ow := fmt.Sprintf("%s option[%d]", w, j)
		if o.Label == "" || o.Value == "" {
			c.fail("%s needs a label and a value", ow)
		}
		c.max(ow+" label", o.Label, maxOptionText)
		c.max(ow+" value", o.Value, maxOptionText)
		c.max(ow+" description", o.Description, maxOptionText)
		if seen[o.Value] {
			c.fail("%s value %q repeated", ow, o.Value)
		}
		seen[o.Value] = true
	}
}

func (c *limitCheck) modal(d *discordgo.InteractionResponseData) {
	c.customID("modal", d.CustomID, map[string]bool{})
	if d.Title == "" {
		c.fail("modal title is empty")
	}
	c.max("modal title", d.Title, maxModalTitle)
	if len(d.Components) == 0 || len(d.Components) > maxModalRows {
		c.fail("modal has %d components, must have 1-%d", len(d.Components), maxModalRows)
	}
	ids := map[string]bool{}
	for i, rc := range d.Components {
		r, ok := asRow(rc)
		if !ok || len(r.Components) != 1 {
			c.fail("modal row[%d] must hold exactly one text input", i)
			continue
		}
		var in discordgo.TextInput
		switch v := r.Components[0].(type) {
		case discordgo.TextInput:
			in = v
		case *discordgo.TextInput:
			in = *v
		default:
			c.fail("modal row[%d] holds %T, not a text input", i, v)
			continue
		}
		w := fmt.Sprintf("modal input %q", in.CustomID)
		c.customID(w, in.CustomID, ids)
		if in.Label == "" {
			c.fail("%s has no label", w)
		}
		c.max(w+" label", in.Label, maxInputLabel)
		c.max(w+" placeholder", in.Placeholder, maxInputHint)
		c.max(w+" value", in.Value, maxInputLen)
		if in.MinLength < 0 || in.MinLength > maxInputLen || in.MaxLength < 0 || in.MaxLength > maxInputLen ||
			(in.MaxLength > 0 && in.MinLength > in.MaxLength) {
			c.fail("%s min/max length out of 0-%d", w, maxInputLen)
		}
		if in.Style != discordgo.TextInputShort && in.Style != discordgo.TextInputParagraph {
			c.fail("%s has style %d", w, in.Style)
		}
	}
}

func (c *limitCheck) choices(ch []*discordgo.ApplicationCommandOptionChoice) {
	if len(ch) > maxChoices {
		c.fail("%d choices, over %d", len(ch), maxChoices)
	}
	for i, x := range ch {
		if x.Name == "" {
			c.fail("choice[%d] has no name", i)
		}
		c.max(fmt.Sprintf("choice[%d] name", i), x.Name, maxChoiceName)
		if s, ok := x.Value.(string); ok {
			c.max(fmt.Sprintf("choice[%d] value", i), s, maxChoiceName)
		}
	}
}

// ValidateCommand checks a command definition against Discord's naming and size rules.
func ValidateCommand(cmd *discordgo.ApplicationCommand) error {
	c := &limitCheck{}
	c.name("command", cmd.Name)
	c.description("command "+cmd.Name, cmd.Description, derefLoc(cmd.DescriptionLocalizations))
	size := longest(cmd.Name, derefLoc(cmd.NameLocalizations)) + longest(cmd.Description, derefLoc(cmd.DescriptionLocalizations))
	size += c.options("/"+cmd.Name, cmd.Options, 0)
	if size > maxCommandSize {
		c.fail("command %s is %d characters, over %d", cmd.Name, size, maxCommandSize)
	}
	return errors.Join(c.errs...)
}

func derefLoc(m *map[discordgo.Locale]string) map[discordgo.Locale]string {
	if m == nil {
		return nil
	}
	return *m
}

func longest(s string, loc map[discordgo.Locale]string) int {
	n := runes(s)
	for _, v := range loc {
		n = max(n, runes(v))
	}
	return n
}

func (c *limitCheck) name(what, n string) {
	if !nameRe.MatchString(n) || strings.ToLower(n) != n {
		c.fail("%s name %q must be 1-%d lowercase letters, digits, '-', '_' or '''", what, n, maxNameLen)
	}
}

func (c *limitCheck) description(what, d string, loc map[discordgo.Locale]string) {
	if runes(d) < 1 || runes(d) > maxDescription {
		c.fail("%s description must be 1-%d characters (is %d)", what, maxDescription, runes(d))
	}
	for l, v := range loc {
		if runes(v) < 1 || runes(v) > maxDescription {
			c.fail("%s description (%s) must be 1-%d characters", what, l, maxDescription)
		}
	}
}

// options checks options recursively (command → group → subcommand) and returns their size in characters.
// parent is the type of the option holding opts (0 for the command itself).
func (c *limitCheck) options(path string, opts []*discordgo.ApplicationCommandOption, parent discordgo.ApplicationCommandOptionType) int {
	if len(opts) > maxCommandOptions {
		c.fail("%s has %d options, over %d", path, len(opts), maxCommandOptions)
	}
	size := 0
	seen := map[string]bool{}
	requiredDone := false
	for _, o := range opts {
		w := path + " " + o.Name
		c.name("option", o.Name)
		c.description(w, o.Description, o.DescriptionLocalizations)
		if seen[o.Name] {
			c.fail("%s repeated", w)
		}
		seen[o.Name] = true
		size += longest(o.Name, o.NameLocalizations) + longest(o.Description, o.DescriptionLocalizations)
		nested := o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup
		switch {
		case o.Type == discordgo.ApplicationCommandOptionSubCommandGroup && parent != 0,
			o.Type == discordgo.ApplicationCommandOptionSubCommand && parent == discordgo.ApplicationCommandOptionSubCommand:
			c.fail("%s is nested too deep", w)
		case !nested && parent == discordgo.ApplicationCommandOptionSubCommandGroup:
			c.fail("%s: a subcommand group may hold only subcommands", w)
		}
		if nested {
			size += c.options(w, o.Options, o.Type)
			continue
		}
		if o.Required && requiredDone {
			c.fail("%s: required options must come before optional ones", w)
		}
		if !o.Required {
			requiredDone = true
		}
		if o.Autocomplete && len(o.Choices) > 0 {
			c.fail("%s has both autocomplete and choices", w)
		}
		c.choices(o.Choices)
		for _, ch := range o.Choices {
			size += longest(ch.Name, ch.NameLocalizations)
			if s, ok := ch.Value.(string); ok {
				size += runes(s)
			}
		}
		if o.MaxLength > 6000 || (o.MinLength != nil && (*o.MinLength < 0 || *o.MinLength > 6000)) {
			c.fail("%s min/max length out of 0-6000", w)
		}
	}
	return size
}
