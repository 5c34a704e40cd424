package state

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

func TestMinorUnitsRoundTrip(t *testing.T) {
	for _, c := range []struct{ amount, currency, minor string }{
		{"1250.5", "USD", "125050"}, {"0.01", "USD", "1"}, {"1000", "JPY", "1000"}, {"12.345", "KWD", "12345"},
		{"999999999999.99", "USD", "99999999999999"},
	} {
		d := decimal.RequireFromString(c.amount)
		if got := minorUnits(d, c.currency); got != c.minor {
			t.Errorf("minorUnits(%s %s) = %s, want %s", c.amount, c.currency, got, c.minor)
		}
		back, err := fromMinorUnits(c.minor, c.currency)
		if err != nil || !back.Equal(d) {
			t.Errorf("fromMinorUnits(%s %s) = %s, %v", c.minor, c.currency, back, err)
		}
	}
}

func TestOpenSumOps(t *testing.T) {
	open := &Order{SupplierSlug: "acme", Currency: "USD", Total: decimal.RequireFromString("100.50"), Status: assurance.AwaitingPayment}
	closed := *open
	closed.Status = assurance.Cancelled
	bigger := *open
	bigger.Total = decimal.RequireFromString("200")
	moved := *open
	moved.SupplierSlug = "other"
	cases := []struct {
		name     string
		old, new *Order
		want     []op
	}{
		{"created", nil, open, []op{{"hincr", "supplier:acme:sum", "USD", "10050"}}},
		{"unchanged", open, open, nil},
		{"cancelled", open, &closed, []op{{"hincr", "supplier:acme:sum", "USD", "-10050"}}},
		{"total changed", open, &bigger, []op{{"hincr", "supplier:acme:sum", "USD", "-10050"}, {"hincr", "supplier:acme:sum", "USD", "20000"}}},
		{"supplier changed", open, &moved, []op{{"hincr", "supplier:acme:sum", "USD", "-10050"}, {"hincr", "supplier:other:sum", "USD", "10050"}}},
		{"closed stays closed", &closed, &closed, nil},
	}
	for _, c := range cases {
		got := openSumOps(c.old, c.new)
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
	}
}
