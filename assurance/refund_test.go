package assurance_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

func TestDecimalRoundIsHalfAwayFromZero(t *testing.T) {
	for in, want := range map[string]string{
		"0.005": "0.01", "0.015": "0.02", "2.675": "2.68", "0.0049": "0", "-0.005": "-0.01", "1.4999": "1.5",
	} {
		if got := decimal.RequireFromString(in).Round(2).String(); got != want {
			t.Errorf("Round(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestRefund(t *testing.T) {
	tests := []struct {
		name    string
		base    map[string]any
		over    map[string]any
		max     string
		limited string
	}{
		{"paid", elBase, nil, "1000.00", "paid"},
		{"pro rata", elBase, map[string]any{"affected_qty": 100, "total_qty": 1000}, "100.00", "pro_rata"},
		{"pro rata thirds", elBase, map[string]any{"affected_qty": 1, "total_qty": 3}, "333.33", "pro_rata"},
		{"pro rata two thirds", elBase, map[string]any{"affected_qty": 2, "total_qty": 3}, "666.67", "pro_rata"},
		{"pro rata half cent", elBase, map[string]any{"paid_total": "0.01", "affected_qty": 1, "total_qty": 2}, "0.01", "pro_rata"},
		{"pro rata below half cent", elBase, map[string]any{"paid_total": "0.01", "affected_qty": 1, "total_qty": 3}, "0.00", "pro_rata"},
		{"pro rata exact half", elBase, map[string]any{"paid_total": "0.05", "affected_qty": 1, "total_qty": 2}, "0.03", "pro_rata"},
		{"pro rata all affected ties with paid", elBase, map[string]any{"affected_qty": 7, "total_qty": 7}, "1000.00", "paid"},
		{"pro rata damaged", elTransit, map[string]any{"affected_qty": 1, "total_qty": 4}, "250.00", "pro_rata"},
		{"pro rata wrong item", elBase, map[string]any{"issue": "wrong_item", "affected_qty": 1, "total_qty": 8}, "125.00", "pro_rata"},
		{"pro rata short", elBase, map[string]any{"issue": "short_quantity", "affected_qty": 3, "total_qty": 8}, "375.00", "pro_rata"},
		{"one quantity only", elBase, map[string]any{"affected_qty": 1}, "1000.00", "paid"},
		{"no pro rata for late shipment", elLate, map[string]any{"affected_qty": 1, "total_qty": 2}, "1000.00", "paid"},
		{"claimed", elBase, map[string]any{"claimed": "500"}, "500.00", "claimed"},
		{"claimed beats pro rata", elBase, map[string]any{"claimed": "600", "affected_qty": 1, "total_qty": 10}, "600.00", "claimed"},
		{"claimed ties with paid", elBase, map[string]any{"claimed": "1000"}, "1000.00", "paid"},
		{"claimed above paid", elBase, map[string]any{"claimed": "5000"}, "1000.00", "paid"},
		{"claimed zero", elBase, map[string]any{"claimed": "0"}, "0.00", "claimed"},
		{"ta limit", elBase, map[string]any{"ta_limit_remaining": "800"}, "800.00", "ta_limit"},
		{"ta limit ties with paid", elBase, map[string]any{"ta_limit_remaining": "1000"}, "1000.00", "paid"},
		{"ta limit above paid", elBase, map[string]any{"ta_limit_remaining": "40000"}, "1000.00", "paid"},
		{"ta limit zero", elBase, map[string]any{"ta_limit_remaining": "0"}, "0.00", "ta_limit"},
		{"claimed ties with ta limit", elBase, map[string]any{"ta_limit_remaining": "800", "claimed": "800"}, "800.00", "ta_limit"},
		{"claimed under ta limit", elBase, map[string]any{"ta_limit_remaining": "800", "claimed": "700.5"}, "700.50", "claimed"},
		{"pro rata just over ta limit", elBase, map[string]any{"ta_limit_remaining": "333.33", "affected_qty": 1, "total_qty": 3}, "333.33", "ta_limit"},
		{"pro rata just under ta limit", elBase, map[string]any{"ta_limit_remaining": "333.34", "affected_qty": 1, "total_qty": 3}, "333.33", "pro_rata"},
		{"deposit", elLate, map[string]any{"coverage": "pre_shipment", "paid_before_shipment": "300"}, "300.00", "deposit"},
		{"deposit equals paid", elLate, map[string]any{"coverage": "pre_shipment", "paid_before_shipment": "1000.00"}, "1000.00", "deposit"},
		{"deposit under ta limit", elLate, map[string]any{"coverage": "pre_shipment", "paid_before_shipment": "300", "ta_limit_remaining": "200"}, "200.00", "ta_limit"},
		{"deposit and claim", elLate, map[string]any{"coverage": "pre_shipment", "paid_before_shipment": "300", "claimed": "299.99"}, "299.99", "claimed"},
		{"JPY shown with 2 decimals", elBase, map[string]any{"currency": "JPY", "paid_total": "1000", "affected_qty": 1, "total_qty": 3}, "333.33", "pro_rata"},
		{"KWD rounded to 2 decimals", elBase, map[string]any{"currency": "KWD", "paid_total": "1.235"}, "1.24", "paid"},
		{"large quantities", elBase, map[string]any{"paid_total": "999999999999.99", "affected_qty": 1, "total_qty": 9223372036854775807}, "0.00", "pro_rata"},
	}
	p := assurance.Default()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, fe := p.ParseFacts(elFacts(t, tc.base, tc.over))
			if fe != nil {
				t.Fatal(fe)
			}
			r := p.Evaluate(f)
			if r.Verdict != assurance.VerdictEligible {
				t.Fatalf("verdict %s %s", r.Verdict, r.Reason)
			}
			if got := r.MaxRefund.StringFixed(2); got != tc.max || r.LimitedBy != tc.limited {
				t.Fatalf("max %s limited by %s; want %s %s\n%q", got, r.LimitedBy, tc.max, tc.limited, r.Computation.Steps)
			}
			c := r.Computation
			if c == nil || len(c.Steps) < 3 || !c.Max.Equal(*r.MaxRefund) || c.LimitedBy != r.LimitedBy {
				t.Fatalf("computation %+v", c)
			}
		})
	}
}

func TestRefundMissing(t *testing.T) {
	p := assurance.Default()
	c, missing := p.Refund(assurance.Facts{Coverage: assurance.CoveragePreShipment})
	if len(missing) != 2 || missing[0] != "paid_total" || missing[1] != "paid_before_shipment" || c.Steps != nil {
		t.Fatalf("missing %q", missing)
	}
	_, missing = p.Refund(assurance.Facts{PaidTotal: elDec("5")})
	if missing != nil {
		t.Fatalf("missing %q", missing)
	}
}
