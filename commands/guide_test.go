package commands_test

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands/commandstest"
)

func TestGuideTopicsFitOneMessage(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	want := map[string][]string{
		"what_is_ta":      {"What is Trade Assurance?", "within 30 days of confirming receipt (60 days for enterprise buyers)", "private account"},
		"find_suppliers":  {"Trade Assurance filter", "limit"},
		"create_order":    {"five steps", "1. Check the limit", "2. Write everything down", "3. Choose the coverage", "4. Confirm and pay", "5. Change only through the order", "/order create"},
		"coverage":        {"Post-delivery", "Pre-shipment", "1,500 USD"},
		"payment_methods": {"Credit or debit card**: fee 2.99%", "Boleto**: fee 1.35%", "-e-Checking", "/payment methods"},
		"change_order":    {"7 days expires", "90 days past the first agreed date", "once, by 15 days", "frozen"},
		"refunds":         {"within 3 days", "From day 4", "on day 8", "2 working days", "7 working days", "cannot be reopened"},
		"ta_vs_paypal":    {"PayPal", "not covered by Trade Assurance"},
		"fees":            {"no membership fee", "Online (local) bank transfer**: fee up to 1 unit of local currency", "1% or 2%"},
	}
	for topic, texts := range want {
		rec := h.Command(alice, "/guide topic:"+topic)
		m := rec.Last()
		if m.Ephemeral() || len(m.Embeds) != 1 {
			t.Errorf("%s: want one public embed, got %+v", topic, m)
		}
		checkText(t, topic, m.Text(), texts...)
		if strings.ContainsAny(m.Text(), "{}") || strings.Contains(m.Text(), "guide.") {
			t.Errorf("%s: unfilled placeholder or raw key:\n%s", topic, m.Text())
		}
	}
	if len(want) != 9 {
		t.Fatalf("%d topics tested", len(want))
	}

	// The numbers follow the policy in force.
	h.Policy.ClaimWindowDays["standard"] = 45
	h.Policy.Dispute.AutoEscalationDay = 7
	checkText(t, "variant", h.Command(alice, "/guide topic:refunds").Text(), "within 45 days", "on day 7")

	data := map[string]any{"id": "1", "name": "guide", "type": 1, "options": []map[string]any{{"type": 3, "name": "topic", "value": "gossip"}}}
	if rec := h.Dispatch(alice, discordgo.InteractionApplicationCommand, data, nil); !strings.Contains(rec.Text(), "`topic`: `gossip` is not one of `what_is_ta`") {
		t.Errorf("bad topic answered %q", rec.Text())
	}
	data["options"] = []map[string]any{}
	if rec := h.Dispatch(alice, discordgo.InteractionApplicationCommand, data, nil); !strings.Contains(rec.Text(), "`topic` is required") {
		t.Errorf("no topic answered %q", rec.Text())
	}
}
