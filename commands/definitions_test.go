package commands_test

import (
	"testing"

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
