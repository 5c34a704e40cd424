package commands

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

func (a *App) orderShowSpec() Spec {
	return Spec{
		Command: "order", Sub: "show", Handle: a.orderShow,
		Options: []*discordgo.ApplicationCommandOption{orderOption(true)},
	}
}

// orderShow shows one order the member may see.
func (a *App) orderShow(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	o, _, err := a.loadOrder(ctx, r, "order")
	if err != nil {
		return nil, err
	}
	return reply(false, "", []*discordgo.MessageEmbed{a.orderEmbed(r.Msg, o)}, nil), nil
}

// orderEmbed summarises an order.
func (a *App) orderEmbed(p Printer, o *state.Order) *discordgo.MessageEmbed {
	return &discordgo.MessageEmbed{
		Title: p.T("order.title", "number", o.Number, "supplier", o.Supplier),
		Color: colorInfo,
		Fields: []*discordgo.MessageEmbedField{
			field(p.T("order.field.status"), p.T("status."+string(o.Status)), true),
			field(p.T("order.field.total"), assurance.FormatMoney(o.Total, o.Currency), true),
			field(p.T("order.field.ship_date"), o.ShipDate.String(), true),
			field(p.T("order.field.buyer"), fmt.Sprintf("<@%s>", o.Buyer), true),
		},
		Footer: &discordgo.MessageEmbedFooter{Text: p.T("order.footer", "created", o.CreatedAt.Format("2006-01-02 15:04 UTC"))},
	}
}
