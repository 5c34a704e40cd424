package commands

import (
	"context"
	"errors"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// disputeStatus shows the order's dispute in force (or its latest): stage, dates of the clock, evidence,
// history, and what the member may record next.
func (a *App) disputeStatus(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	o, role, err := a.loadOrder(ctx, r, "order")
	if err != nil {
		return nil, err
	}
	p := r.Msg
	all, err := a.Store.Disputes(ctx, r.Guild, o.Number)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		text := p.T("dispute.status.none", "order", o.Number)
		if c, err := a.Store.FindConversation(ctx, r.Guild, disputeFlow, convKey(o.Number, r.User.ID)); err == nil && c.Step != stepDone {
			text += "\n" + p.T("dispute.status.walk", "order", o.Number)
		}
		return reply(false, text, nil, nil), nil
	}
	d := all[len(all)-1]
	for _, x := range all {
		if x.Number == o.Dispute {
			d = x
		}
	}
	items, err := a.Store.Evidence(ctx, r.Guild, o.Number, d.Number)
	if err != nil {
		return nil, err
	}
	today := assurance.DateOf(r.Now)
	e := &discordgo.MessageEmbed{
		Title: p.T("dispute.status.title", "order", o.Number, "dispute", d.Number, "issue", a.issueName(p, d.Issue)),
		Color: colorInfo,
		Fields: []*discordgo.MessageEmbedField{
			field(p.T("dispute.status.stage"), p.T("dispute.stage."+string(d.Stage)), true),
			field(p.T("order.field.status"), p.T("status."+string(o.Status)), true),
			field(p.T("dispute.status.filed"), p.T("dispute.status.filed_text", "date", stamp(d.OpenedAt), "buyer", "<@"+d.Buyer+">"), true),
			field(p.T("dispute.status.reading"), readingText(p, d), false),
			field(p.T("dispute.review.refund"), askedText(p, d), false),
		},
	}
	if d.Stage.Open() || o.Status == assurance.RefundPending {
		e.Description = p.T("dispute.status.day", "day", d.Opened.DaysUntil(today), "today", today.String())
	}
	if hint := a.stageHint(p, o, d); hint != "" {
		e.Fields = append(e.Fields, field(p.T("dispute.status.dates"), hint, false))
	}
	e.Fields = append(e.Fields,
		field(p.T("dispute.review.evidence"), evidenceLabels(p, d.Evidence), false),
		itemsField(p, items),
		field(p.T("dispute.status.history"), historyText(p, d), false),
	)
	if next := a.nextMoves(p, o, d, role, today); next != "" {
		e.Fields = append(e.Fields, field(p.T("dispute.status.next"), next, false))
	}
	if len(all) > 1 {
		var lines []string
		for _, x := range all {
			if x.Number != d.Number {
				lines = append(lines, p.T("dispute.status.other_line", "dispute", x.Number, "issue", a.issueName(p, x.Issue),
					"stage", p.T("dispute.stage."+string(x.Stage)), "date", x.Opened.String()))
			}
		}
		e.Fields = append(e.Fields, field(p.T("dispute.status.others"), strings.Join(lines, "\n"), false))
	}
	return reply(false, "", []*discordgo.MessageEmbed{e}, nil), nil
}

// readingText is the bot's reading when the dispute was filed.
func readingText(p Printer, d *state.Dispute) string {
	text := p.T("dispute.verdict." + d.Verdict)
	if d.Verdict == assurance.VerdictEligible && d.MaxRefund != nil {
		text = p.T("dispute.verdict.eligible", "max", assurance.FormatMoney(*d.MaxRefund, d.Currency),
			"limited_by", p.T("elig.limited."+d.LimitedBy))
	}
	if d.Against {
		text += "\n" + p.T("dispute.status.against")
	}
	return text
}

// askedText is the refund asked, and the one agreed.
func askedText(p Printer, d *state.Dispute) string {
	text := p.T("dispute.refund.text."+d.Refund, "amount", assurance.FormatMoney(d.Asked, d.Currency),
		"affected", d.AffectedQty, "total", d.TotalQty)
	if d.Agreed != nil {
		text += "\n" + p.T("dispute.status.agreed", "amount", assurance.FormatMoney(*d.Agreed, d.Currency))
	}
	return text
}

