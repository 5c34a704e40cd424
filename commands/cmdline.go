package commands

import (
	"fmt"
	"mime"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// tokenize splits a console line into words; double quotes group words and may appear after "name:".
func tokenize(line string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inQuote, has := false, false
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case ch == '\\' && inQuote && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
		case ch == '"':
			inQuote = !inQuote
			has = true
		case (ch == ' ' || ch == '\t') && !inQuote:
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteByte(ch)
			has = true
		}
	}
	if inQuote {
		return nil, fmt.Errorf("unterminated quote")
	}
	if has {
		out = append(out, cur.String())
	}
	return out, nil
}

// OptionError is an input mistake Discord's own client would stop (unknown option, missing required one).
type OptionError struct{ Msg string }

func (e *OptionError) Error() string { return e.Msg }

// ParseCommandLine turns "/order create supplier:"Acme" total:10" into the data of an APPLICATION_COMMAND
// interaction, using the command definitions for option types. The returned map is JSON-ready.
// resolve turns a user, role or channel name into an ID. The console and the tests speak this syntax.
func ParseCommandLine(defs []*discordgo.ApplicationCommand, line string, resolve func(kind, name string) string) (map[string]any, error) {
	words, err := tokenize(strings.TrimPrefix(strings.TrimSpace(line), "/"))
	if err != nil {
		return nil, err
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("empty command")
	}
	var cmd *discordgo.ApplicationCommand
	for _, d := range defs {
		if d.Name == words[0] {
			cmd = d
		}
	}
	if cmd == nil {
		return nil, fmt.Errorf("unknown command /%s (type :help)", words[0])
	}
	words = words[1:]
	opts := cmd.Options
	path := "/" + cmd.Name
	var chain []map[string]any // subcommand group / subcommand nodes
	for {
		var sub *discordgo.ApplicationCommandOption
		for _, o := range opts {
			if (o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup) &&
				len(words) > 0 && o.Name == words[0] {
				sub = o
			}
		}
		if sub == nil {
			break
		}
		chain = append(chain, map[string]any{"type": int(sub.Type), "name": sub.Name})
		path += " " + sub.Name
		opts, words = sub.Options, words[1:]
	}
	for _, o := range opts {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
			return nil, fmt.Errorf("%s needs a subcommand: %s", path, subNames(opts))
		}
	}
	values := []map[string]any{}
	given := map[string]bool{}
	attachments := map[string]any{}
	for _, w := range words {
		name, raw, ok := strings.Cut(w, ":")
		if !ok {
			return nil, fmt.Errorf("%q is not name:value", w)
		}
		var def *discordgo.ApplicationCommandOption
		for _, o := range opts {
			if o.Name == name {
				def = o
			}
		}
		if def == nil {
			return nil, &OptionError{fmt.Sprintf("%s has no option `%s`. Its options: %s", path, name, optNames(opts))}
		}
		v, err := optionValue(def, raw, resolve)
		if err != nil {
			return nil, &OptionError{fmt.Sprintf("`%s`: %v", name, err)}
		}
		given[name] = true
		values = append(values, map[string]any{"type": int(def.Type), "name": name, "value": v})
		if def.Type == discordgo.ApplicationCommandOptionAttachment {
			attachments[fmt.Sprint(v)] = attachment(fmt.Sprint(v), raw)
		}
	}
	for _, o := range opts {
		if o.Required && !given[o.Name] {
			return nil, &OptionError{fmt.Sprintf("%s needs `%s:` (%s)", path, o.Name, o.Description)}
		}
	}
	var leaf any = values
	for i := len(chain) - 1; i >= 0; i-- {
		chain[i]["options"] = leaf
		leaf = []map[string]any{chain[i]}
	}
	data := map[string]any{"id": "1", "name": cmd.Name, "type": int(discordgo.ChatApplicationCommand), "options": leaf}
	if len(attachments) > 0 {
		data["resolved"] = map[string]any{"attachments": attachments}
	}
	return data, nil
}

// attachment is the resolved attachment Discord sends for a file uploaded with a command: the console and
// tests name the file, and its URL is where Discord's CDN would keep it.
func attachment(id, filename string) map[string]any {
	ct := mime.TypeByExtension(path.Ext(filename))
	if ct == "" {
		ct = "application/octet-stream"
	}
	return map[string]any{"id": id, "filename": filename, "content_type": ct, "size": 1024,
		"url": "https://cdn.discordapp.com/attachments/" + id + "/" + url.PathEscape(filename)}
}

// optionValue converts a typed value as Discord's client would.
func optionValue(def *discordgo.ApplicationCommandOption, raw string, resolve func(kind, name string) string) (any, error) {
	if len(def.Choices) > 0 {
		for _, c := range def.Choices {
			if fmt.Sprint(c.Value) == raw {
				return c.Value, nil
			}
		}
		var vals []string
		for _, c := range def.Choices {
			vals = append(vals, fmt.Sprint(c.Value))
		}
		return nil, fmt.Errorf("choose one of %s", strings.Join(vals, ", "))
	}
	switch def.Type {
	case discordgo.ApplicationCommandOptionInteger:
		n, err := strconv.ParseInt(strings.TrimPrefix(raw, "#"), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", raw)
		}
		return n, nil
	case discordgo.ApplicationCommandOptionNumber:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", raw)
		}
		return f, nil
	case discordgo.ApplicationCommandOptionBoolean:
		switch strings.ToLower(raw) {
		case "true", "yes":
			return true, nil
		case "false", "no":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not true or false", raw)
	case discordgo.ApplicationCommandOptionUser:
		return resolve("user", strings.TrimPrefix(raw, "@")), nil
	case discordgo.ApplicationCommandOptionRole:
		return resolve("role", strings.TrimPrefix(raw, "@")), nil
	case discordgo.ApplicationCommandOptionChannel:
		return resolve("channel", strings.TrimPrefix(raw, "#")), nil
	case discordgo.ApplicationCommandOptionAttachment:
		return resolve("attachment", raw), nil
	}
	return raw, nil
}

func subNames(opts []*discordgo.ApplicationCommandOption) string {
	var n []string
	for _, o := range opts {
		n = append(n, o.Name)
	}
	return strings.Join(n, ", ")
}

func optNames(opts []*discordgo.ApplicationCommandOption) string {
	if len(opts) == 0 {
		return "none"
	}
	var n []string
	for _, o := range opts {
		n = append(n, o.Name+":")
	}
	return strings.Join(n, " ")
}
