package commands

import (
	"context"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/state"
)

// timelinePageSize is how many events a timeline page shows.
const timelinePageSize = 10

func (a *App) orderTimelineSpec() Spec {
	return Spec{
		Command: "order", Sub: "timeline", Handle: a.orderTimeline, ReadOnly: true, Autocomplete: a.orderSuggest,
		Options: []*discordgo.ApplicationCommandOption{orderOption(true)},
	}
}

// orderTimeline shows the first page of an order's timeline: every event, who did it and when.
func (a *App) orderTimeline(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := orderNumber(r, "order")
	if err != nil {
		return nil, err
	}
	return a.timelineFirst(ctx, r, n)
}

// timelineFirst answers with the first page of order n's timeline.
func (a *App) timelineFirst(ctx context.Context, r *Request, n int64) (*discordgo.InteractionResponse, error) {
	e, rows, err := a.timelinePage(ctx, r, n, 0, "", "")
	if err != nil {
		return nil, err
	}
	return reply(false, "", []*discordgo.MessageEmbed{e}, rows), nil
}

// timelineButton turns a page of the timeline (v1:otl:page:<order>:<page>:<after>:<before>).
func (a *App) timelineButton(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := customOrder(r)
	if err != nil {
		return nil, err
	}
	page, _ := strconv.Atoi(r.Custom.Arg(0))
	e, rows, err := a.timelinePage(ctx, r, n, max(page, 0), r.Custom.Arg(1), r.Custom.Arg(2))
	if err != nil {
		return nil, err
	}
	return update("", []*discordgo.MessageEmbed{e}, rows), nil
}

// timelineOpen answers the Timeline button under an order with the timeline's first page.
func (a *App) timelineOpen(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := customOrder(r)
	if err != nil {
		return nil, err
	}
	return a.timelineFirst(ctx, r, n)
}

// timelineRoutes are the Timeline button and the page buttons.
func (a *App) timelineRoutes() []Route {
	return []Route{
		{Type: discordgo.InteractionMessageComponent, Path: flowTimeline + ":open", Handle: a.timelineOpen},
		{Type: discordgo.InteractionMessageComponent, Path: flowTimeline + ":page", Handle: a.timelineButton},
	}
}

// timelinePage reads one page (the events after the stream ID after, or before before) with the
// order and settings in one round trip, and renders it with page buttons.
func (a *App) timelinePage(ctx context.Context, r *Request, n int64, page int, after, before string) (*discordgo.MessageEmbed, []discordgo.MessageComponent, error) {
	var tl *state.TimelineRead
	oc, err := a.openOrder(ctx, r, n, func(b *state.Batch) { tl = b.Timeline(r.Guild, n, after, before, timelinePageSize) })
	if err != nil {
		return nil, nil, err
	}
	p := r.Msg
	pages := max(1, int((tl.Count+timelinePageSize-1)/timelinePageSize))
	page = min(page, pages-1)
	lines := make([]string, 0, len(tl.Events))
	for _, ev := range tl.Events {
		lines = append(lines, eventText(p, ev, true))
	}
	if len(lines) == 0 {
		lines = append(lines, p.T("timeline.empty"))
	}
	e := &discordgo.MessageEmbed{
		Title:       truncate(p.T("timeline.title", "number", n, "supplier", oc.o.Supplier), maxEmbedTitle),
		Description: truncate(strings.Join(lines, "\n"), maxEmbedDesc),
		Color:       colorInfo,
		Footer: &discordgo.MessageEmbedFooter{Text: p.T("timeline.footer", "page", page+1, "pages", pages, "count", tl.Count,
			"status", statusName(p, oc.o.Status))},
	}
	if pages == 1 {
		return e, nil, nil
	}
	first, last := "", ""
	if len(tl.Events) > 0 {
		first, last = tl.Events[0].ID, tl.Events[len(tl.Events)-1].ID
	}
	prev := button(p.T("button.previous"), discordgo.SecondaryButton,
		CustomID{Flow: flowTimeline, Step: "page", ID: num(n), Args: []string{strconv.Itoa(page - 1), "", first}})
	prev.Disabled = page == 0 || first == ""
	next := button(p.T("button.next"), discordgo.SecondaryButton,
		CustomID{Flow: flowTimeline, Step: "page", ID: num(n), Args: []string{strconv.Itoa(page + 1), last, ""}})
	next.Disabled = page >= pages-1 || last == ""
	if prev.Disabled {
		prev.CustomID = CustomID{Flow: flowTimeline, Step: "page", ID: num(n), Args: []string{"p", "", ""}}.String()
	}
	if next.Disabled {
		next.CustomID = CustomID{Flow: flowTimeline, Step: "page", ID: num(n), Args: []string{"n", "", ""}}.String()
	}
	return e, []discordgo.MessageComponent{row(prev, next)}, nil
}
