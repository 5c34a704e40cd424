package commands

import (
	"context"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

func (a *App) orderCancelSpec() Spec {
	return Spec{
		Command: "order", Sub: "cancel", Handle: a.orderCancel, Write: true, Autocomplete: a.orderSuggest,
		Options: []*discordgo.ApplicationCommandOption{orderOption(true), strOpt("reason", true, maxReasonLen)},
	}
}

// orderCancel cancels an order before any money moved (buyer or agent), with the reason on the timeline.
func (a *App) orderCancel(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := orderNumber(r, "order")
	if err != nil {
		return nil, err
	}
	reason, err := r.textOpt("reason", true, maxReasonLen, true)
	if err != nil {
		return nil, err
	}
	oc, err := a.openOrder(ctx, r, n, nil)
	if err != nil {
		return nil, err
	}
	decide := func(o *state.Order) ([]state.Event, error) {
		to, err := assurance.Transition(o.Status, assurance.ActionCancel, oc.role, moveInput(o))
		if err != nil {
			return nil, refusal(r.Msg, o, oc.role, err)
		}
		return []state.Event{move(o, assurance.ActionCancel, to, moveInput(o), actor(r), r.Now, reason, nil)}, nil
	}
	if err := precheck(oc, decide); err != nil {
		return nil, err
	}
	o, evs, err := a.commit(ctx, r, oc, decide)
	if err != nil {
		return nil, err
	}
	a.announce(ctx, r, oc.st, o, evs, nil)
	return a.movedReply(r, o, evs), nil
}
