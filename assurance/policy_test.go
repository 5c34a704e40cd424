package assurance_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
)

func TestDefaultPolicy(t *testing.T) {
	p := assurance.Default()
	if p.Version == "" || p.EffectiveFrom.IsZero() {
		t.Fatalf("version %q effective_from %v", p.Version, p.EffectiveFrom)
	}
	if p.ClaimWindowDays["standard"] != 30 || p.ClaimWindowDays["enterprise"] != 60 || p.DefaultTier != "standard" {
		t.Fatalf("claim windows %v default %q", p.ClaimWindowDays, p.DefaultTier)
	}
	wantOrders := assurance.OrderRules{AutoCancelUnconfirmedDays: 30, AutoCancelUnpaidDays: 60,
		ChangeRequestExpiryDays: 7, ShipDateMaxShiftDays: 90, ReceiptExtensionDays: 15}
	if p.Orders != wantOrders {
		t.Fatalf("orders %+v", p.Orders)
	}
	wantDispute := assurance.DisputeRules{SupplierAnswerDays: 3, EscalationFromDay: 4, AutoEscalationDay: 8,
		AlibabaJoinsWorkingDays: 2, RefundStartsWorkingDays: 7}
	if p.Dispute != wantDispute {
		t.Fatalf("dispute %+v", p.Dispute)
	}
	// The issue lists of section 3, rule by rule.
	flag := func(pred func(assurance.Issue) bool) []string {
		var out []string
		for _, is := range p.Issues {
			if pred(is) {
				out = append(out, is.Code)
			}
		}
		slices.Sort(out)
		return out
	}
	checks := []struct {
		rule string
		got  []string
		want string
	}{
		{"all", flag(func(assurance.Issue) bool { return true }), "after_sales change_of_mind damaged forwarder_freight_change not_received not_shipped_by_date port_or_customs_cost quality_mismatch short_quantity wrong_item"},
		{"6", flag(func(i assurance.Issue) bool { return i.Excluded }), "after_sales change_of_mind forwarder_freight_change port_or_customs_cost"},
		{"8", flag(func(i assurance.Issue) bool { return i.PreShipmentCovered }), "not_shipped_by_date"},
		{"10", flag(func(i assurance.Issue) bool { return i.LateShipment }), "not_shipped_by_date"},
		{"11", flag(func(i assurance.Issue) bool { return i.NotYetBeforeReceipt }), "damaged quality_mismatch short_quantity wrong_item"},
		{"12", flag(func(i assurance.Issue) bool { return i.NotYetBeforeShipment }), "not_received"},
		{"13", flag(func(i assurance.Issue) bool { return i.SpecInOrder }), "quality_mismatch short_quantity wrong_item"},
		{"14", flag(func(i assurance.Issue) bool { return i.Inspection }), "quality_mismatch short_quantity wrong_item"},
		{"15", flag(func(i assurance.Issue) bool { return i.Transit }), "damaged not_received"},
		{"3.1", flag(func(i assurance.Issue) bool { return i.ProRata }), "damaged quality_mismatch short_quantity wrong_item"},
		{"16 photos", flag(func(i assurance.Issue) bool { return slices.Equal(i.Evidence, []string{"photos"}) }), "damaged quality_mismatch short_quantity wrong_item"},
		{"16 tracking", flag(func(i assurance.Issue) bool { return slices.Equal(i.Evidence, []string{"tracking"}) }), "not_received"},
	}
	for _, c := range checks {
		if strings.Join(c.got, " ") != c.want {
			t.Errorf("rule %s issues: %v, want %s", c.rule, c.got, c.want)
		}
	}
	if strings.Join(p.EvidenceKinds, " ") != "photos video inspection_report tracking chat_records packing_list" {
		t.Errorf("evidence kinds %v", p.EvidenceKinds)
	}
	if len(p.CountryGroups["EU"]) != 27 {
		t.Errorf("EU has %d members", len(p.CountryGroups["EU"]))
	}
	for code, risk := range map[string]string{"EXW": "buyer", "FCA": "buyer", "FAS": "buyer", "FOB": "buyer",
		"CFR": "buyer", "CIF": "buyer", "CPT": "buyer", "CIP": "buyer", "DAP": "supplier", "DPU": "supplier", "ddp": "supplier"} {
		if got, ok := p.TransitRisk(code); !ok || got != risk {
			t.Errorf("TransitRisk(%s) = %q %v", code, got, ok)
		}
	}
	if is, ok := p.Issue("damaged"); !ok || !is.Transit || is.Label == "" {
		t.Errorf("Issue(damaged) = %+v %v", is, ok)
	}
	if _, ok := p.Issue("lost"); ok {
		t.Error("unknown issue known")
	}
	if _, ok := p.TransitRisk("XYZ"); ok {
		t.Error("unknown Incoterm known")
	}
	var codes []string
	for _, m := range p.PaymentMethods {
		codes = append(codes, m.Code)
	}
	if strings.Join(codes, " ") != "card apple_pay google_pay tt online_bank_transfer echeck western_union pay_later payment_terms boleto" {
		t.Errorf("payment methods %v", codes)
	}
}

