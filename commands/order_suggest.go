package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// orderSuggest answers autocomplete of the order option: up to 25 orders the member may see (their
// own, or all of the server's for agents and moderators), newest update first, whose number starts
// with what was typed or whose supplier or status contains it.
func (a *App) orderSuggest(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	typed := ""
	if f := r.Focused(); f != nil {
		typed = strings.TrimSpace(strings.TrimPrefix(fmt.Sprint(f.Value), "#"))
	}
	st, err := a.Store.Settings(ctx, r.Guild)
	if err != nil {
		return nil, err
	}
	index := state.IndexKey("", "")
	if role := serverRole(st, r); role == assurance.RoleNone {
		index = state.IndexKey(r.User.ID, "")
	}
	exact, _ := strconv.ParseInt(typed, 10, 64)
	found, err := a.Store.SuggestOrders(ctx, r.Guild, index, typed, exact, maxChoices)
	if err != nil {
		return nil, err
	}
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(found))
	for _, s := range found {
		name := fmt.Sprintf("#%d · %s · %s", s.Number, s.Supplier, statusName(r.Msg, assurance.Status(s.Status)))
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: truncate(name, maxChoiceName), Value: s.Number})
	}
	return autocompleteResult(out), nil
}
