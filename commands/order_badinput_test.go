package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands/commandstest"
)

// orderCount is how many orders the test server has.
func orderCount(t *testing.T, h *commandstest.Harness) int64 {
	t.Helper()
	p, err := h.Store.ListOrders(context.Background(), commandstest.Guild, "orders", 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

func TestCreateBadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice := h.Buyer("alice")
	long := strings.Repeat("x", 101)
	for _, c := range []struct{ line, want string }{
		{`/order create supplier:Acme total:abc`, "`total`: `abc` is not an amount"},
		{`/order create supplier:Acme total:-5`, "`total`: `-5` must be greater than zero"},
		{`/order create supplier:Acme total:0`, "`total`: `0` must be greater than zero"},
		{`/order create supplier:Acme total:12.345`, "`total`: `12.345` has too many decimals; USD allows at most 2"},
		{`/order create supplier:Acme total:12.5 currency:JPY`, "JPY allows at most 0"},
		{`/order create supplier:Acme total:1e5`, "`total`: `1e5` is not an amount"},
		{`/order create supplier:Acme total:99999999999999`, "`total`: `99999999999999` is larger than any order"},
		{`/order create supplier:Acme total:10 currency:XYZ`, "`currency`: `XYZ` is not a currency"},
		{`/order create supplier:Acme total:10 deposit:20`, "`deposit`: the deposit 20 is more than the order total"},
		{`/order create supplier:Acme total:10 deposit:-1`, "`deposit`: `-1` must be greater than zero"},
		{`/order create supplier:Acme total:10 deposit:1.001`, "`deposit`: `1.001` has too many decimals"},
		{`/order create supplier:Acme total:10 ship-date:2026-02-30`, "`ship-date`: `2026-02-30` is not a real date"},
		{`/order create supplier:Acme total:10 ship-date:20-12-2026`, "`ship-date`: `20-12-2026` is not a real date"},
		{`/order create supplier:Acme total:10 quantity:0`, "`quantity` must be a whole number from 1 to 2147483647"},
		{`/order create supplier:Acme total:10 quantity:-3`, "`quantity` must be a whole number from 1"},
		{`/order create supplier:Acme total:10 quantity:2147483648`, "`quantity` must be a whole number from 1 to 2147483647"},
		{`/order create supplier:` + long + ` total:10`, "`supplier` is too long: 101 characters, at most 100"},
		{`/order create supplier:"   " total:10`, "`supplier` is required"},
		{`/order create supplier:Acme total:10 alibaba-order:"12 34;DROP"`, "`alibaba-order`: `12 34;DROP` is not an Alibaba.com order number"},
	} {
		text := h.Command(alice, c.line).Text()
		if !strings.Contains(text, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.line, text, c.want)
		}
	}
	// A value outside an option's choices (Discord's client would not send it, a forged request might).
	raw := map[string]any{"id": "1", "name": "order", "type": 1, "options": []map[string]any{{"type": 1, "name": "create", "options": []map[string]any{
		{"type": 3, "name": "supplier", "value": "Acme"}, {"type": 3, "name": "total", "value": "10"},
		{"type": 3, "name": "payment-method", "value": "bitcoin"}}}}}
	if text := h.Dispatch(alice, discordgo.InteractionApplicationCommand, raw, nil).Text(); !strings.Contains(text, "`payment-method`: `bitcoin` is not one of") {
		t.Errorf("unknown payment method: %s", text)
	}
	if n := orderCount(t, h); n != 0 {
		t.Fatalf("bad input created %d orders", n)
	}
}

func TestOrderCommandsBadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, bob := h.Buyer("alice"), h.Agent("bob")
	n := seed(t, h, alice, assurance.AwaitingBalance)
	long := func(k int) string { return strings.Repeat("y", k) }
	for _, c := range []struct {
		who        commandstest.Member
		line, want string
	}{
		{alice, `/order show order:0`, "`order` must be a whole number from 1"},
		{alice, `/order show order:2147483648`, "`order` must be a whole number from 1 to 2147483647"},
		{alice, `/order show order:77`, "There is no order #77"},
		{bob, `/order update order:#N note:"` + long(1001) + `"`, "`note` is too long: 1001 characters, at most 1000"},
		{bob, `/order update order:#N tracking:"` + long(101) + `"`, "`tracking` is too long: 101 characters, at most 100"},
		{bob, `/order update order:#N status:in_dispute date:2026-13-01`, "`date`: `2026-13-01` is not a real date"},
		{alice, `/order update order:#N status:in_dispute date:2026-12-30`, "`date`: 2026-12-30 is in the future"},
		{bob, `/order update order:#N date:2026-11-20`, "`date` goes with a `status`"},
		{bob, `/order update order:#N`, "Tell me what to update"},
		{alice, `/order pay order:#N amount:abc method:tt`, "`amount`: `abc` is not an amount"},
		{alice, `/order pay order:#N amount:-840 method:tt`, "`amount`: `-840` must be greater than zero"},
		{alice, `/order pay order:#N amount:840.001 method:tt`, "`amount`: `840.001` has too many decimals"},
		{alice, `/order pay order:#N amount:841 method:tt`, "`amount`: 841 is more than what remains to pay (840.00 USD)"},
		{alice, `/order pay order:#N amount:840 method:tt date:2026-02-29`, "`date`: `2026-02-29` is not a real date"},
		{alice, `/order change order:#N field:ship_date value:2026-02-30`, "`value`: `2026-02-30` is not a real date"},
		{alice, `/order change order:#N field:quantity value:0`, "`value` must be a whole number from 1 to 2147483647"},
		{alice, `/order change order:#N field:quantity value:2147483648`, "`value` must be a whole number from 1 to 2147483647"},
		{alice, `/order change order:#N field:address value:"` + long(501) + `"`, "`value` is too long: 501 characters, at most 500"},
		{bob, `/order inspection order:#N result:fail note:"` + long(1001) + `"`, "`note` is too long: 1001 characters"},
		{alice, `/order cancel order:#N reason:"` + long(501) + `"`, "`reason` is too long: 501 characters, at most 500"},
	} {
		pre := snap(t, h, n)
		text := h.Command(c.who, cmd(c.line, n)).Text()
		if !strings.Contains(text, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.line, text, c.want)
		}
		if snap(t, h, n) != pre {
			t.Errorf("%s: bad input changed the order", c.line)
		}
	}
	// Values checked against the order: its currency, its buyer, another currency's decimals.
	m := seed(t, h, alice, assurance.AwaitingConfirmation)
	for _, c := range []struct{ line, want string }{
		{`/order change order:#N field:total value:1.234`, "`value`: `1.234` has too many decimals; USD allows at most 2"},
		{`/order change order:#N field:total value:-1`, "`value`: `-1` must be greater than zero"},
		{`/order change order:#N field:currency value:XYZ`, "`value`: `XYZ` is not a currency"},
		{`/order change order:#N field:buyer value:bob`, "`value`: `bob` is not a member"},
		{`/order change order:#N field:incoterm value:ABC`, "`value`: `ABC` is not one of"},
	} {
		pre := snap(t, h, m)
		if text := h.Command(bob, cmd(c.line, m)).Text(); !strings.Contains(text, c.want) || snap(t, h, m) != pre {
			t.Errorf("%s:\n got %s\nwant %s", c.line, text, c.want)
		}
	}
}

func TestSupplierBadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	bob := h.Agent("bob")
	for _, c := range []struct{ line, want string }{
		{`/supplier set name:Acme ta-limit:-1`, "`ta-limit`: `-1` must be greater than zero"},
		{`/supplier set name:Acme ta-limit:1.234`, "`ta-limit`: `1.234` has too many decimals"},
		{`/supplier set name:Acme ta-limit:10 currency:ABC`, "`currency`: `ABC` is not a currency"},
		{`/supplier set name:Acme ta-limit:10 store-url:ftp://acme`, "`store-url`: `ftp://acme` is not a web link"},
		{`/supplier show name:Nobody`, "no record of Nobody"},
	} {
		if text := h.Command(bob, c.line).Text(); !strings.Contains(text, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.line, text, c.want)
		}
	}
}

func TestPastShipDateIsAcceptedWithANote(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	text := h.Command(h.Buyer("alice"), `/order create supplier:Acme total:500 ship-date:2026-10-01`).Text()
	if !strings.Contains(text, "Order #1 created") || !strings.Contains(text, "The ship date 2026-10-01 has already passed") ||
		!strings.Contains(text, "late shipment") {
		t.Fatalf("past ship date: %s", text)
	}
}
