package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
)

// /guide topic: short explanations of Trade Assurance in our own words (from POLICY.md and the
// research), one message each. Texts are catalog keys guide.<topic>.title, .body and
// .<n>.name/.<n>.value for the numbered fields; numbers come from the policy, so the guide
// says what the bot enforces.

// guideTopic is one topic: its code, how many numbered fields it has, and where a field listing
// the policy's payment methods goes (after that many numbered fields; -1 for none).
type guideTopic struct {
	code    string
	fields  int
	methods int
}

// guideTopics lists the topics in menu order.
var guideTopics = []guideTopic{
	{"what_is_ta", 3, -1},
	{"find_suppliers", 2, -1},
	{"create_order", 6, -1},
	{"coverage", 3, -1},
	{"payment_methods", 1, 0},
	{"change_order", 5, -1},
	{"refunds", 5, -1},
	{"ta_vs_paypal", 3, -1},
	{"fees", 3, 0},
}

func (a *App) guideSpec() Spec {
	o := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Required: true}
	for _, t := range guideTopics {
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: "guide.topic." + t.code, Value: t.code})
	}
	return Spec{Command: "guide", Handle: a.guide, Public: true, ReadOnly: true, Options: []*discordgo.ApplicationCommandOption{o}}
}

// guide shows one topic, publicly, so it can answer someone's question in the channel.
func (a *App) guide(_ context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	codes := make([]string, len(guideTopics))
	for i, t := range guideTopics {
		codes[i] = t.code
	}
	code, err := r.Choice("topic", codes...)
	if err != nil {
		return nil, err
	}
	if code == "" {
		return nil, Fail("error.field.required", "field", "topic")
	}
	for _, t := range guideTopics {
		if t.code == code {
			return reply(true, "", []*discordgo.MessageEmbed{a.guideEmbed(r.Msg, t)}, nil), nil
		}
	}
	return nil, Fail("error.field.required", "field", "topic")
}

// guideEmbed renders a topic.
func (a *App) guideEmbed(p Printer, t guideTopic) *discordgo.MessageEmbed {
	args := a.guideNumbers()
	key := "guide." + t.code
	e := &discordgo.MessageEmbed{
		Title:       p.T(key+".title", args...),
		Description: p.T(key+".body", args...),
		Color:       colorInfo,
		Footer:      &discordgo.MessageEmbedFooter{Text: p.T("guide.footer", "version", a.Policy.Version)},
	}
	for i := 1; i <= t.fields; i++ {
		if t.methods == i-1 {
			e.Fields = append(e.Fields, a.methodsField(p))
		}
		e.Fields = append(e.Fields, field(p.T(fmt.Sprintf("%s.%d.name", key, i), args...), p.T(fmt.Sprintf("%s.%d.value", key, i), args...), false))
	}
	if t.methods == t.fields {
		e.Fields = append(e.Fields, a.methodsField(p))
	}
	return e
}

// guideNumbers are the policy's numbers the guide texts may use.
func (a *App) guideNumbers() []any {
	pol := a.Policy
	d, o := pol.Dispute, pol.Orders
	enterprise := pol.Window("enterprise")
	return []any{
		"window_standard", pol.Window(pol.DefaultTier), "window_enterprise", enterprise,
		"supplier_days", d.SupplierAnswerDays, "escalate_day", d.EscalationFromDay, "auto_day", d.AutoEscalationDay,
		"joins_days", d.AlibabaJoinsWorkingDays, "refund_days", d.RefundStartsWorkingDays,
		"change_expiry_days", o.ChangeRequestExpiryDays, "ship_shift_days", o.ShipDateMaxShiftDays,
		"receipt_ext_days", o.ReceiptExtensionDays,
	}
}

// methodsField lists the payment methods the policy enables, with their buyer fee and arrival.
func (a *App) methodsField(p Printer) *discordgo.MessageEmbedField {
	var lines []string
	for _, m := range a.Policy.PaymentMethods {
		if !m.Enabled {
			continue
		}
		lines = append(lines, p.T("guide.method", "name", a.methodName(p, m.Code), "fee", methodFee(p, m),
			"arrival", policyText(p, "pay.arrival."+m.Code, m.Arrival)))
	}
	return field(p.T("guide.methods"), strings.Join(lines, "\n"), false)
}

// methodFee summarises a method's buyer fee without an amount: "2.99%", "15 USD", "none".
func methodFee(p Printer, m assurance.PaymentMethod) string {
	var parts []string
	if m.FeePercent != nil {
		parts = append(parts, m.FeePercent.String()+"%")
	}
	if m.FeeFixed != nil {
		cur := "USD"
		switch {
		case len(m.Currencies) == 1 && m.Currencies[0] == assurance.LocalCurrency:
			cur = p.T("guide.fee.local")
		case len(m.Currencies) > 0:
			cur = m.Currencies[0]
		}
		parts = append(parts, m.FeeFixed.String()+" "+cur)
	}
	switch {
	case m.FeeUnknown:
		return p.T("guide.fee.unknown")
	case len(parts) == 0:
		return p.T("guide.fee.none")
	case m.FeeUpTo:
		return p.T("guide.fee.upto", "fee", strings.Join(parts, " + "))
	}
	return strings.Join(parts, " + ")
}
