package assurance_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

func mustDate(t *testing.T, s string) assurance.Date {
	t.Helper()
	d, err := assurance.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func anything(string) bool { return true }

// condSummary renders conditions as "code[date]->verdict/REASON" for comparison.
func condSummary(cs []assurance.Condition) string {
	var parts []string
	for _, c := range cs {
		s := c.Code
		if c.Kind != "" {
			s += ":" + c.Kind
		}
		if !c.Date.IsZero() {
			s += "[" + c.Date.String() + "]"
		}
		parts = append(parts, s+"->"+c.Otherwise.Verdict+"/"+c.Otherwise.Reason)
	}
	return strings.Join(parts, " ")
}

func TestEvaluateAssuming(t *testing.T) {
	p := assurance.Default()
	paid := decimal.RequireFromString("1000")
	today := mustDate(t, "2026-11-27")
	cases := []struct {
		name   string
		f      assurance.Facts
		assume func(string) bool
		want   string // verdict/REASON
		conds  string
	}{
		{
			name:   "quality claim with nothing known but the issue and status",
			f:      assurance.Facts{Issue: "quality_mismatch", Status: assurance.Received, Today: today, PaidTotal: &paid},
			assume: anything, want: "eligible/CONTRACT_BREACH",
			conds: "supplier_ta->not_eligible/OFF_PLATFORM_PAYMENT paid_on_platform->not_eligible/OFF_PLATFORM_PAYMENT " +
				"received_since[2026-10-28]->not_eligible/WINDOW_EXPIRED spec_in_order->not_eligible/SPEC_NOT_IN_CONTRACT " +
				"evidence:photos->needs_info/EVIDENCE_MISSING",
		},
		{
			name: "enterprise window, damaged goods: transit risk assumed the supplier's",
			f: assurance.Facts{Issue: "damaged", Status: assurance.Received, Today: today, BuyerTier: "enterprise",
				SupplierTA: assurance.Ptr(true), PaidOnPlatform: assurance.Ptr(true), Evidence: []string{"photos"}, PaidTotal: &paid},
			assume: anything, want: "eligible/CONTRACT_BREACH",
			conds: "received_since[2026-09-28]->not_eligible/WINDOW_EXPIRED transit_risk->not_eligible/BUYER_TRANSIT_RISK",
		},
		{
			name: "a known fact decides: the window expired whatever the payment was",
			f: assurance.Facts{Issue: "wrong_item", Status: assurance.Received, Today: today,
				ReceivedOn: mustDate(t, "2026-09-01")},
			assume: anything, want: "not_eligible/WINDOW_EXPIRED", conds: "",
		},
		{
			name: "late shipment before shipping: ship date assumed passed",
			f: assurance.Facts{Issue: "not_shipped_by_date", Status: assurance.AwaitingShipment, Today: today,
				SupplierTA: assurance.Ptr(true), PaidOnPlatform: assurance.Ptr(true), PaidTotal: &paid},
			assume: anything, want: "eligible/LATE_SHIPMENT",
			conds: "ship_date_passed[2026-11-27]->not_yet/SHIP_DATE_NOT_PASSED",
		},
		{
			name: "late shipment with the shipping date known",
			f: assurance.Facts{Issue: "not_shipped_by_date", Status: assurance.InTransit, Today: today,
				ShippedOn: mustDate(t, "2026-11-20"), SupplierTA: assurance.Ptr(true), PaidOnPlatform: assurance.Ptr(true), PaidTotal: &paid},
			assume: anything, want: "eligible/LATE_SHIPMENT",
			conds: "ship_date_before[2026-11-20]->not_eligible/SHIPPED_ON_TIME",
		},
		{
			name: "late shipment with the agreed date known",
			f: assurance.Facts{Issue: "not_shipped_by_date", Status: assurance.InTransit, Today: today,
				ShipDate: mustDate(t, "2026-11-01"), SupplierTA: assurance.Ptr(true), PaidOnPlatform: assurance.Ptr(true), PaidTotal: &paid},
			assume: anything, want: "eligible/LATE_SHIPMENT",
			conds: "shipped_after[2026-11-01]->not_eligible/SHIPPED_ON_TIME",
		},
		{
			name: "late shipment, both dates unknown",
			f: assurance.Facts{Issue: "not_shipped_by_date", Status: assurance.Received, Today: today,
				ReceivedOn: mustDate(t, "2026-11-10"), SupplierTA: assurance.Ptr(true), PaidOnPlatform: assurance.Ptr(true), PaidTotal: &paid},
			assume: anything, want: "eligible/LATE_SHIPMENT",
			conds: "shipped_late->not_eligible/SHIPPED_ON_TIME",
		},
		{
			name: "amounts are never assumed",
			f: assurance.Facts{Issue: "not_received", Status: assurance.InTransit, Today: today,
				SupplierTA: assurance.Ptr(true), PaidOnPlatform: assurance.Ptr(true), TransitRisk: assurance.RiskSupplier},
			assume: anything, want: "needs_info/MISSING_FACTS",
			conds: "evidence:tracking->needs_info/EVIDENCE_MISSING",
		},
		{
			name:   "only allowed names are assumed",
			f:      assurance.Facts{Issue: "quality_mismatch", Status: assurance.Received, Today: today, PaidTotal: &paid},
			assume: func(n string) bool { return n == "supplier_ta" || n == "paid_on_platform" },
			want:   "needs_info/MISSING_FACTS",
			conds:  "supplier_ta->not_eligible/OFF_PLATFORM_PAYMENT paid_on_platform->not_eligible/OFF_PLATFORM_PAYMENT",
		},
		{
			name: "a missing today is never assumed",
			f: assurance.Facts{Issue: "quality_mismatch", Status: assurance.Received, SupplierTA: assurance.Ptr(true),
				PaidOnPlatform: assurance.Ptr(true)},
			assume: anything, want: "needs_info/MISSING_FACTS", conds: "",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := p.EvaluateAssuming(c.f, c.assume)
			if v := got.Result.Verdict + "/" + got.Result.Reason; v != c.want {
				t.Errorf("result %s (missing %v), want %s", v, got.Result.Missing, c.want)
			}
			if s := condSummary(got.Conditions); s != c.conds {
				t.Errorf("conditions\n got %s\nwant %s", s, c.conds)
			}
		})
	}
}

func TestEvaluateAssumingLeavesFactsAlone(t *testing.T) {
	p := assurance.Default()
	f := assurance.Facts{Issue: "damaged", Status: assurance.Received, Today: mustDate(t, "2026-11-27"),
		Evidence: []string{"video"}}
	before, _ := f.MarshalJSON()
	p.EvaluateAssuming(f, anything)
	after, _ := f.MarshalJSON()
	if string(before) != string(after) {
		t.Fatalf("facts changed: %s -> %s", before, after)
	}
}

// BenchmarkEvaluateAssuming is /eligibility quick's engine work for a question that leaves
// most facts out (five assumptions, each with its opposite evaluated).
func BenchmarkEvaluateAssuming(b *testing.B) {
	p := assurance.Default()
	d, _ := assurance.ParseDate("2026-11-27")
	f := assurance.Facts{Issue: "damaged", Status: assurance.Received, Today: d}
	b.ReportAllocs()
	for b.Loop() {
		if as := p.EvaluateAssuming(f, anything); len(as.Conditions) != 5 {
			b.Fatal(len(as.Conditions))
		}
	}
}
