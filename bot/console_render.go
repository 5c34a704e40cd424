package bot

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

var mentionRe = regexp.MustCompile(`<(@&|@!?|#)([0-9]+)>`)

// maxShownFile is how much of an attached text file the console prints.
const maxShownFile = 8 * 1024

// mentions replaces Discord mentions with readable names.
func (c *Console) mentions(s string) string {
	return mentionRe.ReplaceAllStringFunc(s, func(m string) string {
		p := mentionRe.FindStringSubmatch(m)
		sigil := "@"
		if p[1] == "#" {
			sigil = "#"
		}
		return sigil + c.nameFor(p[2])
	})
}

// render prints a message as readable text and numbers its buttons and menu options.
func (c *Console) render(header, id, content string, embeds []*discordgo.MessageEmbed, rows []discordgo.MessageComponent, files []*discordgo.File, flags discordgo.MessageFlags) {
	var b strings.Builder
	if header != "" {
		b.WriteString(header + "\n")
	}
	if flags&discordgo.MessageFlagsEphemeral != 0 {
		b.WriteString("(only you can see this)\n")
	}
	if content != "" {
		b.WriteString(c.mentions(content) + "\n")
	}
	for _, e := range embeds {
		if e.Title != "" {
			b.WriteString("── " + c.mentions(e.Title) + " ──\n")
		}
		if e.Description != "" {
			b.WriteString(c.mentions(e.Description) + "\n")
		}
		for _, f := range e.Fields {
			name, value := c.mentions(f.Name), c.mentions(f.Value)
			if strings.Contains(value, "\n") {
				b.WriteString(name + ":\n  " + strings.ReplaceAll(value, "\n", "\n  ") + "\n")
			} else {
				b.WriteString(name + ": " + value + "\n")
			}
		}
		if e.Footer != nil && e.Footer.Text != "" {
			b.WriteString("   " + c.mentions(e.Footer.Text) + "\n")
		}
	}
	msg := &shownMessage{id: id, rows: rows}
	for _, rc := range rows {
		row, ok := asActionsRow(rc)
		if !ok {
			continue
		}
		var line []string
		for _, comp := range row.Components {
			switch v := comp.(type) {
			case discordgo.Button:
				line = append(line, c.buttonText(msg, v))
			case *discordgo.Button:
				line = append(line, c.buttonText(msg, *v))
			case discordgo.SelectMenu:
				b.WriteString(c.menuText(msg, v))
			case *discordgo.SelectMenu:
				b.WriteString(c.menuText(msg, *v))
			}
		}
		if len(line) > 0 {
			b.WriteString(strings.Join(line, "  ") + "\n")
		}
	}
	for _, f := range files {
		b.WriteString(c.fileText(f))
	}
	if len(msg.choices) > 0 {
		c.last = msg
	}
	c.printf("%s\n", b.String())
}

func asActionsRow(rc discordgo.MessageComponent) (discordgo.ActionsRow, bool) {
	switch v := rc.(type) {
	case discordgo.ActionsRow:
		return v, true
	case *discordgo.ActionsRow:
		return *v, true
	}
	return discordgo.ActionsRow{}, false
}

func (c *Console) buttonText(msg *shownMessage, btn discordgo.Button) string {
	if btn.Style == discordgo.LinkButton {
		return "[link] " + btn.Label + " <" + btn.URL + ">"
	}
	if btn.Disabled {
		return "[-] " + btn.Label
	}
	msg.choices = append(msg.choices, choice{customID: btn.CustomID, kind: discordgo.ButtonComponent})
	return fmt.Sprintf("[%d] %s", len(msg.choices), btn.Label)
}

func (c *Console) menuText(msg *shownMessage, m discordgo.SelectMenu) string {
	var b strings.Builder
	hint := "pick one"
	if m.MaxValues > 1 {
		hint = fmt.Sprintf("pick up to %d, e.g. \"1 3\"", m.MaxValues)
	}
	b.WriteString("▾ " + m.Placeholder + " (" + hint + ")\n")
	for _, o := range m.Options {
		msg.choices = append(msg.choices, choice{customID: m.CustomID, kind: discordgo.SelectMenuComponent, value: o.Value})
		line := fmt.Sprintf("  [%d] %s", len(msg.choices), o.Label)
		if o.Description != "" {
			line += " - " + o.Description
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// fileText shows an attachment; text files are printed (up to maxShownFile).
func (c *Console) fileText(f *discordgo.File) string {
	data, err := io.ReadAll(io.LimitReader(f.Reader, maxShownFile+1))
	if err != nil {
		return fmt.Sprintf("📎 %s (unreadable: %v)\n", f.Name, err)
	}
	if !utf8.Valid(data) {
		return fmt.Sprintf("📎 %s (%d bytes)\n", f.Name, len(data))
	}
	more := ""
	if len(data) > maxShownFile {
		data, more = data[:maxShownFile], "\n  …"
	}
	return fmt.Sprintf("📎 %s:\n  %s%s\n", f.Name, strings.ReplaceAll(strings.TrimRight(string(data), "\n"), "\n", "\n  "), more)
}
