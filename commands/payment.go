package commands

import (
	"context"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

// /payment methods amount currency [country]: the payment methods of POLICY.md section 4 that
// fit one payment, each with its fee, the total to pay, its limit and when the money arrives
// (decimal maths in assurance.PaymentOptions). Legacy methods appear only when the policy
// enables them. Every answer reminds that a payment to a private account is never covered.

func (a *App) paymentMethodsSpec() Spec {
	return Spec{
		Command: "payment", Sub: "methods", Handle: a.paymentMethods, ReadOnly: true,
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "amount", Required: true, MaxLength: 20},
			{Type: discordgo.ApplicationCommandOptionString, Name: "currency", Required: true, MinLength: ptr(3), MaxLength: 3},
			{Type: discordgo.ApplicationCommandOptionString, Name: "country", MinLength: ptr(2), MaxLength: 2},
		},
	}
}

// paymentMethods answers /payment methods.
func (a *App) paymentMethods(_ context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	if r.String("currency") == "" {
		return nil, Fail("error.field.required", "field", "currency")
	}
	cur, err := r.Currency("currency")
	if err != nil {
		return nil, err
	}
	amount, _, err := r.Amount("amount", cur, true)
	if err != nil {
		return nil, err
	}
	country := strings.ToUpper(r.String("country"))
	if country != "" && !assurance.KnownCountry(country) {
		return nil, Fail("error.country", "field", "country", "value", r.String("country"))
	}
	p := r.Msg
	opts := a.Policy.PaymentOptions(amount, cur, country, false)
	title := p.T("pay.title", "amount", assurance.FormatMoney(amount, cur))
	intro := p.T("pay.intro.country", "country", country)
	if country == "" {
		intro = p.T("pay.intro.any")
	}
	if len(opts) == 0 {
		intro += "\n" + p.T("pay.none")
	}
	e := &discordgo.MessageEmbed{Title: title, Description: intro, Color: colorInfo,
		Footer: &discordgo.MessageEmbedFooter{Text: p.T("pay.footer", "version", a.Policy.Version)}}
	tail := []*discordgo.MessageEmbedField{field(p.T("pay.field.private"), p.T("pay.private"), false)}
	if s := a.unavailable(p, amount, cur, country, opts); s != "" {
		tail = append([]*discordgo.MessageEmbedField{field(p.T("pay.field.unavailable"), s, false)}, tail...)
	}
	// A policy with very many methods still fits one message: methods beyond the limits are left out.
	size := embedSize(e) + embedSize(&discordgo.MessageEmbed{Fields: tail})
	for _, o := range opts {
		f := field(a.methodName(p, o.Code), a.optionText(p, o), false)
		n := embedSize(&discordgo.MessageEmbed{Fields: []*discordgo.MessageEmbedField{f}})
		if len(e.Fields)+len(tail) >= maxEmbedFields || size+n > maxEmbedTotal {
			break
		}
		e.Fields, size = append(e.Fields, f), size+n
	}
	e.Fields = append(e.Fields, tail...)
	return reply(false, "", []*discordgo.MessageEmbed{e}, nil), nil
}

// embedSize counts the characters of an embed as Discord does for its 6000 total.
func embedSize(e *discordgo.MessageEmbed) int {
	n := runes(e.Title) + runes(e.Description)
	for _, f := range e.Fields {
		n += runes(f.Name) + runes(f.Value)
	}
	if e.Footer != nil {
		n += runes(e.Footer.Text)
	}
	return n
}

// tOr renders key, or fallback when the catalog lacks key.
func tOr(p Printer, key, fallback string, args ...any) string {
	if s := p.T(key, args...); s != key {
		return s
	}
	return fallback
}

// policyText is a text the policy file holds (a method's name, its arrival time): the policy's
// own English text, which an operator may change, or its translation in the member's language
// when the catalog has one.
func policyText(p Printer, key, policy string) string {
	if p.Lang() == DefaultLanguage {
		return policy
	}
	return tOr(p, key, policy)
}

func (a *App) methodName(p Printer, code string) string {
	m, _ := a.Policy.PaymentMethod(code)
	return policyText(p, "pay.method."+code, m.Name)
}

