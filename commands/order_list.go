package commands

import (
	"context"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// listPageSize is how many orders a list page shows.
const listPageSize = 10

func (a *App) orderListSpec() Spec {
	return Spec{
		Command: "order", Sub: "list", Handle: a.orderList,
		Options: []*discordgo.ApplicationCommandOption{
			choiceOpt("status", false, choices("status.", statusValues()...)),
			{Type: discordgo.ApplicationCommandOptionUser, Name: "buyer"},
		},
	}
}

// orderList lists the orders the member may see, newest update first, 10 a page.
func (a *App) orderList(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	status, err := r.Choice("status", statusValues()...)
	if err != nil {
		return nil, err
	}
	buyer := r.String("buyer")
	e, rows, err := a.listPage(ctx, r, status, buyer, 0)
	if err != nil {
		return nil, err
	}
	return reply(false, "", []*discordgo.MessageEmbed{e}, rows), nil
}

// listButton turns a page of the list (v1:olist:page:<page>:<status>:<buyer>).
func (a *App) listButton(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	page, err := strconv.Atoi(r.Custom.ID)
	status := r.Custom.Arg(0)
	if err != nil || (status != "" && !assurance.Status(status).Valid()) {
		return nil, Fail("error.unknown_interaction")
	}
	e, rows, err := a.listPage(ctx, r, status, r.Custom.Arg(1), max(page, 0))
	if err != nil {
		return nil, err
	}
	return update("", []*discordgo.MessageEmbed{e}, rows), nil
}

// visibleIndex picks the index a member may list: buyers see their own orders only.
func (a *App) visibleIndex(ctx context.Context, r *Request, status, buyer string) (string, error) {
	role, err := a.memberRole(ctx, r)
	if err != nil {
		return "", err
	}
	if role == assurance.RoleNone {
		if buyer != "" && buyer != r.User.ID {
			return "", Fail("error.list.own_only")
		}
		buyer = r.User.ID
	}
	return state.IndexKey(buyer, status), nil
}

// listPage reads one page of the index from Redis (ZREVRANGE with the records, one round trip).
func (a *App) listPage(ctx context.Context, r *Request, status, buyer string, page int) (*discordgo.MessageEmbed, []discordgo.MessageComponent, error) {
	index, err := a.visibleIndex(ctx, r, status, buyer)
	if err != nil {
		return nil, nil, err
	}
	pg, err := a.Store.ListOrders(ctx, r.Guild, index, int64(page*listPageSize), listPageSize)
	if err != nil {
		return nil, nil, err
	}
	p := r.Msg
	pages := max(1, int((pg.Total+listPageSize-1)/listPageSize))
	lines := make([]string, 0, len(pg.Orders))
	for _, o := range pg.Orders {
		lines = append(lines, p.T("list.line", "number", o.Number, "supplier", truncate(o.Supplier, 60),
			"status", statusName(p, o.Status), "total", assurance.FormatMoney(o.Total, o.Currency),
			"buyer", "<@"+o.Buyer+">", "updated", o.UpdatedAt.UTC().Format(timeLayout)))
	}
	if len(lines) == 0 {
		lines = append(lines, p.T("list.empty"))
	}
	filter := p.T("list.all")
	if status != "" {
		filter = statusName(p, assurance.Status(status))
	}
	if buyer != "" {
		filter += " · <@" + buyer + ">"
	}
	e := &discordgo.MessageEmbed{
		Title:       p.T("list.title", "count", pg.Total),
		Description: truncate(filter+"\n\n"+strings.Join(lines, "\n"), maxEmbedDesc),
		Color:       colorInfo,
		Footer:      &discordgo.MessageEmbedFooter{Text: p.T("list.footer", "page", page+1, "pages", pages)},
	}
	if pages == 1 {
		return e, nil, nil
	}
	pageID := func(to int, tag string) string {
		return CustomID{Flow: flowList, Step: "page", ID: tag + strconv.Itoa(to), Args: []string{status, buyer}}.String()
	}
	prev := discordgo.Button{Label: p.T("button.previous"), Style: discordgo.SecondaryButton, CustomID: pageID(page-1, ""), Disabled: page == 0}
	next := discordgo.Button{Label: p.T("button.next"), Style: discordgo.SecondaryButton, CustomID: pageID(page+1, ""), Disabled: page >= pages-1}
	if prev.Disabled {
		prev.CustomID = pageID(0, "p")
	}
	if next.Disabled {
		next.CustomID = pageID(0, "n")
	}
	return e, []discordgo.MessageComponent{row(prev, next)}, nil
}

// listRoutes are the page buttons.
func (a *App) listRoutes() []Route {
	return []Route{{Type: discordgo.InteractionMessageComponent, Path: flowList + ":page", Handle: a.listButton}}
}