// historyText lists the dispute's moves since it was filed.
func historyText(p Printer, d *state.Dispute) string {
	lines := []string{p.T("dispute.status.history_filed", "date", stamp(d.OpenedAt))}
	for _, s := range d.Steps {
		line := stamp(s.At) + " · " + p.T("dispute.move."+string(s.Move)) + " · " + byWhom(p, s.By)
		if s.Amount != nil {
			line += " · " + assurance.FormatMoney(*s.Amount, d.Currency)
		}
		if s.Note != "" {
			line += " · “" + truncate(s.Note, 80) + "”"
		}
		lines = append(lines, line)
	}
	// Keep the latest lines when the history outgrows a field.
	for len(strings.Join(lines, "\n")) > maxFieldValue && len(lines) > 2 {
		lines = append(lines[:1], lines[2:]...)
	}
	return strings.Join(lines, "\n")
}

// byWhom mentions the member who made a move, or names the bot for its own.
func byWhom(p Printer, id string) string {
	if id == "" {
		return p.T("actor.system")
	}
	return "<@" + id + ">"
}

// stageHint gives the dates that matter at the dispute's stage: the clock while negotiating, when
// Alibaba.com's team joins once escalated, when the refund starts once agreed, and until when an
// application closed for no response may be filed again.
func (a *App) stageHint(p Printer, o *state.Order, d *state.Dispute) string {
	lastStep := func(m assurance.DisputeMove) assurance.Date {
		for i := len(d.Steps) - 1; i >= 0; i-- {
			if d.Steps[i].Move == m {
				return assurance.DateOf(d.Steps[i].At)
			}
		}
		return assurance.Date{}
	}
	switch {
	case d.Stage == assurance.StageNegotiation:
		return a.clockLines(p, d.Opened, d.Deadline, o.BuyerTier)
	case d.Stage == assurance.StageEscalated:
		return p.T("dispute.hint.escalated", "date", a.Policy.AlibabaJoinsBy(lastStep(assurance.MoveEscalate)).String())
	case d.Stage == assurance.StageResolvedRefund && o.Status == assurance.RefundPending:
		return p.T("dispute.hint.refund", "date", a.Policy.RefundStartsBy(lastStep(assurance.MoveResolveRefund)).String())
	case d.Stage == assurance.StageClosedNoResponse && !d.Deadline.IsZero():
		return p.T("dispute.hint.refile", "date", d.Deadline.String(), "order", o.Number)
	case d.Stage == assurance.StageClosedNoResponse:
		return p.T("dispute.hint.refile_any", "order", o.Number)
	}
	return ""
}

// nextMoves lists what the member may record on the dispute now, as commands to type.
func (a *App) nextMoves(p Printer, o *state.Order, d *state.Dispute, role assurance.Role, today assurance.Date) string {
	if o.Dispute != d.Number {
		return ""
	}
	st := assurance.DisputeState{Status: o.Status, Prior: o.Prior, Stage: d.Stage, Opened: d.Opened, Paid: o.Total, Agreed: d.Agreed}
	var lines []string
	for _, m := range assurance.DisputeMoves {
		probe := &o.Total // any amount within what was paid: only who and when matter here
		_, err := a.Policy.PlanDisputeMove(m, role, st, today, probe)
		var me *assurance.MoveError
		if errors.As(err, &me) && me.Code == assurance.CodeTooEarly {
			lines = append(lines, p.T("dispute.next.wait_escalation", "date", me.Date.String()))
		}
		if err != nil {
			continue
		}
		if m == assurance.MoveCancel {
			lines = append(lines, p.T("dispute.next.cancel", "order", o.Number))
			continue
		}
		lines = append(lines, p.T("dispute.next.move", "order", o.Number, "stage", string(m), "move", p.T("dispute.move."+string(m))))
	}
	lines = append(lines, p.T("dispute.next.evidence", "order", o.Number))
	return strings.Join(lines, "\n")
}
