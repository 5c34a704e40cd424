package commands

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func msg(d *discordgo.InteractionResponseData) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: d}
}

func buttons(n int, prefix string) discordgo.ActionsRow {
	r := discordgo.ActionsRow{}
	for i := 0; i < n; i++ {
		r.Components = append(r.Components, discordgo.Button{Label: "b", Style: discordgo.PrimaryButton, CustomID: prefix + strings.Repeat("x", i+1)})
	}
	return r
}

func textInput(id string) discordgo.ActionsRow {
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: id, Label: "L", Style: discordgo.TextInputShort}}}
}

func TestValidateResponse(t *testing.T) {
	options := func(n int) []discordgo.SelectMenuOption {
		var o []discordgo.SelectMenuOption
		for i := 0; i < n; i++ {
			o = append(o, discordgo.SelectMenuOption{Label: "o", Value: strings.Repeat("v", i+1)})
		}
		return o
	}
	fields := func(n int, value string) []*discordgo.MessageEmbedField {
		var f []*discordgo.MessageEmbedField
		for i := 0; i < n; i++ {
			f = append(f, &discordgo.MessageEmbedField{Name: "n", Value: value})
		}
		return f
	}
	cases := []struct {
		name string
		resp *discordgo.InteractionResponse
		want string // "" = valid; else a fragment of the error
	}{
		{"plain", msg(&discordgo.InteractionResponseData{Content: "hi"}), ""},
		{"content 2000", msg(&discordgo.InteractionResponseData{Content: strings.Repeat("a", 2000)}), ""},
		{"content 2001", msg(&discordgo.InteractionResponseData{Content: strings.Repeat("a", 2001)}), "content is 2001"},
		{"empty", msg(&discordgo.InteractionResponseData{}), "empty"},
		{"11 embeds", msg(&discordgo.InteractionResponseData{Embeds: make([]*discordgo.MessageEmbed, 11)}), "11 embeds"},
		{"title 257", msg(&discordgo.InteractionResponseData{Embeds: []*discordgo.MessageEmbed{{Title: strings.Repeat("t", 257)}}}), "title is 257"},
		{"26 fields", msg(&discordgo.InteractionResponseData{Embeds: []*discordgo.MessageEmbed{{Fields: fields(26, "v")}}}), "26 fields"},
		{"field value 1025", msg(&discordgo.InteractionResponseData{Embeds: []*discordgo.MessageEmbed{{Fields: fields(1, strings.Repeat("v", 1025))}}}), "value is 1025"},
		{"embeds over 6000", msg(&discordgo.InteractionResponseData{Embeds: []*discordgo.MessageEmbed{
			{Description: strings.Repeat("d", 4000)}, {Description: strings.Repeat("d", 2001)}}}), "total 6001"},
		{"6 rows", msg(&discordgo.InteractionResponseData{Content: "x", Components: []discordgo.MessageComponent{
			buttons(1, "a"), buttons(1, "b"), buttons(1, "c"), buttons(1, "d"), buttons(1, "e"), buttons(1, "f")}}), "6 action rows"},
		{"6 buttons", msg(&discordgo.InteractionResponseData{Content: "x", Components: []discordgo.MessageComponent{buttons(6, "a")}}), "1-5 buttons"},
		{"duplicate custom_id", msg(&discordgo.InteractionResponseData{Content: "x", Components: []discordgo.MessageComponent{buttons(1, "a"), buttons(1, "a")}}), "not unique"},
		{"custom_id 101", msg(&discordgo.InteractionResponseData{Content: "x", Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "b", CustomID: strings.Repeat("c", 101)}}}}}), "custom_id"},
		{"25 options", msg(&discordgo.InteractionResponseData{Content: "x", Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{CustomID: "s", Options: options(25)}}}}}), ""},
		{"26 options", msg(&discordgo.InteractionResponseData{Content: "x", Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{CustomID: "s", Options: options(26)}}}}}), "26 options"},
		{"modal ok", &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
			CustomID: "m", Title: "Specs", Components: []discordgo.MessageComponent{textInput("a")}}}, ""},
		{"modal title 46", &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
			CustomID: "m", Title: strings.Repeat("t", 46), Components: []discordgo.MessageComponent{textInput("a")}}}, "modal title is 46"},
		{"modal 6 inputs", &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
			CustomID: "m", Title: "t", Components: []discordgo.MessageComponent{textInput("a"), textInput("b"), textInput("c"), textInput("d"), textInput("e"), textInput("f")}}}, "6 components"},
		{"26 choices", &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: &discordgo.InteractionResponseData{
			Choices: make([]*discordgo.ApplicationCommandOptionChoice, 26)}}, "26 choices"},
		{"deferral with a flag other than ephemeral", &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsSuppressEmbeds}}, "only carry the ephemeral"},
	}
	for _, c := range cases {
		// Nil entries in make()-built slices stand for "too many"; fill them so only the count is wrong.
		if d := c.resp.Data; d != nil {
			for i := range d.Embeds {
				if d.Embeds[i] == nil {
					d.Embeds[i] = &discordgo.MessageEmbed{Title: "t"}
				}
			}
			for i := range d.Choices {
				if d.Choices[i] == nil {
					d.Choices[i] = &discordgo.ApplicationCommandOptionChoice{Name: "n", Value: "v"}
				}
			}
		}
		err := ValidateResponse(c.resp)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: valid response refused: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestValidateCommand(t *testing.T) {
	sub := func(name string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: "d", Options: opts}
	}
	str := func(name string, required bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: "d", Required: required}
	}
	cases := []struct {
		name string
		cmd  *discordgo.ApplicationCommand
		want string
	}{
		{"ok", &discordgo.ApplicationCommand{Name: "order", Description: "d", Options: []*discordgo.ApplicationCommandOption{sub("create", str("supplier", true), str("ship-date", false))}}, ""},
		{"upper case", &discordgo.ApplicationCommand{Name: "Order", Description: "d"}, "name \"Order\""},
		{"space", &discordgo.ApplicationCommand{Name: "my order", Description: "d"}, "name \"my order\""},
		{"33 chars", &discordgo.ApplicationCommand{Name: strings.Repeat("a", 33), Description: "d"}, "name"},
		{"no description", &discordgo.ApplicationCommand{Name: "a"}, "description must be 1-100"},
		{"description 101", &discordgo.ApplicationCommand{Name: "a", Description: strings.Repeat("d", 101)}, "description must be 1-100"},
		{"required after optional", &discordgo.ApplicationCommand{Name: "a", Description: "d", Options: []*discordgo.ApplicationCommandOption{str("x", false), str("y", true)}}, "required options must come before"},
		{"too deep", &discordgo.ApplicationCommand{Name: "a", Description: "d", Options: []*discordgo.ApplicationCommandOption{sub("b", sub("c"))}}, "nested too deep"},
		{"autocomplete and choices", &discordgo.ApplicationCommand{Name: "a", Description: "d", Options: []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionString, Name: "x", Description: "d", Autocomplete: true,
			Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "n", Value: "v"}}}}}, "both autocomplete and choices"},
		{"zh name ok", &discordgo.ApplicationCommand{Name: "訂單", Description: "d"}, ""},
	}
	for _, c := range cases {
		err := ValidateCommand(c.cmd)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: valid command refused: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.want)
		}
	}
}
