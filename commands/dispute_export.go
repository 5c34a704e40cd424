package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// disputeExport sends the order's disputes as a Markdown file: every answer, evidence item, stage and
// timeline event, with its time.
func (a *App) disputeExport(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	o, _, err := a.loadOrder(ctx, r, "order")
	if err != nil {
		return nil, err
	}
	all, err := a.Store.Disputes(ctx, r.Guild, o.Number)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, Fail("dispute.none", "order", o.Number)
	}
	events, err := a.Store.Events(ctx, r.Guild, o.Number, "", 0)
	if err != nil {
		return nil, err
	}
	items := make(map[int64][]state.EvidenceItem, len(all))
	for _, d := range all {
		if items[d.Number], err = a.Store.Evidence(ctx, r.Guild, o.Number, d.Number); err != nil {
			return nil, err
		}
	}
	doc := a.exportMarkdown(r.Msg, o, all, items, events, r)
	name := fmt.Sprintf("order-%d-disputes.md", o.Number)
	resp := reply(false, r.Msg.T("dispute.export.done", "order", o.Number, "count", len(all)), nil, nil)
	resp.Data.Files = []*discordgo.File{{Name: name, ContentType: "text/markdown; charset=utf-8", Reader: strings.NewReader(doc)}}
	return resp, nil
}

// md makes member text safe inside a Markdown table cell.
func md(s string) string {
	s = strings.NewReplacer("|", `\|`, "\r", " ", "\n", " ").Replace(s)
	if s == "" {
		return "-"
	}
	return s
}

// exportMarkdown writes the export document.
func (a *App) exportMarkdown(p Printer, o *state.Order, all []*state.Dispute, items map[int64][]state.EvidenceItem, events []state.Event, r *Request) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("# %s", p.T("dispute.export.title", "order", o.Number, "supplier", o.Supplier))
	line("")
	line("%s", p.T("dispute.export.generated", "date", stamp(r.Now), "by", r.User.Username))
	line("")
	line("## %s", p.T("dispute.export.order"))
	line("")
	for _, kv := range [][2]string{
		{p.T("order.field.status"), p.T("status." + string(o.Status))},
		{p.T("order.field.total"), assurance.FormatMoney(o.Total, o.Currency)},
		{p.T("order.field.ship_date"), o.ShipDate.String()},
		{a.shortName(p, "shipped_on"), o.ShippedOn.String()},
		{a.shortName(p, "received_on"), o.ReceivedOn.String()},
		{p.T("dispute.export.alibaba"), o.AlibabaOrder},
		{p.T("dispute.export.created"), stamp(o.CreatedAt)},
	} {
		if kv[1] != "" {
			line("- %s: %s", kv[0], kv[1])
		}
	}
	for _, d := range all {
		line("")
		line("## %s", p.T("dispute.export.dispute", "dispute", d.Number, "issue", a.issueName(p, d.Issue)))
		line("")
		line("- %s: %s", p.T("dispute.status.stage"), p.T("dispute.stage."+string(d.Stage)))
		line("- %s: %s", p.T("dispute.status.filed"), p.T("dispute.export.filed", "date", stamp(d.OpenedAt), "buyer", d.BuyerName))
		line("- %s: %s", p.T("dispute.status.reading"), strings.ReplaceAll(readingText(p, d), "\n", " "))
		line("- %s: %s", p.T("dispute.review.refund"), strings.ReplaceAll(askedText(p, d), "\n", "; "))
		if c := a.filedComputation(p, d); c != "" {
			line("- %s: %s", p.T("dispute.review.computed"), c)
		}
		line("- %s:", p.T("dispute.filed.clock", "date", d.Opened.String()))
		for _, l := range strings.Split(a.clockLines(p, d.Opened, d.Deadline, o.BuyerTier), "\n") {
			line("  - %s", l)
		}
		if !d.EndedAt.IsZero() {
			line("- %s: %s", p.T("dispute.export.ended"), stamp(d.EndedAt))
		}
		line("")
		line("### %s", p.T("dispute.export.answers"))
		line("")
		if len(d.Answers) == 0 {
			line("%s", p.T("dispute.answers.none"))
		} else {
			line("| %s | %s | %s |", p.T("dispute.export.time"), p.T("dispute.export.question"), p.T("dispute.export.answer"))
			line("|---|---|---|")
			for _, ans := range d.Answers {
				line("| %s | %s | %s |", stamp(ans.At), md(questionText(p, ans.Fact)), md(answerWords(p, ans.Fact, ans.Value, d.Currency)))
			}
		}
		line("")
		line("### %s", p.T("dispute.review.evidence"))
		line("")
		line("%s: %s", p.T("dispute.evidence.have"), evidenceLabels(p, d.Evidence))
		if its := items[d.Number]; len(its) > 0 {
			line("")
			line("| %s | %s | %s | %s | %s |", p.T("dispute.export.time"), p.T("dispute.export.by"), p.T("dispute.export.kind"),
				p.T("dispute.export.file"), p.T("dispute.export.note"))
			line("|---|---|---|---|---|")
			for _, it := range its {
				kind := ""
				if it.Kind != "" {
					kind = p.T("dispute.evidence." + it.Kind)
				}
				where := strings.TrimSpace(strings.Join([]string{it.File, it.FileURL, it.Link}, " "))
				line("| %s | %s | %s | %s | %s |", stamp(it.At), md(it.Name), md(kind), md(where), md(it.Note))
			}
		}
		line("")
		line("### %s", p.T("dispute.status.history"))
		line("")
		line("| %s | %s | %s | %s | %s | %s |", p.T("dispute.export.time"), p.T("dispute.export.by"), p.T("dispute.export.move"),
			p.T("dispute.status.stage"), p.T("dispute.export.amount"), p.T("dispute.export.note"))
		line("|---|---|---|---|---|---|")
		line("| %s | %s | %s | %s | - | - |", stamp(d.OpenedAt), md(d.BuyerName), p.T("dispute.export.opened"), p.T("dispute.stage."+string(assurance.StageNegotiation)))
		for _, s := range d.Steps {
			amount := ""
			if s.Amount != nil {
				amount = assurance.FormatMoney(*s.Amount, d.Currency)
			}
			line("| %s | %s | %s | %s | %s | %s |", stamp(s.At), md(s.Name), md(p.T("dispute.move."+string(s.Move))),
				md(p.T("dispute.stage."+string(s.Stage))), md(amount), md(s.Note))
		}
		line("")
		line("### %s", p.T("dispute.export.claim"))
		line("")
		line("```")
		line("%s", a.claimText(p, o, d, items[d.Number]))
		line("```")
	}
	line("")
	line("## %s", p.T("dispute.export.timeline"))
	line("")
	line("| %s | %s |", p.T("dispute.export.time"), p.T("dispute.export.event"))
	line("|---|---|")
	for _, e := range events {
		line("| %s | %s |", stamp(e.At), md(strings.ReplaceAll(eventText(p, e, false), "**", "")))
	}
	return b.String()
}

// filedComputation spells out how the maximum refund of a filed dispute was computed: from the facts it
// was filed with, in the reader's language; the engine's own steps when the facts no longer parse.
func (a *App) filedComputation(p Printer, d *state.Dispute) string {
	if f, fe := a.Policy.ParseFacts(d.Facts); fe == nil {
		if r := a.Policy.Evaluate(f); r.Computation != nil {
			return strings.ReplaceAll(a.computation(p, r.Computation), "\n", "; ")
		}
	}
	return strings.Join(d.Computation, "; ")
}
