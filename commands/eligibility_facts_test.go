package commands

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

func day(s string) assurance.Date {
	d, err := assurance.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func factsJSON(t *testing.T, f assurance.Facts) string {
	t.Helper()
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOrderFacts(t *testing.T) {
	a := &App{Policy: assurance.Default()}
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	full := &state.Order{
		Status: assurance.Received, Coverage: assurance.CoveragePreShipment, BuyerTier: "enterprise",
		Currency: "EUR", Method: "tt", Incoterm: "fob", Quantity: 500, Tracking: "SF123",
		ShipDate: day("2026-10-10"), ShippedOn: day("2026-10-12"), ReceivedOn: day("2026-11-02"),
		Inspection: &state.Inspection{Result: "fail"},
		Payments: []state.Payment{
			{Amount: dec("300"), Method: "tt", Date: day("2026-10-01"), Status: "arrived"},
			{Amount: dec("999"), Method: "tt", Date: day("2026-10-05"), Status: "failed"},
			{Amount: dec("700"), Method: "tt", At: at.AddDate(0, 0, 11), Status: "arrived"}, // recorded on shipping day
			{Amount: dec("50.5"), Method: "", Date: day("2026-10-20"), Status: "pending"},   // after shipment, order's method
		},
	}
	cases := []struct {
		name  string
		o     *state.Order
		issue string
		want  string
	}{
		{"full record", full, "damaged",
			`{"issue":"damaged","status":"received","paid_on_platform":true,"coverage":"pre_shipment","buyer_tier":"enterprise",` +
				`"ship_date":"2026-10-10","shipped_on":"2026-10-12","received_on":"2026-11-02","today":"2026-11-27",` +
				`"inspection_result":"fail","transit_risk":"buyer","evidence":["inspection_report","tracking"],` +
				`"paid_total":"1050.5","paid_before_shipment":"1000","total_qty":500,"currency":"EUR"}`},
		{"quantity written: spec in order for short quantity", &state.Order{Status: assurance.Received, Currency: "USD", Quantity: 10}, "short_quantity",
			`{"issue":"short_quantity","status":"received","today":"2026-11-27","spec_in_order":true,"total_qty":10,"currency":"USD"}`},
		{"nothing paid, not shipped, inspection not done, unknown incoterm", &state.Order{
			Status: assurance.AwaitingShipment, Currency: "USD", Incoterm: "XYZ",
			Inspection: &state.Inspection{Result: "not_done"},
		}, "quality_mismatch",
			`{"issue":"quality_mismatch","status":"awaiting_shipment","today":"2026-11-27","inspection_result":"none","currency":"USD"}`},
		{"all paid before shipment while not shipped; private method leaves paid_on_platform to ask", &state.Order{
			Status: assurance.AwaitingShipment, Currency: "USD",
			Payments: []state.Payment{
				{Amount: dec("100"), Method: "card", Status: "arrived"},
				{Amount: dec("20"), Method: "private_account", Status: "arrived"},
			},
		}, "not_shipped_by_date",
			`{"issue":"not_shipped_by_date","status":"awaiting_shipment","today":"2026-11-27","paid_total":"120","paid_before_shipment":"120","currency":"USD"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := a.orderFacts(c.o, c.issue, day("2026-11-27"))
			if got := factsJSON(t, f); got != c.want {
				t.Errorf("facts\n got %s\nwant %s", got, c.want)
			}
			if fe := f.Validate(a.Policy); fe != nil {
				t.Errorf("facts do not validate: %v", fe)
			}
		})
	}
}
