package commands

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// Length limits of free-text order fields (characters).
const (
	maxSupplierLen = 100
)

func (a *App) orderCreateSpec() Spec {
	return Spec{
		Command: "order", Sub: "create", Handle: a.orderCreate, Write: true,
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "supplier", Required: true, MaxLength: maxSupplierLen},
			{Type: discordgo.ApplicationCommandOptionString, Name: "total", Required: true, MaxLength: 20},
			{Type: discordgo.ApplicationCommandOptionString, Name: "currency", MinLength: ptr(3), MaxLength: 3},
			{Type: discordgo.ApplicationCommandOptionString, Name: "ship-date", MinLength: ptr(10), MaxLength: 10},
		},
	}
}

// orderCreate validates every option, then stores the order, its index entry and its "created" event at once.
func (a *App) orderCreate(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	supplier, err := r.Text("supplier", true, maxSupplierLen)
	if err != nil {
		return nil, err
	}
	currency, err := r.Currency("currency")
	if err != nil {
		return nil, err
	}
	total, _, err := r.Amount("total", currency, true)
	if err != nil {
		return nil, err
	}
	ship, err := r.Date("ship-date")
	if err != nil {
		return nil, err
	}
	at := r.Now.UTC()
	o := &state.Order{
		Guild: r.Guild, Buyer: r.User.ID, BuyerName: r.User.Username, Supplier: supplier,
		Total: total, Currency: currency, ShipDate: ship, Status: assurance.AwaitingConfirmation,
		CreatedAt: at, UpdatedAt: at,
	}
	ev := state.Event{Type: "created", Actor: r.User.ID, Name: r.User.Username, At: at, To: o.Status}
	if err := a.Store.CreateOrder(ctx, o, ev); err != nil {
		return nil, fmt.Errorf("order create: %w", err)
	}
	e := a.orderEmbed(r.Msg, o)
	e.Title = r.Msg.T("order.created.title", "number", o.Number)
	return reply(false, "", []*discordgo.MessageEmbed{e}, nil), nil
}
