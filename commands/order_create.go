package commands

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

func (a *App) orderCreateSpec() Spec {
	return Spec{
		Command: "order", Sub: "create", Handle: a.orderCreate, Write: true,
		Options: []*discordgo.ApplicationCommandOption{
			strOpt("supplier", true, maxSupplierLen),
			strOpt("total", true, 20),
			{Type: discordgo.ApplicationCommandOptionString, Name: "currency", MinLength: ptr(3), MaxLength: 3},
			strOpt("deposit", false, 20),
			choiceOpt("payment-method", false, choices("pay.", a.methodCodes()...)),
			choiceOpt("coverage", false, choices("coverage.", coveragePostDelivery, coveragePreShipment)),
			dateOpt("ship-date"),
			choiceOpt("incoterm", false, choices("incoterm.", incoterms...)),
			{Type: discordgo.ApplicationCommandOptionInteger, Name: "quantity", MinValue: ptr(1.0), MaxValue: math.MaxInt32},
			strOpt("alibaba-order", false, maxAlibabaLen),
			choiceOpt("buyer-tier", false, choices("tier.", buyerTiers...)),
		},
	}
}

// alibabaOrderRe is the shape of an Alibaba.com order number (digits, sometimes with letters or dashes).
var alibabaOrderRe = regexp.MustCompile(`^[0-9A-Za-z-]{1,40}$`)

// orderCreate validates every option, then stores the order, its index entries, its supplier total and
// its "created" event at once, and answers with the order and the warnings of POLICY.md 2.2.
func (a *App) orderCreate(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	o, err := a.parseNewOrder(r)
	if err != nil {
		return nil, err
	}
	b := a.Store.Batch()
	st := b.Settings(r.Guild)
	sup := b.SupplierLimit(r.Guild, o.SupplierSlug)
	b.MarkGuild(r.Guild)
	if err := b.Exec(ctx); err != nil {
		return nil, err
	}
	w := actor(r)
	ev := w.event(evCreated, r.Now)
	ev.To = o.Status
	ev.Args = map[string]string{"total": assurance.FormatMoney(o.Total, o.Currency)}
	if err := a.Store.CreateOrder(ctx, o, ev); err != nil {
		return nil, fmt.Errorf("order create: %w", err)
	}
	e := a.orderEmbed(r.Msg, o)
	e.Title = r.Msg.T("order.created.title", "number", o.Number, "supplier", o.Supplier)
	embeds := []*discordgo.MessageEmbed{e}
	if warns := a.createWarnings(r, o, sup); len(warns) > 0 {
		embeds = append(embeds, &discordgo.MessageEmbed{
			Title: r.Msg.T("order.warnings"), Color: colorWarn,
			Description: truncate(strings.Join(warns, "\n"), maxEmbedDesc),
		})
	}
	rows := []discordgo.MessageComponent{row(
		button(r.Msg.T("button.specs"), discordgo.PrimaryButton, CustomID{Flow: flowSpecs, Step: "open", ID: num(o.Number)}),
		button(r.Msg.T("button.timeline"), discordgo.SecondaryButton, CustomID{Flow: flowTimeline, Step: "open", ID: num(o.Number)}),
	)}
	a.announce(ctx, r, *st, o, []state.Event{ev}, nil)
	return reply(false, "", embeds, rows), nil
}

