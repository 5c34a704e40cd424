package commands_test

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands/commandstest"
)

// checkText asserts that text holds every want and none of the lacks ("-" prefixed wants).
func checkText(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if lack, ok := strings.CutPrefix(w, "-"); ok {
			if strings.Contains(text, lack) {
				t.Errorf("%s: unexpected %q in:\n%s", what, lack, text)
			}
			continue
		}
		if !strings.Contains(text, w) {
			t.Errorf("%s: missing %q in:\n%s", what, w, text)
		}
	}
}

func TestEligibilityQuickAnswers(t *testing.T) {
	h := commandstest.New(t) // today is 2026-11-27
	alice := h.Buyer("alice")
	known := " paid-through-alibaba:true supplier-has-ta:true"
	cases := []struct {
		line string
		want []string
	}{
		// What the answer depends on, phrased as conditions, with what happens otherwise.
		{"issue:quality_mismatch days-since-receipt:5 supplier-has-ta:true spec-in-order:true evidence:photos amount-paid:1000", []string{
			"Likely eligible, up to 1,000.00 USD, if you paid through Alibaba.com (checkout or the designated account)**",
			"If you paid another way, for example to a private account: not covered",
			"2026-12-22 (25 days left)", "Assumed order status: Received, claim window running (add status:"}},
		{"issue:damaged", []string{
			"Likely eligible, if the supplier offers Trade Assurance, you paid through Alibaba.com (checkout or the designated account), " +
				"you received the goods on or after 2026-10-28, the supplier carried the risk until delivery (such as DAP or DDP) and you have photos of the goods**",
			"If you received the goods before 2026-10-28: not covered, because the claim window has closed.",
			"Add `amount-paid:` to see the figure", "30 days after you confirm receipt",
			"Assumed order status: Received, claim window running"}},
		{"issue:not_received" + known + " evidence:tracking amount-paid:800", []string{
			"Likely eligible, up to 800.00 USD, if the supplier carried the risk until delivery", "Assumed order status: In transit"}},
		{"issue:not_shipped_by_date" + known + " amount-paid:500", []string{
			"Likely eligible, up to 500.00 USD, if the agreed ship date was before 2026-11-27**",
			"If the agreed ship date is 2026-11-27 or later: not yet, because the agreed ship date has not passed yet.",
			"Assumed order status: Paid, awaiting shipment"}},
		{"issue:not_shipped_by_date" + known + " shipped-on:2026-11-20", []string{
			"Likely eligible, if the agreed ship date was before 2026-11-20**", "Assumed order status: In transit"}},
		{"issue:not_shipped_by_date" + known + " ship-date:2026-11-01 status:in_transit", []string{
			"Likely eligible, if the goods shipped after 2026-11-01**", "-Assumed order status"}},
		{"issue:not_shipped_by_date" + known + " status:received days-since-receipt:3", []string{
			"Likely eligible, if the goods shipped after the agreed ship date**",
			"If the goods shipped on or before the agreed ship date: not covered"}},
		{"issue:not_shipped_by_date" + known + " ship-date:2026-11-01 shipped-on:2026-11-10 amount-paid:1000 coverage:pre_shipment paid-before-shipment:300", []string{
			"**Likely eligible, up to 300.00 USD**", "Paid before shipment (pre-shipment coverage): 300.00 USD",
			"set by the amount paid before shipment", "-Otherwise"}},
		{"issue:not_shipped_by_date" + known + " ship-date:2026-11-10 shipped-on:2026-11-10", []string{
			"**Not covered**", "The goods shipped on 2026-11-10, on or before the agreed ship date 2026-11-10", "-Otherwise"}},
		{"issue:not_shipped_by_date" + known + " ship-date:2026-12-01 status:awaiting_shipment", []string{
			"**Not yet**", "The agreed ship date 2026-12-01 has not passed yet", "From 2026-12-02."}},
		// Known facts that decide, whatever else is missing: no conditions.
		{"issue:damaged paid-through-alibaba:false", []string{"**Not covered**", "never covered", "-Otherwise", "offline complaint"}},
		{"issue:change_of_mind", []string{"**Not covered**", "Trade Assurance does not cover “Change of mind”", "-Otherwise"}},
		{"issue:wrong_item days-since-receipt:31", []string{"**Not covered**", "closed on 2026-11-26", "-Otherwise"}},
		{"issue:damaged" + known + " status:payment_processing", []string{"**Not yet**", "has not arrived yet"}},
		{"issue:damaged" + known + " status:awaiting_payment", []string{"**Not covered**", "Cancel the order"}},
		{"issue:damaged" + known + " status:in_transit", []string{"**Not yet**", "only once the goods have arrived", "within 30 days"}},
		{"issue:not_received" + known + " status:awaiting_shipment", []string{"**Not yet**", "claim late shipment instead"}},
		{"issue:damaged" + known + " incoterm:FOB", []string{"**Not covered**", "you carried the risk", "Claim with the carrier"}},
		{"issue:quality_mismatch" + known + " days-since-receipt:2 spec-in-order:true inspection:pass", []string{"**Not covered**", "inspection report found the goods match"}},
		{"issue:quality_mismatch" + known + " accepted-in-writing:true", []string{"**Not covered**", "You accepted this problem in writing"}},
		{"issue:quality_mismatch" + known + " coverage:pre_shipment", []string{"**Not covered**", "pre-shipment coverage"}},
		{"issue:damaged" + known + " status:in_dispute", []string{"**Not covered**", "already open"}},
		{"issue:damaged" + known + " status:cancelled", []string{"**Not covered**", "it is closed"}},
		// Window boundaries: the last day and the day after, standard and enterprise.
		{"issue:damaged" + known + " days-since-receipt:30 incoterm:DDP evidence:photos amount-paid:10", []string{"**Likely eligible, up to 10.00 USD**", "2026-11-27 (0 days left)"}},
		{"issue:damaged" + known + " days-since-receipt:31 incoterm:DDP evidence:photos amount-paid:10", []string{"**Not covered**", "closed on 2026-11-26"}},
		{"issue:damaged" + known + " days-since-receipt:60 buyer-tier:enterprise incoterm:DDP evidence:photos amount-paid:10", []string{"**Likely eligible, up to 10.00 USD**", "2026-11-27 (0 days left)"}},
		{"issue:damaged" + known + " days-since-receipt:61 buyer-tier:enterprise incoterm:DDP evidence:photos amount-paid:10", []string{"**Not covered**", "up to 60 days after receipt"}},
		// Refund maths: each limited_by.
		{"issue:short_quantity" + known + " days-since-receipt:1 spec-in-order:true evidence:photos amount-paid:1000 affected-qty:1 total-qty:3", []string{
			"up to 333.33 USD", "Share affected: 1 of 3 units × 1,000.00 USD = 333.33 USD", "set by the share of the goods affected"}},
		{"issue:short_quantity" + known + " days-since-receipt:1 spec-in-order:true evidence:photos amount-paid:1000 ta-limit-left:400", []string{
			"up to 400.00 USD", "Supplier's remaining Trade Assurance limit 400.00 USD: covered up to 400.00 USD", "set by the supplier's remaining Trade Assurance limit"}},
		{"issue:short_quantity" + known + " days-since-receipt:1 spec-in-order:true evidence:photos amount-paid:1000 claimed:250.5", []string{
			"up to 250.50 USD", "You claim: 250.50 USD", "set by the amount you claim"}},
		{"issue:short_quantity" + known + " days-since-receipt:1 spec-in-order:true evidence:photos,video amount-paid:90000 currency:jpy", []string{
			"up to 90,000 JPY", "set by the amount paid"}},
	}
	for _, c := range cases {
		rec := h.Command(alice, "/eligibility quick "+c.line)
		m := rec.Last()
		if !m.Ephemeral() || len(m.Components) != 0 {
			t.Errorf("%s: quick answers are one ephemeral reply without buttons", c.line)
		}
		checkText(t, c.line, m.Text(), c.want...)
	}
}

