package commands

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// timeLayout shows a moment to members (always UTC).
const timeLayout = "2006-01-02 15:04 UTC"

// changeEvent records something that happened to a change request.
func changeEvent(w who, typ string, at time.Time, c state.Change) state.Event {
	e := w.event(typ, at)
	e.Args = map[string]string{"id": strconv.Itoa(c.ID), "field": c.Field, "value": changeValue(c), "by": c.ByName}
	return e
}

// changeValue is the requested value as members read it.
func changeValue(c state.Change) string {
	if c.Specs != nil {
		return specsSummary(*c.Specs)
	}
	return c.Value
}

// eventText says what an event did, in p's language: "**bob** confirmed the order (A → B)" and the
// note on its own line. withTime prefixes the moment.
func eventText(p Printer, e state.Event, withTime bool) string {
	name := e.Name
	if e.Actor == "" && name == "" {
		name = p.T("actor.system")
	}
	arg := func(k string) string { return e.Args[k] }
	var what string
	switch e.Type {
	case evStatus:
		what = p.T("did."+arg("action"), "amount", arg("amount"), "method", p.T("pay."+arg("method")), "date", arg("date"),
			"to", p.T("status."+string(e.To)))
		what += " " + p.T("event.move", "from", p.T("status."+string(e.From)), "to", p.T("status."+string(e.To)))
		if t := arg("tracking"); t != "" {
			what += " " + p.T("event.tracking_suffix", "tracking", t)
		}
		if arg("accepted_failed_inspection") != "" {
			what += " " + p.T("event.after_failed_inspection")
		}
	case evChangeRequested, evChangeApplied, evChangeAccepted, evChangeRejected, evChangeWithdrawn, evChangeExpired:
		what = p.T("event."+e.Type, "id", arg("id"), "field", p.T("field."+arg("field")), "value", truncate(arg("value"), 200), "by", arg("by"))
	case evCreated:
		what = p.T("event.created", "total", arg("total"), "status", p.T("status."+string(e.To)))
	case evInspection:
		what = p.T("event.inspection", "result", p.T("inspection."+arg("result")))
	case evTracking:
		what = p.T("event.tracking", "tracking", arg("tracking"))
	case evExtended:
		what = p.T("event.deadline_extended", "days", arg("days"))
	case evDispute:
		what = p.T("event.dispute", "move", p.T("dispute.move."+arg("move")))
	case evEvidence:
		what = p.T("event.evidence")
	default:
		what = p.T("event.note")
	}
	if d := arg("dispute"); d != "" {
		what += " " + p.T("event.dispute_ref", "dispute", d, "issue", p.T("issue."+arg("issue")))
		if amount := arg("asked"); amount != "" {
			what += " " + p.T("event.dispute_asked", "amount", amount)
		}
		if amount := arg("refund"); amount != "" {
			what += " " + p.T("event.dispute_amount", "amount", amount)
		}
	}
	line := "**" + name + "** " + what
	if withTime {
		line = "`" + e.At.UTC().Format(timeLayout) + "` " + line
	}
	if e.Note != "" {
		line += "\n> " + strings.ReplaceAll(truncate(e.Note, 300), "\n", "\n> ")
	}
	return line
}

// itemNames names spec checklist items in p's language.
func itemNames(p Printer, items []string) string {
	names := make([]string, 0, len(items))
	for _, it := range items {
		if it != "" {
			names = append(names, p.T("spec."+it))
		}
	}
	return strings.Join(names, ", ")
}

// announce posts events of an order to the server's updates channel, in the server's language,
// mentioning the buyer (and nobody else). rows adds buttons (change requests). A failure is logged:
// the change itself is already saved.
func (a *App) announce(ctx context.Context, r *Request, st state.Settings, o *state.Order, events []state.Event, rows []discordgo.MessageComponent) {
	if st.UpdatesChannel == "" || len(events) == 0 || a.Announce == nil {
		return
	}
	p := a.ServerPrinter(r, st)
	lines := make([]string, 0, len(events))
	for _, e := range events {
		lines = append(lines, eventText(p, e, false))
	}
	msg := &discordgo.MessageSend{
		Content: truncate(p.T("announce.head", "buyer", "<@"+o.Buyer+">", "number", o.Number, "supplier", o.Supplier), 2000),
		Embeds: []*discordgo.MessageEmbed{{
			Title:       truncate(p.T("order.title", "number", o.Number, "supplier", o.Supplier), maxEmbedTitle),
			Description: truncate(strings.Join(lines, "\n"), maxEmbedDesc),
			Color:       colorInfo,
			Footer:      &discordgo.MessageEmbedFooter{Text: p.T("announce.footer", "status", p.T("status."+string(o.Status)), "at", r.Now.UTC().Format(timeLayout))},
		}},
		Components:      rows,
		AllowedMentions: &discordgo.MessageAllowedMentions{Users: []string{o.Buyer}},
	}
	if err := a.Announce.Announce(ctx, st.UpdatesChannel, msg); err != nil {
		a.Log.Warn("announce order event", "guild", r.Guild, "order", o.Number, "err", err)
	}
}

// statusName is a state's name in p's language.
func statusName(p Printer, s assurance.Status) string { return p.T("status." + string(s)) }