func TestDefaultIsFresh(t *testing.T) {
	a, b := assurance.Default(), assurance.Default()
	a.ClaimWindowDays["standard"] = 1
	a.Issues[0].Excluded = true
	if b.ClaimWindowDays["standard"] != 30 || b.Issues[0].Excluded {
		t.Fatal("Default shares state between calls")
	}
}

// elPolicyJSON returns the embedded default policy as a generic JSON tree.
func elPolicyJSON(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("policy.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func elMethod(m map[string]any, i int) map[string]any {
	return m["payment_methods"].([]any)[i].(map[string]any)
}

func elIssue(m map[string]any, i int) map[string]any {
	return m["issues"].([]any)[i].(map[string]any)
}

func TestParsePolicyErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"fee percent", func(m map[string]any) { elMethod(m, 9)["fee_percent"] = "abc" },
			`policy: payment_methods[9] (boleto): fee_percent "abc" is not a decimal`},
		{"fee percent over 100", func(m map[string]any) { elMethod(m, 0)["fee_percent"] = "101" },
			`payment_methods[0] (card): fee_percent "101"`},
		{"unknown top-level field", func(m map[string]any) { m["colour"] = "red" }, `unknown field "colour"`},
		{"unknown method field", func(m map[string]any) { elMethod(m, 0)["fees"] = "1" }, `unknown field "fees"`},
		{"type error", func(m map[string]any) { m["claim_window_days"].(map[string]any)["standard"] = "30" },
			"policy: claim_window_days: a JSON string is not allowed here"},
		{"no version", func(m map[string]any) { m["version"] = " " }, "policy: version is missing"},
		{"bad effective_from", func(m map[string]any) { m["effective_from"] = "2026-13-01" }, "policy: effective_from"},
		{"zero window", func(m map[string]any) { m["claim_window_days"].(map[string]any)["enterprise"] = 0 },
			"policy: claim_window_days.enterprise: 0 is not a positive number of days"},
		{"default tier", func(m map[string]any) { m["default_tier"] = "gold" }, `default_tier "gold"`},
		{"evidence twice", func(m map[string]any) { m["evidence_kinds"] = []any{"photos", "photos"} },
			`evidence_kinds[1]: "photos" is listed twice`},
		{"issue evidence", func(m map[string]any) { elIssue(m, 2)["evidence"] = []any{"selfie"} },
			`policy: issues[2] (quality_mismatch): evidence[0] "selfie" is not one of evidence_kinds`},
		{"issue twice", func(m map[string]any) { elIssue(m, 3)["code"] = "quality_mismatch" },
			"policy: issues[3] (quality_mismatch): code is listed twice"},
		{"issue code", func(m map[string]any) { elIssue(m, 0)["code"] = "Late" }, `issues[0]: code "Late"`},
		{"issue label", func(m map[string]any) { elIssue(m, 1)["label"] = "" }, "issues[1] (not_received): label is missing"},
		{"country group member", func(m map[string]any) { m["country_groups"].(map[string]any)["EU"] = []any{"DE", "FRA"} },
			`country_groups.EU[1]: "FRA"`},
		{"method country", func(m map[string]any) { elMethod(m, 5)["countries"] = []any{"usa"} },
			`payment_methods[5] (echeck): countries[0]: "usa"`},
		{"excluded country", func(m map[string]any) { elMethod(m, 2)["excluded_countries"] = []any{"India"} },
			`payment_methods[2] (google_pay): excluded_countries[0]: "India"`},
		{"everyone plus", func(m map[string]any) { elMethod(m, 0)["countries"] = []any{"everyone", "US"} },
			`payment_methods[0] (card): countries: "everyone" must be the only entry`},
		{"currency", func(m map[string]any) { elMethod(m, 3)["currencies"] = []any{"USD", "XYZ"} },
			`payment_methods[3] (tt): currencies[1]: unknown currency "XYZ"`},
		{"local currency missing", func(m map[string]any) {
			delete(elMethod(m, 4)["local_currencies"].(map[string]any), "CA")
		}, `payment_methods[4] (online_bank_transfer): local_currencies: no currency for "CA"`},
		{"limit", func(m map[string]any) { elMethod(m, 1)["limit"] = "-5" }, `payment_methods[1] (apple_pay): limit "-5" is not a positive decimal`},
		{"limit currency", func(m map[string]any) { elMethod(m, 1)["limit_currency"] = "EUR" }, `payment_methods[1] (apple_pay): limit_currency "EUR"`},
		{"limit kind", func(m map[string]any) { elMethod(m, 7)["limit_kind"] = "loan" }, `payment_methods[7] (pay_later): limit_kind "loan"`},
		{"fixed fee currency", func(m map[string]any) { elMethod(m, 5)["fee_fixed_currency"] = "EUR" },
			`payment_methods[5] (echeck): fee_fixed_currency "EUR"`},
		{"fixed fee", func(m map[string]any) { elMethod(m, 5)["fee_fixed"] = "fifteen" }, `payment_methods[5] (echeck): fee_fixed "fifteen"`},
		{"no arrival", func(m map[string]any) { delete(elMethod(m, 8), "arrival") }, "payment_methods[8] (payment_terms): arrival is missing"},
		{"method twice", func(m map[string]any) { elMethod(m, 2)["code"] = "apple_pay" }, "payment_methods[2] (apple_pay): code is listed twice"},
		{"warning code", func(m map[string]any) { elMethod(m, 3)["warnings"] = []any{"Bank fees"} }, `payment_methods[3] (tt): warnings[0]`},
		{"dispute", func(m map[string]any) { m["dispute"].(map[string]any)["auto_escalation_day"] = 0 },
			"policy: dispute.auto_escalation_day: 0 is not a positive number of days"},
		{"dispute order", func(m map[string]any) { m["dispute"].(map[string]any)["escalation_from_day"] = 9 },
			"escalation_from_day 9 is after auto_escalation_day 8"},
		{"orders", func(m map[string]any) { delete(m["orders"].(map[string]any), "receipt_extension_days") },
			"policy: orders.receipt_extension_days: 0"},
		{"incoterm risk", func(m map[string]any) { m["incoterms"].(map[string]any)["FOB"] = "seller" },
			`policy: incoterms.FOB: "seller" is not "buyer" or "supplier"`},
		{"incoterm code", func(m map[string]any) { m["incoterms"].(map[string]any)["FOBB"] = "buyer" }, `incoterms: "FOBB"`},
		{"reason missing", func(m map[string]any) { delete(m["reasons"].(map[string]any), "NOT_PAID") }, "policy: reasons: NOT_PAID is missing"},
		{"reason unknown", func(m map[string]any) {
			m["reasons"].(map[string]any)["LATE"] = map[string]any{"advice": "x", "text": "y"}
		}, `policy: reasons: "LATE" is not a reason code`},
		{"reason placeholder", func(m map[string]any) {
			m["reasons"].(map[string]any)["NOT_PAID"].(map[string]any)["text"] = "Paid {amount}."
		}, "policy: reasons.NOT_PAID: text: unknown placeholder {amount}"},
		{"reason brace", func(m map[string]any) {
			m["reasons"].(map[string]any)["NOT_PAID"].(map[string]any)["text"] = "Paid {issue."
		}, "policy: reasons.NOT_PAID: text: unbalanced {"},
		{"advice", func(m map[string]any) {
			m["reasons"].(map[string]any)["NOT_PAID"].(map[string]any)["advice"] = ""
		}, `policy: reasons.NOT_PAID: advice ""`},
		{"limited_by text", func(m map[string]any) { delete(m["limited_by"].(map[string]any), "pro_rata") }, "policy: limited_by: pro_rata is missing"},
		{"no issues", func(m map[string]any) { delete(m, "issues") }, "policy: issues is missing"},
		{"no methods", func(m map[string]any) { m["payment_methods"] = []any{} }, "policy: payment_methods is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := elPolicyJSON(t)
			tc.edit(m)
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			_, err = assurance.ParsePolicy(b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v\nwant an error containing %s", err, tc.want)
			}
		})
	}
}