// quickRaw sends /eligibility quick with raw option values, as a client that ignores the
// definitions (or an old one) could.
func quickRaw(t *testing.T, h *commandstest.Harness, m commandstest.Member, opts ...map[string]any) *commandstest.Recorder {
	t.Helper()
	all := append([]map[string]any{{"type": 3, "name": "issue", "value": "damaged"}}, opts...)
	if len(opts) > 0 && opts[0]["name"] == "issue" {
		all = opts
	}
	data := map[string]any{"id": "1", "name": "eligibility", "type": 1, "options": []map[string]any{
		{"type": 1, "name": "quick", "options": all},
	}}
	return h.Dispatch(m, discordgo.InteractionApplicationCommand, data, nil)
}

func TestEligibilityQuickBadInput(t *testing.T) {
	h := commandstest.New(t)
	alice := h.Buyer("alice")
	typed := []struct{ line, want string }{
		{"issue:damaged days-since-receipt:-1", "`days-since-receipt` must be a whole number from 0 to 3650"},
		{"issue:damaged days-since-receipt:3651", "`days-since-receipt` must be a whole number from 0 to 3650"},
		{"issue:damaged amount-paid:abc", "`amount-paid`: `abc` is not an amount"},
		{"issue:damaged amount-paid:0", "`amount-paid`: `0` must be greater than zero"},
		{"issue:damaged amount-paid:1.234", "USD allows at most 2"},
		{"issue:damaged amount-paid:100 currency:JPY claimed:1.5", "`claimed`: `1.5` has too many decimals; JPY allows at most 0"},
		{"issue:damaged currency:XYZ", "`currency`: `XYZ` is not a currency we know"},
		{"issue:damaged evidence:photos,selfie", "`evidence`: `selfie` is not one of `photos`, `video`, `inspection_report`, `tracking`, `chat_records`, `packing_list`"},
		{"issue:damaged affected-qty:5 total-qty:4", "`affected-qty`: `5` is more than the units ordered"},
		{"issue:damaged affected-qty:0", "`affected-qty` must be a whole number from 1"},
		{"issue:damaged total-qty:0", "`total-qty` must be a whole number from 1"},
		{"issue:damaged ship-date:2026-02-30", "`ship-date`: `2026-02-30` is not a real date"},
		{"issue:damaged shipped-on:20261101", "`shipped-on`: `20261101` is not a real date"},
		{"issue:damaged shipped-on:2026-12-01", "`shipped-on`: `2026-12-01` is in the future"},
		{"issue:damaged paid-before-shipment:-1", "`paid-before-shipment`: `-1` must be greater than zero"},
		{"issue:damaged ta-limit-left:x", "`ta-limit-left`: `x` is not an amount"},
		{"issue:damaged claimed:1e5", "`claimed`: `1e5` is not an amount"},
	}
	for _, c := range typed {
		if rec := h.Command(alice, "/eligibility quick "+c.line); !strings.Contains(rec.Text(), c.want) || !rec.Last().Ephemeral() {
			t.Errorf("%s answered %q, want %q", c.line, rec.Text(), c.want)
		}
	}
	// Options with fixed choices or types that Discord's client enforces, sent anyway.
	raw := []struct {
		opt  map[string]any
		want string
	}{
		{map[string]any{"type": 3, "name": "issue", "value": "bored"}, "`issue`: `bored` is not one of `not_shipped_by_date`"},
		{map[string]any{"type": 3, "name": "status", "value": "lost"}, "`status`: `lost` is not one of `awaiting_confirmation`"},
		{map[string]any{"type": 3, "name": "buyer-tier", "value": "gold"}, "`buyer-tier`: `gold` is not one of `enterprise`, `standard`"},
		{map[string]any{"type": 3, "name": "coverage", "value": "full"}, "`coverage`: `full` is not one of `post_delivery`, `pre_shipment`"},
		{map[string]any{"type": 3, "name": "incoterm", "value": "XYZ"}, "`incoterm`: `XYZ` is not one of `CFR`, `CIF`"},
		{map[string]any{"type": 3, "name": "inspection", "value": "ok"}, "`inspection`: `ok` is not one of `pass`, `fail`, `pending`, `none`"},
		{map[string]any{"type": 5, "name": "paid-through-alibaba", "value": "yes"}, "`paid-through-alibaba`: `yes` is not one of `true`, `false`"},
		{map[string]any{"type": 5, "name": "supplier-has-ta", "value": 1}, "`supplier-has-ta`: `1` is not one of `true`, `false`"},
		{map[string]any{"type": 5, "name": "spec-in-order", "value": "no"}, "`spec-in-order`: `no` is not one of `true`, `false`"},
		{map[string]any{"type": 5, "name": "accepted-in-writing", "value": "x"}, "`accepted-in-writing`: `x` is not one of `true`, `false`"},
		{map[string]any{"type": 4, "name": "days-since-receipt", "value": 1.5}, "`days-since-receipt` must be a whole number from 0 to 3650"},
	}
	for _, c := range raw {
		if rec := quickRaw(t, h, alice, c.opt); !strings.Contains(rec.Text(), c.want) {
			t.Errorf("%v answered %q, want %q", c.opt, rec.Text(), c.want)
		}
	}
	if rec := quickRaw(t, h, alice, map[string]any{"type": 3, "name": "issue", "value": ""}); !strings.Contains(rec.Text(), "`issue` is required") {
		t.Errorf("empty issue answered %q", rec.Text())
	}
}