// optionText is one method's fee, total, limit, arrival, requirements and warnings.
func (a *App) optionText(p Printer, o assurance.PaymentOption) string {
	m, _ := a.Policy.PaymentMethod(o.Code)
	money := func(d decimal.Decimal) string { return assurance.FormatMoney(d, o.Currency) }
	var fee string
	switch {
	case !o.FeeKnown:
		fee = p.T("pay.fee.unknown")
	case o.FeeUpTo:
		fee = p.T("pay.fee.upto", "fee", money(o.Fee))
	case m.FeePercent != nil && m.FeeFixed != nil:
		fee = p.T("pay.fee.percent_fixed", "rate", m.FeePercent.String()+"%", "fixed", money(*m.FeeFixed), "fee", money(o.Fee))
	case m.FeePercent != nil:
		fee = p.T("pay.fee.percent", "rate", m.FeePercent.String()+"%", "fee", money(o.Fee))
	case m.FeeFixed != nil:
		fee = p.T("pay.fee.fixed", "fee", money(o.Fee))
	default:
		fee = p.T("pay.fee.none")
	}
	total := p.T("pay.total", "total", money(o.Total))
	if !o.FeeKnown {
		total = p.T("pay.total.plus_fee", "total", money(o.Total))
	}
	lines := []string{fee, total, a.limitText(p, o), p.T("pay.arrives", "when", policyText(p, "pay.arrival."+o.Code, o.Arrival))}
	if len(o.Requirements) > 0 {
		reqs := make([]string, len(o.Requirements))
		for i, c := range o.Requirements {
			reqs[i] = tOr(p, "pay.req."+c, strings.ReplaceAll(c, "_", " "))
		}
		lines = append(lines, p.T("pay.needs", "what", joinList(p, reqs)))
	}
	for _, w := range o.Warnings {
		if w == assurance.WarnFeeUpTo || w == assurance.WarnFeeUnknown {
			continue // the fee line says it
		}
		lines = append(lines, "⚠️ "+tOr(p, "pay.warn."+w, strings.ReplaceAll(w, "_", " "), "currency", o.Currency))
	}
	return strings.Join(lines, "\n")
}

// limitText phrases a method's limit.
func (a *App) limitText(p Printer, o assurance.PaymentOption) string {
	if o.Limit == nil {
		return p.T("pay.limit.none")
	}
	m, _ := a.Policy.PaymentMethod(o.Code)
	limit := assurance.FormatMoney(*o.Limit, o.LimitCurrency)
	switch {
	case o.LimitKind == assurance.LimitCredit:
		return p.T("pay.limit.credit", "limit", limit)
	case m.LimitExclusive:
		return p.T("pay.limit.under", "limit", limit)
	}
	return p.T("pay.limit.per_payment", "limit", limit)
}

// unavailable lists the enabled methods that do not fit, with the reason.
func (a *App) unavailable(p Printer, amount decimal.Decimal, cur, country string, opts []assurance.PaymentOption) string {
	var lines []string
	for _, m := range a.Policy.PaymentMethods {
		if !m.Enabled || containsOption(opts, m.Code) {
			continue
		}
		_, why := a.Policy.MethodAllowed(m.Code, amount, cur, country)
		var text string
		switch why {
		case assurance.PayCountryNotAllowed:
			text = p.T("pay.no.country", "country", country)
		case assurance.PayCurrencyNotAccepted:
			accepted := m.Currencies
			if len(accepted) == 1 && accepted[0] == assurance.LocalCurrency {
				accepted = nil
				for _, c := range m.Countries { // the buyer's own local currency when known
					if country == "" || c == country || slices.Contains(a.Policy.CountryGroups[c], country) {
						accepted = append(accepted, m.LocalCurrencies[c])
					}
				}
			}
			text = p.T("pay.no.currency", "currency", cur, "accepted", strings.Join(accepted, ", "))
		case assurance.PayOverLimit:
			key := "pay.no.limit"
			if m.LimitExclusive {
				key = "pay.no.limit_under"
			}
			text = p.T(key, "limit", assurance.FormatMoney(*m.Limit, m.LimitCurrency))
		default:
			continue
		}
		lines = append(lines, p.T("pay.no.line", "method", a.methodName(p, m.Code), "why", text))
	}
	return strings.Join(lines, "\n")
}

func containsOption(opts []assurance.PaymentOption, code string) bool {
	for _, o := range opts {
		if o.Code == code {
			return true
		}
	}
	return false
}
