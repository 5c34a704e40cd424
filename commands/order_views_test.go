package commands_test

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/commands/commandstest"
)

func TestDefinitionsPassDiscordsRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, d := range h.Definitions() {
		if err := commands.ValidateCommand(d); err != nil {
			t.Errorf("/%s: %v", d.Name, err)
		}
	}
}

func TestListPagesNewestUpdateFirst(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, dan, bob := h.Buyer("alice"), h.Buyer("dan"), h.Agent("bob")
	for i := range 23 {
		who := alice
		if i%4 == 3 {
			who = dan
		}
		create(t, h, who, fmt.Sprintf(`/order create supplier:"Supplier %02d" total:%d`, i+1, 100+i))
		h.SetNow(h.Now().Add(60e9))
	}
	h.Command(bob, `/order update order:2 note:"bumped"`) // #2 is now the most recently updated

	rec := h.Command(bob, "/order list")
	page := rec.Last()
	text := page.Text()
	if !strings.Contains(text, "Orders (23)") || !strings.Contains(text, "Page 1/3") || strings.Count(text, "**#") != 10 {
		t.Fatalf("page 1: %s", text)
	}
	if first := strings.Index(text, "**#2**"); first < 0 || first > strings.Index(text, "**#23**") {
		t.Fatalf("#2 should come first after its update:\n%s", text)
	}
	for p := 2; p <= 3; p++ {
		page = h.Click(bob, page, page.CustomID("Next")).Last()
		if !strings.Contains(page.Text(), fmt.Sprintf("Page %d/3", p)) {
			t.Fatalf("page %d: %s", p, page.Text())
		}
	}
	if strings.Count(page.Text(), "**#") != 3 || page.CustomID("Next") != "" {
		t.Fatalf("last page: %s", page.Text())
	}
	page = h.Click(bob, page, page.CustomID("Previous")).Last()
	if !strings.Contains(page.Text(), "Page 2/3") {
		t.Fatalf("back: %s", page.Text())
	}

	mine := h.Command(dan, "/order list").Text()
	if !strings.Contains(mine, "Orders (5)") {
		t.Fatalf("dan sees his own orders only: %s", mine)
	}
	if text := h.Command(bob, "/order list buyer:@dan").Text(); !strings.Contains(text, "Orders (5)") {
		t.Fatalf("agent filtering by buyer: %s", text)
	}
	h.Command(bob, "/order update order:4 status:awaiting_payment") // one of dan's
	if text := h.Command(bob, "/order list status:awaiting_payment buyer:@dan").Text(); !strings.Contains(text, "Orders (1)") || !strings.Contains(text, "**#4**") {
		t.Fatalf("status and buyer: %s", text)
	}
	if text := h.Command(alice, "/order list status:awaiting_payment").Text(); !strings.Contains(text, "No orders") {
		t.Fatalf("alice's awaiting payment: %s", text)
	}
}

func TestAutocompleteOrders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, dan, bob := h.Buyer("alice"), h.Buyer("dan"), h.Agent("bob")
	for i := range 30 {
		who, sup := alice, "Shenzhen Acme"
		if i%3 == 0 {
			who, sup = dan, "Ningbo Widgets"
		}
		create(t, h, who, fmt.Sprintf(`/order create supplier:"%s" total:10`, sup))
		h.SetNow(h.Now().Add(60e9))
	}
	choices := func(m commandstest.Member, line string) []*discordgo.ApplicationCommandOptionChoice {
		t.Helper()
		in := h.Autocomplete(m, line, "order").Initial()
		if in == nil || in.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
			t.Fatalf("%s: no autocomplete result", line)
		}
		return in.Data.Choices
	}
	if c := choices(bob, "/order show order:"); len(c) != 25 || !strings.HasPrefix(c[0].Name, "#30 · Shenzhen Acme · Awaiting supplier confirmation") {
		t.Fatalf("agent, nothing typed: %d, first %q", len(c), c[0].Name)
	}
	for _, c := range choices(dan, "/order update order:") {
		if !strings.Contains(c.Name, "Ningbo") {
			t.Fatalf("dan was offered another buyer's order %q", c.Name)
		}
	}
	if c := choices(dan, "/order show order:"); len(c) != 10 {
		t.Fatalf("dan has 10 orders, offered %d", len(c))
	}
	if c := choices(bob, "/order pay order:1 amount:1 method:tt"); len(c) == 0 || c[0].Value != int64(1) && fmt.Sprint(c[0].Value) != "1" {
		t.Fatalf("typed 1: %+v", c[0])
	}
	if c := choices(alice, "/order show order:1"); len(c) == 0 || fmt.Sprint(c[0].Value) == "1" {
		t.Fatalf("alice typed 1 (dan's order): offered %+v", c)
	}
}

