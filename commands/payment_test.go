package commands_test

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands/commandstest"
)

// methodField returns the text of the embed field of a method (by its English name), or "".
func methodField(m commandstest.Message, name string) string {
	for _, e := range m.Embeds {
		for _, f := range e.Fields {
			if f.Name == name {
				return f.Value
			}
		}
	}
	return ""
}

func TestPaymentMethods(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	type method struct{ name, want string }
	cases := []struct {
		line    string
		methods []method // fields that must be there, with text they hold
		absent  []string // method names that must not be offered
		text    []string // anywhere in the message
	}{
		{"amount:1200 currency:USD country:US",
			[]method{
				{"Credit or debit card", "Fee: 2.99% = 35.88 USD\nTotal to pay: **1,235.88 USD**\nLimit: none known\nArrives: 1-2 hours"},
				{"Apple Pay", "Limit: 12,000.00 USD per payment"},
				{"Google Pay", "Total to pay: **1,235.88 USD**"},
				{"T/T wire to the designated account", "Fee: none charged by Alibaba.com\nTotal to pay: **1,200.00 USD**"},
				{"Online (local) bank transfer", "Fee: up to 1.00 USD\nTotal to pay: **1,201.00 USD**"},
				{"Payment Terms", "Limit: a credit line of up to 50,000.00 USD"},
			},
			[]string{"e-Checking (ACH)", "Western Union", "Pay Later", "Boleto"},
			[]string{"Boleto: not for buyers in US", "never covered by Trade Assurance", "from a buyer in US", "-may arrive short"}},
		// Fees rounded half away from zero to the currency's decimals.
		{"amount:1000.17 currency:usd country:us",
			[]method{{"Credit or debit card", "Fee: 2.99% = 29.91 USD\nTotal to pay: **1,030.08 USD**"}}, nil, nil},
		{"amount:0.5 currency:USD country:US",
			[]method{{"Credit or debit card", "Fee: 2.99% = 0.01 USD\nTotal to pay: **0.51 USD**"}}, nil, nil},
		// Apple Pay's limit: the amount fits at 12,000, the fee does not; above it, not offered.
		{"amount:12000 currency:USD country:US",
			[]method{{"Apple Pay", "⚠️ The amount fits the limit, but with the fee it does not."}}, nil, nil},
		{"amount:12000.01 currency:USD country:US", nil, []string{"Apple Pay", "Google Pay"},
			[]string{"Apple Pay: over its limit of 12,000.00 USD", "Google Pay: over its limit of 12,000.00 USD"}},
		{"amount:60000 currency:USD country:US", nil, []string{"Payment Terms"}, []string{"Payment Terms: over its limit of 50,000.00 USD"}},
		{"amount:500 currency:USD country:IN", []method{{"Apple Pay", "Fee: 2.99% = 14.95 USD"}}, []string{"Google Pay", "Payment Terms"},
			[]string{"Google Pay: not for buyers in IN"}},
		// Non-USD wires may arrive short; local transfers in the buyer's currency.
		{"amount:20000 currency:EUR country:DE",
			[]method{
				{"T/T wire to the designated account", "⚠️ A wire in EUR may arrive short after exchange and bank fees"},
				{"Online (local) bank transfer", "Fee: up to 1.00 EUR\nTotal to pay: **20,001.00 EUR**"},
			},
			[]string{"Credit or debit card", "Boleto"},
			[]string{"Credit or debit card: does not take EUR (takes USD)", "-Online (local) bank transfer: does not take"}},
		{"amount:20000 currency:AUD country:DE", []method{{"T/T wire to the designated account", "may arrive short"}}, []string{"Online (local) bank transfer"},
			[]string{"Online (local) bank transfer: does not take AUD (takes EUR)"}},
		{"amount:1000 currency:BRL country:BR", []method{{"Boleto", "Fee: 1.35% = 13.50 BRL\nTotal to pay: **1,013.50 BRL**\nLimit: none known\nArrives: 2-4 working days"}},
			[]string{"T/T wire to the designated account", "Credit or debit card"}, nil},
		{"amount:150000 currency:JPY country:JP", []method{{"T/T wire to the designated account", "Total to pay: **150,000 JPY**"}}, nil, nil},
		// Without a country: methods for some countries only are offered with a warning.
		{"amount:100 currency:USD",
			[]method{{"Online (local) bank transfer", "⚠️ Only for some countries: add `country:` to check yours."}, {"Credit or debit card", "Fee: 2.99% = 2.99 USD"}},
			[]string{"Boleto"}, []string{"Add `country:`"}},
		// Nothing fits.
		{"amount:100 currency:KRW country:KR", nil, []string{"T/T wire to the designated account"},
			[]string{"No payment method fits this amount and currency", "never covered by Trade Assurance"}},
	}
	for _, c := range cases {
		m := h.Command(alice, "/payment methods "+c.line).Last()
		if !m.Ephemeral() {
			t.Errorf("%s: not ephemeral", c.line)
		}
		for _, want := range c.methods {
			if got := methodField(m, want.name); !strings.Contains(got, want.want) {
				t.Errorf("%s: %s field %q, want it to hold %q", c.line, want.name, got, want.want)
			}
		}
		for _, name := range c.absent {
			if methodField(m, name) != "" {
				t.Errorf("%s: %s offered:\n%s", c.line, name, m.Text())
			}
		}
		checkText(t, c.line, m.Text(), c.text...)
	}
}