// parseNewOrder reads and checks every option of /order create; nothing is read or written before.
func (a *App) parseNewOrder(r *Request) (*state.Order, error) {
	supplier, err := r.textOpt("supplier", true, maxSupplierLen, false)
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
	at := r.Now.UTC()
	o := &state.Order{
		Guild: r.Guild, Buyer: r.User.ID, BuyerName: actor(r).name, Supplier: supplier, SupplierSlug: state.Slug(supplier),
		Total: total, Currency: currency, Status: assurance.AwaitingConfirmation, StatusAt: at, CreatedAt: at, UpdatedAt: at,
	}
	deposit, ok, err := r.Amount("deposit", currency, false)
	if err != nil {
		return nil, err
	}
	if ok {
		if deposit.GreaterThan(total) {
			return nil, Fail("error.deposit.over_total", "field", "deposit", "value", r.String("deposit"), "total", assurance.FormatMoney(total, currency))
		}
		o.Deposit = &deposit
	}
	if o.Method, err = r.Choice("payment-method", a.methodCodes()...); err != nil {
		return nil, err
	}
	if o.Coverage, err = r.Choice("coverage", coveragePostDelivery, coveragePreShipment); err != nil {
		return nil, err
	}
	if o.Coverage == "" {
		o.Coverage = coveragePostDelivery
	}
	if o.ShipDate, err = r.Date("ship-date"); err != nil {
		return nil, err
	}
	if o.Incoterm, err = r.Choice("incoterm", incoterms...); err != nil {
		return nil, err
	}
	if o.Quantity, _, err = r.Int("quantity", 1, math.MaxInt32); err != nil {
		return nil, err
	}
	if o.AlibabaOrder = r.String("alibaba-order"); o.AlibabaOrder != "" && !alibabaOrderRe.MatchString(o.AlibabaOrder) {
		return nil, Fail("error.alibaba_order", "field", "alibaba-order", "value", truncate(o.AlibabaOrder, 50), "max", maxAlibabaLen)
	}
	if o.BuyerTier, err = r.Choice("buyer-tier", buyerTiers...); err != nil {
		return nil, err
	}
	if o.BuyerTier == "" {
		o.BuyerTier = a.Policy.DefaultTier
	}
	a.schedule(o)
	return o, nil
}

// createWarnings are the warnings and notes of POLICY.md 2.2 for a new order.
func (a *App) createWarnings(r *Request, o *state.Order, sup *state.SupplierRead) []string {
	p := r.Msg
	var out []string
	if w := a.limitWarning(p, o, sup); w != "" {
		out = append(out, w)
	}
	for _, item := range specChecklist(o).Missing() {
		out = append(out, "• "+p.T("warn.spec."+item))
	}
	out = append(out, a.methodWarnings(p, o)...)
	if today := assurance.DateOf(r.Now); !o.ShipDate.IsZero() && o.ShipDate.Before(today) {
		out = append(out, "• "+p.T("warn.ship_date_past", "date", o.ShipDate.String()))
	}
	if o.Coverage == coveragePreShipment {
		out = append(out, "• "+p.T("warn.pre_shipment"))
	}
	return out
}

// limitWarning compares the order total with its supplier's remaining Trade Assurance limit: the limit
// minus the totals of the supplier's other open orders in this server (sup was read before the order
// was stored, so it holds only the others).
func (a *App) limitWarning(p Printer, o *state.Order, sup *state.SupplierRead) string {
	if sup.Supplier == nil {
		return "• " + p.T("warn.ta.unknown", "supplier", o.Supplier)
	}
	s := sup.Supplier
	if s.Currency != o.Currency {
		return "• " + p.T("warn.ta.currency", "limit", assurance.FormatMoney(s.Limit, s.Currency), "currency", o.Currency)
	}
	remaining := sup.Remaining(nil)
	if over := assurance.Uncovered(o.Total, remaining); over.IsPositive() {
		return "• " + p.T("warn.ta.over", "remaining", assurance.FormatMoney(decimal.Max(remaining, decimal.Zero), s.Currency),
			"limit", assurance.FormatMoney(s.Limit, s.Currency), "over", assurance.FormatMoney(over, o.Currency))
	}
	return ""
}

// methodWarnings warns when the order's payment method is not available for its payments (POLICY.md section 4).
func (a *App) methodWarnings(p Printer, o *state.Order) []string {
	if o.Method == "" {
		return nil
	}
	amounts := []decimal.Decimal{o.Total}
	if o.Deposit != nil && o.Deposit.IsPositive() && o.Deposit.LessThan(o.Total) {
		amounts = []decimal.Decimal{*o.Deposit, o.Total.Sub(*o.Deposit)}
	}
	var out []string
	seen := map[string]bool{}
	for _, amt := range amounts {
		if ok, why := a.Policy.MethodAllowed(o.Method, amt, o.Currency, ""); !ok && !seen[why] {
			seen[why] = true
			out = append(out, "• "+p.T("warn.pay."+why, "method", p.T("pay."+o.Method), "amount", assurance.FormatMoney(amt, o.Currency), "currency", o.Currency))
		}
	}
	return out
}

// specChecklist is the order's spec checklist.
func specChecklist(o *state.Order) assurance.Checklist {
	return assurance.Checklist{
		DesignFiles: o.Specs.DesignFiles, Quality: o.Specs.Quality, Packaging: o.Specs.Packaging,
		Customisation: o.Specs.Customisation, Quantity: o.Quantity,
	}
}
