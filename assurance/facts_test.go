package assurance_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

// elDate parses a YYYY-MM-DD date or fails the test.
func elDate(t testing.TB, s string) assurance.Date {
	t.Helper()
	d, err := assurance.ParseDate(s)
	if err != nil {
		t.Fatalf("bad test date %q: %v", s, err)
	}
	return d
}

// elDec returns a pointer to a decimal parsed from s.
func elDec(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

// elFacts builds a JSON fact line from base with overrides applied; a nil override deletes the key.
func elFacts(t testing.TB, base map[string]any, over map[string]any) []byte {
	t.Helper()
	m := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		m[k] = v
	}
	for k, v := range over {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFactsAllFields(t *testing.T) {
	p := assurance.Default()
	line := `{"issue":"short_quantity","status":"received","supplier_ta":true,"paid_on_platform":false,
		"coverage":"pre_shipment","buyer_tier":"enterprise","accepted_in_writing":false,"ship_date":"2026-01-10",
		"shipped_on":"2026-01-12","received_on":"2026-02-01","today":"2026-02-03","spec_in_order":true,
		"inspection_result":"fail","transit_risk":"supplier","evidence":["photos","packing_list"],
		"paid_total":"1,000.00","paid_before_shipment":"300","ta_limit_remaining":"5000.5","claimed":"0",
		"affected_qty":3,"total_qty":10,"currency":"EUR"}`
	line = strings.ReplaceAll(line, "\n\t\t", "")
	// "1,000.00" is not a plain decimal string: separators are refused.
	if _, fe := p.ParseFacts([]byte(line)); fe == nil || fe.Field != "paid_total" {
		t.Fatalf("separator in amount: got %v, want a paid_total error", fe)
	}
	line = strings.Replace(line, `"1,000.00"`, `"1000.00"`, 1)
	f, fe := p.ParseFacts([]byte(line))
	if fe != nil {
		t.Fatalf("ParseFacts: %v", fe)
	}
	if f.Issue != "short_quantity" || f.Status != assurance.Received || !*f.SupplierTA || *f.PaidOnPlatform ||
		f.Coverage != "pre_shipment" || f.BuyerTier != "enterprise" || *f.AcceptedInWriting ||
		f.ShipDate.String() != "2026-01-10" || f.ShippedOn.String() != "2026-01-12" ||
		f.ReceivedOn.String() != "2026-02-01" || f.Today.String() != "2026-02-03" || !*f.SpecInOrder ||
		f.InspectionResult != "fail" || f.TransitRisk != "supplier" || strings.Join(f.Evidence, ",") != "photos,packing_list" ||
		f.PaidTotal.String() != "1000" || f.PaidBeforeShipment.String() != "300" || f.TALimitRemaining.String() != "5000.5" ||
		f.Claimed.String() != "0" || *f.AffectedQty != 3 || *f.TotalQty != 10 || f.Currency != "EUR" {
		t.Fatalf("facts not decoded as written: %+v", f)
	}

	// MarshalJSON writes the same facts back.
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	g, fe := p.ParseFacts(b)
	if fe != nil {
		t.Fatalf("ParseFacts(MarshalJSON): %v in %s", fe, b)
	}
	b2, _ := json.Marshal(g)
	if string(b) != string(b2) {
		t.Fatalf("round trip differs:\n%s\n%s", b, b2)
	}
}

func TestParseFactsNullIsAbsent(t *testing.T) {
	p := assurance.Default()
	f, fe := p.ParseFacts([]byte(`{"issue":null,"status":"received","supplier_ta":null,"evidence":null,"paid_total":null,"total_qty":null}`))
	if fe != nil {
		t.Fatal(fe)
	}
	if f.Issue != "" || f.SupplierTA != nil || f.Evidence != nil || f.PaidTotal != nil || f.TotalQty != nil {
		t.Fatalf("null should leave facts absent: %+v", f)
	}
	b, _ := json.Marshal(assurance.Facts{})
	if string(b) != "{}" {
		t.Fatalf("empty facts marshal to %s", b)
	}
}

func TestValidateGoFacts(t *testing.T) {
	p := assurance.Default()
	ok := assurance.Facts{Issue: "damaged", Status: assurance.Received, PaidTotal: elDec("10.50")}
	tests := []struct {
		name  string
		edit  func(*assurance.Facts)
		field string
	}{
		{"valid", func(*assurance.Facts) {}, ""},
		{"unknown issue", func(f *assurance.Facts) { f.Issue = "broken" }, "issue"},
		{"unknown status", func(f *assurance.Facts) { f.Status = "lost" }, "status"},
		{"unknown coverage", func(f *assurance.Facts) { f.Coverage = "full" }, "coverage"},
		{"unknown tier", func(f *assurance.Facts) { f.BuyerTier = "gold" }, "buyer_tier"},
		{"unknown inspection", func(f *assurance.Facts) { f.InspectionResult = "ok" }, "inspection_result"},
		{"unknown transit risk", func(f *assurance.Facts) { f.TransitRisk = "seller" }, "transit_risk"},
		{"unknown evidence", func(f *assurance.Facts) { f.Evidence = []string{"photos", "selfie"} }, "evidence"},
		{"unknown currency", func(f *assurance.Facts) { f.Currency = "usd" }, "currency"},
		{"negative amount", func(f *assurance.Facts) { f.Claimed = elDec("-1") }, "claimed"},
		{"too many decimals", func(f *assurance.Facts) { f.TALimitRemaining = elDec("1.001") }, "ta_limit_remaining"},
		{"JPY decimals", func(f *assurance.Facts) { f.Currency = "JPY" }, "paid_total"},
		{"too large", func(f *assurance.Facts) { f.PaidBeforeShipment = elDec("1000000000000.01") }, "paid_before_shipment"},
		{"zero qty", func(f *assurance.Facts) { f.TotalQty = assurance.Ptr(int64(0)) }, "total_qty"},
		{"negative qty", func(f *assurance.Facts) { f.AffectedQty = assurance.Ptr(int64(-2)) }, "affected_qty"},
		{"affected above total", func(f *assurance.Facts) {
			f.AffectedQty, f.TotalQty = assurance.Ptr(int64(11)), assurance.Ptr(int64(10))
		}, "affected_qty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := ok
			tc.edit(&f)
			fe := f.Validate(p)
			switch {
			case tc.field == "" && fe != nil:
				t.Fatalf("unexpected error %v", fe)
			case tc.field != "" && (fe == nil || fe.Field != tc.field):
				t.Fatalf("got %v, want an error on %s", fe, tc.field)
			}
			if tc.field != "" {
				r := p.Evaluate(f)
				if r.Verdict != assurance.VerdictInvalid || r.Err == nil || r.Err.Field != tc.field {
					t.Fatalf("Evaluate on invalid facts: %+v", r)
				}
				b, _ := r.JSON()
				var m map[string]any
				if err := json.Unmarshal(b, &m); err != nil || m["field"] != tc.field || len(m) != 2 {
					t.Fatalf("JSON of invalid result: %s", b)
				}
			}
		})
	}
}

func TestSetFact(t *testing.T) {
	p := assurance.Default()
	var f assurance.Facts
	steps := []struct{ name, value string }{
		{"issue", "damaged"}, {"status", "received"}, {"supplier_ta", "true"}, {"paid_on_platform", "false"},
		{"received_on", "2026-03-01"}, {"evidence:photos", ""}, {"evidence:photos", ""}, {"evidence:video", "x"},
		{"paid_total", "99.90"}, {"affected_qty", "2"}, {"total_qty", "4"}, {"currency", "EUR"},
	}
	for _, s := range steps {
		if fe := p.SetFact(&f, s.name, s.value); fe != nil {
			t.Fatalf("SetFact(%s, %q): %v", s.name, s.value, fe)
		}
	}
	if f.Issue != "damaged" || *f.PaidOnPlatform || strings.Join(f.Evidence, ",") != "photos,video" ||
		f.PaidTotal.String() != "99.9" || *f.TotalQty != 4 || f.Currency != "EUR" {
		t.Fatalf("SetFact result %+v", f)
	}
	bad := []struct{ name, value, field string }{
		{"issue", "nope", "issue"},
		{"supplier_ta", "yes", "supplier_ta"},
		{"received_on", "2026-02-30", "received_on"},
		{"paid_total", "-1", "paid_total"},
		{"paid_total", "1.001", "paid_total"},
		{"affected_qty", "5", "affected_qty"}, // > total_qty 4
		{"total_qty", "1.5", "total_qty"},
		{"currency", "JPY", "paid_total"}, // 99.90 has decimals JPY does not
		{"evidence:selfie", "", "evidence"},
		{"colour", "red", "colour"},
	}
	before, _ := json.Marshal(f)
	for _, b := range bad {
		fe := p.SetFact(&f, b.name, b.value)
		if fe == nil || fe.Field != b.field {
			t.Errorf("SetFact(%s, %q) = %v, want an error on %s", b.name, b.value, fe, b.field)
		}
	}
	after, _ := json.Marshal(f)
	if string(before) != string(after) {
		t.Fatalf("failed SetFact changed the facts:\n%s\n%s", before, after)
	}
	if fe := p.SetFact(&f, "evidence", "tracking, photos"); fe != nil || strings.Join(f.Evidence, ",") != "tracking,photos" {
		t.Fatalf("SetFact evidence list: %v %v", fe, f.Evidence)
	}
}

func TestFieldErrorMessage(t *testing.T) {
	if got := (&assurance.FieldError{Field: "issue", Message: "unknown"}).Error(); got != "issue: unknown" {
		t.Fatal(got)
	}
	if got := (&assurance.FieldError{Message: "empty line"}).Error(); got != "empty line" {
		t.Fatal(got)
	}
}