func TestPaymentMethodsLegacyOnlyWhenEnabled(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	line := "/payment methods amount:2499.99 currency:USD country:US"
	before := h.Command(alice, line).Last()
	for _, legacy := range []string{"e-Checking (ACH)", "Western Union", "Pay Later"} {
		if methodField(before, legacy) != "" || strings.Contains(before.Text(), legacy) {
			t.Errorf("legacy %s shown while disabled", legacy)
		}
	}
	// A policy variant that enables the legacy methods (an operator's policy file).
	for i := range h.Policy.PaymentMethods {
		switch h.Policy.PaymentMethods[i].Code {
		case "echeck", "western_union", "pay_later":
			h.Policy.PaymentMethods[i].Enabled = true
		}
	}
	m := h.Command(alice, line).Last()
	for name, want := range map[string]string{
		"e-Checking (ACH)": "Fee: 15.00 USD\nTotal to pay: **2,514.99 USD**\nLimit: none known\nArrives: 4-5 working days\nNeeds: a US checking account\n⚠️ An older method",
		"Western Union":    "Fee: a fixed fee of unknown amount\nTotal to pay: **2,499.99 USD** plus the fee\nLimit: payments under 2,500.00 USD",
		"Pay Later":        "Limit: a credit line of up to 150,000.00 USD",
	} {
		if got := methodField(m, name); !strings.Contains(got, want) {
			t.Errorf("%s field %q, want %q", name, got, want)
		}
	}
	m = h.Command(alice, "/payment methods amount:2500 currency:USD country:US").Last()
	checkText(t, "2500 USD", m.Text(), "Western Union: only for payments under 2,500.00 USD")
	m = h.Command(alice, "/payment methods amount:100 currency:USD country:DE").Last()
	checkText(t, "from DE", m.Text(), "e-Checking (ACH): not for buyers in DE", "Western Union: not for buyers in DE")
}

func TestPaymentMethodsBadInput(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	for _, c := range []struct{ line, want string }{
		{"amount:abc currency:USD", "`amount`: `abc` is not an amount"},
		{"amount:0 currency:USD", "`amount`: `0` must be greater than zero"},
		{"amount:-5 currency:USD", "`amount`: `-5` must be greater than zero"},
		{"amount:1.005 currency:USD", "`amount`: `1.005` has too many decimals; USD allows at most 2"},
		{"amount:10.5 currency:JPY", "JPY allows at most 0"},
		{"amount:9999999999999 currency:USD", "`amount`: `9999999999999` is larger than any order we accept"},
		{"amount:10 currency:XYZ", "`currency`: `XYZ` is not a currency we know"},
		{"amount:10 currency:US", "`currency`: `US` is not a currency we know"},
		{"amount:10 currency:USD country:XX", "`country`: `XX` is not a country code"},
		{"amount:10 currency:USD country:EU", "`country`: `EU` is not a country code"},
		{"amount:10 currency:USD country:USA", "`country`: `USA` is not a country code"},
	} {
		if rec := h.Command(alice, "/payment methods "+c.line); !strings.Contains(rec.Text(), c.want) || !rec.Last().Ephemeral() {
			t.Errorf("%s answered %q, want %q", c.line, rec.Text(), c.want)
		}
	}
	// Required options left out (Discord's client would not send this).
	for _, c := range []struct {
		opts []map[string]any
		want string
	}{
		{[]map[string]any{{"type": 3, "name": "currency", "value": "USD"}}, "`amount` is required"},
		{[]map[string]any{{"type": 3, "name": "amount", "value": "10"}}, "`currency` is required"},
	} {
		data := map[string]any{"id": "1", "name": "payment", "type": 1, "options": []map[string]any{{"type": 1, "name": "methods", "options": c.opts}}}
		if rec := h.Dispatch(alice, discordgo.InteractionApplicationCommand, data, nil); !strings.Contains(rec.Text(), c.want) {
			t.Errorf("%v answered %q, want %q", c.opts, rec.Text(), c.want)
		}
	}
}