func TestExportCSV(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, dan, bob := h.Buyer("alice"), h.Buyer("dan"), h.Agent("bob")
	create(t, h, alice, `/order create supplier:"=HYPERLINK(""http://evil"")" total:10`)
	create(t, h, alice, `/order create supplier:"@SUM(A1)" total:20 alibaba-order:-1234`)
	create(t, h, dan, `/order create supplier:"+1 Plus Co" total:30`)
	create(t, h, dan, `/order create supplier:"-minus" total:40`)

	read := func(m commandstest.Member, line string) [][]string {
		t.Helper()
		msg := h.Command(m, line).Last()
		if len(msg.Files) != 1 {
			t.Fatalf("%s: %d files", line, len(msg.Files))
		}
		for name, body := range msg.Files {
			if !strings.HasSuffix(name, ".csv") {
				t.Fatalf("file %s", name)
			}
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		return nil
	}
	all := read(bob, "/order export")
	if len(all) != 5 || all[0][0] != "number" {
		t.Fatalf("agent export: %v", all)
	}
	for _, row := range all[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Fatalf("cell %q would run as a formula", cell)
			}
		}
	}
	if !strings.HasPrefix(all[1][4], "'-minus") || !strings.HasPrefix(all[4][4], "'=HYPERLINK") || all[3][17] != "'-1234" {
		t.Fatalf("rows %v", all)
	}
	mine := read(dan, "/order export")
	if len(mine) != 3 {
		t.Fatalf("dan's export has %d rows", len(mine))
	}
	if st := read(bob, "/order export status:cancelled"); len(st) != 1 {
		t.Fatalf("cancelled export has %d rows", len(st))
	}
}

func TestSpecsForm(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	setUpdates(t, h)
	alice, bob := h.Buyer("alice"), h.Agent("bob")
	created := h.Command(alice, baseOrder).Last()
	form := h.Click(alice, created, created.CustomID("Specs")).Modal()
	if form == nil || len(form.Components) != 4 {
		t.Fatalf("no Specs form")
	}
	fields := map[string]string{"design_files": "https://example.com/logo.ai", "quality": "AQL 2.5, ABS plastic",
		"packaging": "", "customisation": "Logo in Pantone 286"}
	text := h.Submit(alice, form.CustomID, fields).Text()
	if !strings.Contains(text, "Specs changed") || !strings.Contains(text, "Still missing: Packaging details") {
		t.Fatalf("fill in: %s", text)
	}
	o := order(t, h, 1)
	if o.Specs.Quality != "AQL 2.5, ABS plastic" || o.Specs.Packaging != "" {
		t.Fatalf("specs %+v", o.Specs)
	}
	// Changing a written item is a request the agent decides.
	form = h.Click(alice, created, created.CustomID("Specs")).Modal()
	fields["quality"], fields["packaging"] = "AQL 1.5", "20 per carton"
	if text := h.Submit(alice, form.CustomID, fields).Text(); !strings.Contains(text, "Request 1") {
		t.Fatalf("change: %s", text)
	}
	ann := lastAnnouncement(t, h)
	h.Click(bob, ann, ann.CustomID("Accept request 1"))
	if o := order(t, h, 1); o.Specs.Quality != "AQL 1.5" || o.Specs.Packaging != "20 per carton" {
		t.Fatalf("after accept: %+v", o.Specs)
	}
	fields["quality"] = strings.Repeat("z", 1001)
	if text := h.Submit(alice, form.CustomID, fields).Text(); !strings.Contains(text, "Quality requirements` is too long") {
		t.Fatalf("too long: %s", text)
	}
	// Nobody changes specs after shipment.
	n := seed(t, h, alice, assurance.InTransit)
	show := h.Command(alice, cmd("/order show order:#N", n)).Last()
	if text := h.Click(alice, show, show.CustomID("Specs")).Text(); !strings.Contains(text, "has shipped") {
		t.Fatalf("after shipment: %s", text)
	}
}

func TestTimelinePages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice := h.Buyer("alice")
	n := create(t, h, alice, baseOrder)
	for i := range 24 {
		h.Command(alice, cmd(fmt.Sprintf(`/order update order:#N note:"note %02d"`, i), n))
	}
	page := h.Command(alice, cmd("/order timeline order:#N", n)).Last()
	if !strings.Contains(page.Text(), "Page 1/3 · 25 events") || !strings.Contains(page.Text(), "note 08") || strings.Contains(page.Text(), "note 09") {
		t.Fatalf("page 1: %s", page.Text())
	}
	page = h.Click(alice, page, page.CustomID("Next")).Last()
	page = h.Click(alice, page, page.CustomID("Next")).Last()
	if !strings.Contains(page.Text(), "Page 3/3") || !strings.Contains(page.Text(), "note 23") || page.CustomID("Next") != "" {
		t.Fatalf("page 3: %s", page.Text())
	}
	page = h.Click(alice, page, page.CustomID("Previous")).Last()
	if !strings.Contains(page.Text(), "Page 2/3") || !strings.Contains(page.Text(), "note 09") || !strings.Contains(page.Text(), "note 18") {
		t.Fatalf("back to page 2: %s", page.Text())
	}
	if text := h.Click(h.Buyer("eve"), page, page.CustomID("Previous")).Text(); !strings.Contains(text, "no order #") {
		t.Fatalf("a stranger turning pages: %s", text)
	}
}

func TestSupplierRemainingLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, dan, bob := h.Buyer("alice"), h.Buyer("dan"), h.Agent("bob")
	if text := h.Command(alice, `/supplier set name:"Shenzhen Acme" ta-limit:5000 store-url:https://acme.en.alibaba.com`).Text(); !strings.Contains(text, "Saved") {
		t.Fatalf("first record by a member: %s", text)
	}
	if text := h.Command(dan, `/supplier set name:"shenzhen acme" ta-limit:999999`).Text(); !strings.Contains(text, "Only agents and moderators") {
		t.Fatalf("a member overwriting: %s", text)
	}
	create(t, h, alice, `/order create supplier:"Shenzhen Acme" total:3000`)
	text := h.Command(dan, `/order create supplier:"SHENZHEN ACME" total:2500`).Text()
	if !strings.Contains(text, "remaining Trade Assurance limit (2,000.00 USD of 5,000.00 USD): 500.00 USD of it is not covered") {
		t.Fatalf("over the remaining limit: %s", text)
	}
	if text := h.Command(bob, `/supplier show name:"Shenzhen Acme"`).Text(); !strings.Contains(text, "Remaining: -500.00 USD") || !strings.Contains(text, "#1, #2") {
		t.Fatalf("show: %s", text)
	}
	h.Command(dan, `/order cancel order:2 reason:"too expensive"`)
	if text := h.Command(dan, `/supplier show name:"Shenzhen Acme"`).Text(); !strings.Contains(text, "Remaining: 2,000.00 USD") || strings.Contains(text, "#1") {
		t.Fatalf("after cancelling: %s", text)
	}
	if text := h.Command(bob, `/supplier set name:"Shenzhen Acme" ta-limit:8000`).Text(); !strings.Contains(text, "Remaining: 5,000.00 USD") {
		t.Fatalf("agent raising the limit: %s", text)
	}
	// The running open total follows an agent's edit of an open order's total, and the order's own
	// eligibility leaves the order itself out of the "other open orders".
	if text := h.Command(bob, `/order change order:1 field:total value:3500.25`).Text(); !strings.Contains(text, "3,500.25") {
		t.Fatalf("agent edits the total: %s", text)
	}
	if text := h.Command(bob, `/supplier show name:"Shenzhen Acme"`).Text(); !strings.Contains(text, "Remaining: 4,499.75 USD") {
		t.Fatalf("after the total changed: %s", text)
	}
	if text := h.Command(alice, `/order create supplier:"Shenzhen Acme" total:100 currency:EUR`).Text(); !strings.Contains(text, "another currency") {
		t.Fatalf("other currency: %s", text)
	}
	if text := h.Command(alice, `/order create supplier:Unknown total:100 payment-method:apple_pay`).Text(); !strings.Contains(text, "does not know the Trade Assurance limit of Unknown") {
		t.Fatalf("unknown supplier: %s", text)
	}
	if text := h.Command(alice, `/order create supplier:Unknown total:20000 payment-method:apple_pay`).Text(); !strings.Contains(text, "Apple Pay cannot take a payment of 20,000.00 USD") {
		t.Fatalf("method over its limit: %s", text)
	}
	if text := h.Command(alice, `/order create supplier:Unknown total:100 currency:EUR payment-method:card`).Text(); !strings.Contains(text, "does not accept EUR") {
		t.Fatalf("method currency: %s", text)
	}
	if text := h.Command(alice, `/order create supplier:Unknown total:100 payment-method:echeck`).Text(); !strings.Contains(text, "legacy method") {
		t.Fatalf("legacy method: %s", text)
	}
}

func TestSetupIsForModerators(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, mia := h.Buyer("alice"), h.Moderator("mia")
	for _, line := range []string{"/setup show", "/setup agent-role role:@agents", "/setup updates-channel channel:#updates", "/setup language language:zh-TW"} {
		if text := h.Command(alice, line).Text(); !strings.Contains(text, "Only moderators") {
			t.Fatalf("%s by a member: %s", line, text)
		}
	}
	h.Command(mia, "/setup agent-role role:@agents")
	h.Command(mia, "/setup updates-channel channel:#updates")
	text := h.Command(mia, "/setup language language:zh-TW").Text()
	if !strings.Contains(text, "<@&"+commandstest.AgentRole+">") || !strings.Contains(text, "<#"+commandstest.Updates+">") || !strings.Contains(text, "zh-TW") {
		t.Fatalf("settings: %s", text)
	}
	for _, d := range h.Definitions() {
		if d.Name == "setup" && (d.DefaultMemberPermissions == nil || *d.DefaultMemberPermissions != discordgo.PermissionManageGuild) {
			t.Fatalf("/setup is not limited to Manage Server")
		}
	}
	// Announcements use the server's language; the member's reply uses theirs.
	create(t, h, alice, baseOrder)
	a := h.Announced()
	if len(a) != 1 || !strings.Contains(a[0].Msg.Embeds[0].Description, "建立了訂單") {
		t.Fatalf("announcement in zh-TW: %+v", a[0].Msg.Embeds[0])
	}
}
