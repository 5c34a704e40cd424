package commands_test

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/commands/commandstest"
)

// TestDefinitionsAreValid checks every registered command against Discord's naming and size rules.
func TestDefinitionsAreValid(t *testing.T) {
	h := commandstest.New(t)
	defs := h.Definitions()
	if len(defs) == 0 {
		t.Fatal("no command definitions")
	}
	for _, d := range defs {
		if err := commands.ValidateCommand(d); err != nil {
			t.Errorf("/%s: %v", d.Name, err)
		}
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	h := commandstest.New(t)
	text := h.Command(h.Buyer("alice"), "/help").Text()
	for _, d := range h.Definitions() {
		if !contains(text, "/"+d.Name) {
			t.Errorf("/help does not mention /%s", d.Name)
		}
	}
}

// TestEveryAutocompleteOptionHasAHandler: an option marked autocomplete must be answered by a handler,
// or Discord shows an empty list while the member types.
func TestEveryAutocompleteOptionHasAHandler(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	if text := h.Command(alice, `/order create supplier:"Shenzhen Acme" total:10`).Text(); !strings.Contains(text, "#1") {
		t.Fatalf("create: %s", text)
	}
	if text := h.Command(alice, `/supplier set name:"Shenzhen Acme" ta-limit:1000`).Text(); !strings.Contains(text, "1,000.00") {
		t.Fatalf("supplier set: %s", text)
	}
	for _, d := range h.Definitions() {
		for _, sub := range d.Options {
			for _, o := range sub.Options {
				if !o.Autocomplete {
					continue
				}
				// Discord sends what was typed so far (nothing yet), other options possibly missing.
				line := "/" + d.Name + " " + sub.Name + " " + o.Name
				data := map[string]any{"id": "1", "name": d.Name, "type": 1, "options": []map[string]any{{"type": 1, "name": sub.Name,
					"options": []map[string]any{{"type": int(o.Type), "name": o.Name, "value": "", "focused": true}}}}}
				rec := h.Dispatch(alice, discordgo.InteractionApplicationCommandAutocomplete, data, nil)
				in := rec.Initial()
				if in == nil || in.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(in.Data.Choices) == 0 {
					t.Errorf("%s: autocomplete of %s offered nothing", line, o.Name)
				}
			}
		}
	}
}