func TestParsePolicyStrictJSON(t *testing.T) {
	b, err := os.ReadFile("policy.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := assurance.ParsePolicy(b); err != nil {
		t.Fatalf("policy.json: %v", err)
	}
	if _, err := assurance.ParsePolicy(append(slices.Clone(b), []byte(" {}")...)); err == nil || !strings.Contains(err.Error(), "after the JSON object") {
		t.Fatalf("trailing data: %v", err)
	}
	for _, bad := range []string{"", "[]", "{", `{"version": 1}`} {
		if _, err := assurance.ParsePolicy([]byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "policy: ") {
			t.Errorf("ParsePolicy(%q) = %v", bad, err)
		}
	}
}

func TestLoadPolicy(t *testing.T) {
	dir := t.TempDir()
	m := elPolicyJSON(t)
	m["version"] = "operator-7"
	m["claim_window_days"].(map[string]any)["enterprise"] = 45
	good, _ := json.Marshal(m)
	path := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(path, good, 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := assurance.LoadPolicy(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != "operator-7" || p.Window("enterprise") != 45 || p.Window("") != 30 || p.Window("gold") != 30 {
		t.Fatalf("loaded %q %v", p.Version, p.ClaimWindowDays)
	}
	elMethod(m, 9)["fee_percent"] = "abc"
	bad, _ := json.Marshal(m)
	badPath := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(badPath, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = assurance.LoadPolicy(badPath)
	if err == nil || !strings.Contains(err.Error(), badPath) || !strings.Contains(err.Error(), `payment_methods[9] (boleto): fee_percent "abc" is not a decimal`) {
		t.Fatalf("bad file: %v", err)
	}
	if _, err := assurance.LoadPolicy(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Fatalf("missing file: %v", err)
	}
}

// TestOverriddenPolicyDrivesTheRules shows the engine reads its lists from the policy data.
func TestOverriddenPolicyDrivesTheRules(t *testing.T) {
	m := elPolicyJSON(t)
	elIssue(m, 7)["excluded"] = false // after_sales becomes claimable, with a video
	elIssue(m, 7)["evidence"] = []any{"video"}
	m["reasons"].(map[string]any)["EVIDENCE_MISSING"].(map[string]any)["text"] = "Bring {missing}!"
	b, _ := json.Marshal(m)
	p, err := assurance.ParsePolicy(b)
	if err != nil {
		t.Fatal(err)
	}
	f, fe := p.ParseFacts([]byte(`{"issue":"after_sales","status":"received","supplier_ta":true,"paid_on_platform":true,"received_on":"2026-01-01","today":"2026-01-05","paid_total":"10"}`))
	if fe != nil {
		t.Fatal(fe)
	}
	r := p.Evaluate(f)
	if r.Reason != assurance.ReasonEvidenceMissing || !slices.Equal(r.Missing, []string{"evidence:video"}) || !strings.HasPrefix(r.Explanation, "Bring video!") {
		t.Fatalf("%+v", r)
	}
}
