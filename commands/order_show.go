package commands

import (
	"context"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// Flows of the order buttons and forms (custom_id v1:<flow>:<step>:<order>[:args]).
const (
	flowSpecs    = "spec"
	flowTimeline = "otl"
	flowList     = "olist"
	flowChange   = "chg"
	flowAck      = "ack"
)

// num renders an order number for a custom_id.
func num(n int64) string { return strconv.FormatInt(n, 10) }

func (a *App) orderShowSpec() Spec {
	return Spec{
		Command: "order", Sub: "show", Handle: a.orderShow, ReadOnly: true, Autocomplete: a.orderSuggest,
		Options: []*discordgo.ApplicationCommandOption{orderOption(true)},
	}
}

// orderShow shows one order the member may see, what they may do next, and buttons for the specs,
// the timeline and the change requests they may decide.
func (a *App) orderShow(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	oc, err := a.openOrderOption(ctx, r, "order")
	if err != nil {
		return nil, err
	}
	e := a.orderEmbed(r.Msg, oc.o)
	e.Fields = append(e.Fields, field(r.Msg.T("order.field.next"), nextSteps(r.Msg, oc.o, oc.role), false))
	return reply(false, "", []*discordgo.MessageEmbed{e}, a.orderButtons(r, oc)), nil
}

// orderButtons are the buttons under an order: specs, timeline, and the pending change requests the
// member may decide or withdraw.
func (a *App) orderButtons(r *Request, oc *orderCtx) []discordgo.MessageComponent {
	p, o := r.Msg, oc.o
	rows := []discordgo.MessageComponent{row(
		button(p.T("button.specs"), discordgo.PrimaryButton, CustomID{Flow: flowSpecs, Step: "open", ID: num(o.Number)}),
		button(p.T("button.timeline"), discordgo.SecondaryButton, CustomID{Flow: flowTimeline, Step: "open", ID: num(o.Number)}),
	)}
	for _, c := range o.Changes {
		if len(rows) == maxRows || !r.Now.Before(c.Expiry) {
			continue
		}
		if btns := changeButtons(p, o, c, r.User.ID, oc.role); len(btns) > 0 {
			rows = append(rows, row(btns...))
		}
	}
	return rows
}

// orderEmbed summarises an order: every term, payments, shipping, inspection, specs and pending changes.
func (a *App) orderEmbed(p Printer, o *state.Order) *discordgo.MessageEmbed {
	fields := []*discordgo.MessageEmbedField{
		field(p.T("order.field.status"), statusName(p, o.Status), true),
		field(p.T("order.field.total"), assurance.FormatMoney(o.Total, o.Currency), true),
		field(p.T("order.field.paid"), a.paidText(p, o), true),
	}
	if o.Deposit != nil {
		fields = append(fields, field(p.T("order.field.deposit"), assurance.FormatMoney(*o.Deposit, o.Currency), true))
	}
	if o.Method != "" {
		fields = append(fields, field(p.T("order.field.method"), p.T("pay."+o.Method), true))
	}
	fields = append(fields, field(p.T("order.field.coverage"), p.T("coverage."+o.Coverage), true))
	if o.Incoterm != "" {
		risk, _ := a.Policy.TransitRisk(o.Incoterm)
		fields = append(fields, field(p.T("order.field.incoterm"), p.T("order.incoterm_risk", "incoterm", o.Incoterm, "risk", p.T("risk."+risk)), true))
	}
	if o.Quantity > 0 {
		fields = append(fields, field(p.T("order.field.quantity"), strconv.FormatInt(o.Quantity, 10), true))
	}
	if !o.ShipDate.IsZero() {
		ship := o.ShipDate.String()
		if !o.FirstShip.IsZero() && o.FirstShip != o.ShipDate {
			ship += " " + p.T("order.first_ship", "date", o.FirstShip.String())
		}
		fields = append(fields, field(p.T("order.field.ship_date"), ship, true))
	}
	if !o.ShippedOn.IsZero() || o.Tracking != "" {
		fields = append(fields, field(p.T("order.field.shipped"), strings.TrimSpace(o.ShippedOn.String()+" "+o.Tracking), true))
	}
	if !o.ReceivedOn.IsZero() {
		last := o.ReceivedOn.AddDays(a.Policy.Window(o.BuyerTier))
		fields = append(fields, field(p.T("order.field.received"), p.T("order.received_window", "date", o.ReceivedOn.String(), "last", last.String()), true))
	}
	if o.AlibabaOrder != "" {
		fields = append(fields, field(p.T("order.field.alibaba_order"), o.AlibabaOrder, true))
	}
	fields = append(fields,
		field(p.T("order.field.tier"), p.T("tier."+o.BuyerTier), true),
		field(p.T("order.field.buyer"), "<@"+o.Buyer+">", true))
	if o.Address != "" {
		fields = append(fields, field(p.T("order.field.address"), o.Address, false))
	}
	if in := o.Inspection; in != nil {
		v := p.T("inspection."+in.Result) + " (" + in.At.UTC().Format(timeLayout) + ")"
		if in.Note != "" {
			v += "\n" + truncate(in.Note, 300)
		}
		if !in.Accepted.IsZero() {
			v += "\n" + p.T("order.inspection_accepted")
		}
		fields = append(fields, field(p.T("order.field.inspection"), v, false))
	}
	fields = append(fields, field(p.T("order.field.specs"), specsText(p, o), false))
	if len(o.Changes) > 0 {
		var lines []string
		for _, c := range o.Changes {
			lines = append(lines, p.T("order.change_line", "id", c.ID, "field", p.T("field."+c.Field), "value", truncate(changeValue(c), 150),
				"by", c.ByName, "expiry", c.Expiry.UTC().Format(timeLayout), "waiting", p.T("mode."+string(c.Mode))))
		}
		fields = append(fields, field(p.T("order.field.changes"), strings.Join(lines, "\n"), false))
	}
	return &discordgo.MessageEmbed{
		Title:  truncate(p.T("order.title", "number", o.Number, "supplier", o.Supplier), maxEmbedTitle),
		Color:  colorInfo,
		Fields: fields,
		Footer: &discordgo.MessageEmbedFooter{Text: p.T("order.footer", "created", o.CreatedAt.UTC().Format(timeLayout), "updated", o.UpdatedAt.UTC().Format(timeLayout))},
	}
}

// paidText is what arrived, and what is on its way.
func (a *App) paidText(p Printer, o *state.Order) string {
	s := assurance.FormatMoney(o.Arrived(), o.Currency)
	if pp := o.PendingPayment(); pp != nil {
		s += " " + p.T("order.paid_pending", "amount", assurance.FormatMoney(pp.Amount, o.Currency))
	}
	return s
}

// specsText lists the checklist items, marking the missing ones.
func specsText(p Printer, o *state.Order) string {
	s := o.Specs
	var lines []string
	for _, it := range []struct{ code, v string }{
		{assurance.SpecDesignFiles, s.DesignFiles}, {assurance.SpecQuality, s.Quality},
		{assurance.SpecPackaging, s.Packaging}, {assurance.SpecCustomisation, s.Customisation},
	} {
		v := it.v
		if v == "" {
			v = p.T("spec.missing")
		}
		lines = append(lines, "**"+p.T("spec."+it.code)+"**: "+truncate(strings.ReplaceAll(v, "\n", " "), 200))
	}
	return strings.Join(lines, "\n")
}

// specsSummary is a checklist on one line (for change requests).
func specsSummary(s state.Specs) string {
	var parts []string
	for _, v := range []string{s.DesignFiles, s.Quality, s.Packaging, s.Customisation} {
		if v != "" {
			parts = append(parts, strings.ReplaceAll(v, "\n", " "))
		}
	}
	return strings.Join(parts, " | ")
}
