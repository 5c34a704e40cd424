package commands

import (
	"context"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// disputeSoonRoute answers the "Open a dispute" button of an eligible verdict
// (v1:dispute:open:<order>) until the dispute walk-through lands; the disputes flow replaces
// this route (delete this file and its line in components()).
func (a *App) disputeSoonRoute() Route {
	return Route{Type: discordgo.InteractionMessageComponent, Path: "dispute:open", Handle: a.disputeSoon}
}

// disputeSoon says the walk-through is coming and what to do meanwhile, in a new ephemeral
// message, so the verdict stays visible.
func (a *App) disputeSoon(_ context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := strconv.ParseInt(r.Custom.ID, 10, 64)
	if err != nil || n < 1 {
		return nil, Fail("error.elig.stale")
	}
	return reply(false, r.Msg.T("dispute.soon", "number", n), nil, nil), nil
}
