package assurance_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

func elCodes(opts []assurance.PaymentOption) string {
	var c []string
	for _, o := range opts {
		c = append(c, o.Code)
	}
	return strings.Join(c, " ")
}

func elOption(t *testing.T, opts []assurance.PaymentOption, code string) assurance.PaymentOption {
	t.Helper()
	for _, o := range opts {
		if o.Code == code {
			return o
		}
	}
	t.Fatalf("no option %s in %s", code, elCodes(opts))
	return assurance.PaymentOption{}
}

func TestPaymentOptionsSuggested(t *testing.T) {
	p := assurance.Default()
	tests := []struct {
		amount, currency, country string
		disabled                  bool
		want                      string
	}{
		{"1000", "USD", "US", false, "card apple_pay google_pay tt online_bank_transfer payment_terms"},
		{"1000", "USD", "us", false, "card apple_pay google_pay tt online_bank_transfer payment_terms"},
		{"1000", "USD", "IN", false, "card apple_pay tt"},
		{"1000", "USD", "GB", false, "card apple_pay google_pay tt"},
		{"12000", "USD", "GB", false, "card apple_pay google_pay tt"},
		{"12000.01", "USD", "GB", false, "card tt"},
		{"50000", "USD", "US", false, "card tt online_bank_transfer payment_terms"},
		{"50000.01", "USD", "US", false, "card tt online_bank_transfer"},
		{"1000", "EUR", "DE", false, "tt online_bank_transfer"},
		{"1000", "EUR", "FR", false, "tt online_bank_transfer"},
		{"1000", "EUR", "CH", false, "tt"},
		{"1000", "AUD", "AU", false, "tt online_bank_transfer"},
		{"1000", "CAD", "CA", false, "tt online_bank_transfer"},
		{"1000", "CAD", "US", false, "tt"},
		{"1000", "BRL", "BR", false, "boleto"},
		{"1000", "BRL", "AR", false, ""},
		{"1000", "JPY", "JP", false, "tt"},
		{"1000", "USD", "US", true, "card apple_pay google_pay tt online_bank_transfer echeck western_union pay_later payment_terms"},
		{"2499.99", "USD", "US", true, "card apple_pay google_pay tt online_bank_transfer echeck western_union pay_later payment_terms"},
		{"2500", "USD", "US", true, "card apple_pay google_pay tt online_bank_transfer echeck pay_later payment_terms"},
		{"150000", "USD", "US", true, "card tt online_bank_transfer echeck pay_later"},
		{"150000.01", "USD", "US", true, "card tt online_bank_transfer echeck"},
		{"1000", "USD", "", false, "card apple_pay google_pay tt online_bank_transfer payment_terms"},
		{"1000", "EUR", "", false, "tt online_bank_transfer"},
		{"0", "USD", "US", false, ""},
		{"-5", "USD", "US", false, ""},
		{"10", "XYZ", "US", false, ""},
	}
	for _, tc := range tests {
		got := elCodes(p.PaymentOptions(decimal.RequireFromString(tc.amount), tc.currency, tc.country, tc.disabled))
		if got != tc.want {
			t.Errorf("PaymentOptions(%s %s %q disabled=%v) = %q, want %q", tc.amount, tc.currency, tc.country, tc.disabled, got, tc.want)
		}
	}
}

func TestPaymentOptionFees(t *testing.T) {
	p := assurance.Default()
	opts := p.PaymentOptions(decimal.RequireFromString("1000"), "USD", "US", true)
	tests := []struct {
		code, fee, total string
		feeKnown, upTo   bool
		warnings         string
	}{
		{"card", "29.9", "1029.9", true, false, ""},
		{"apple_pay", "29.9", "1029.9", true, false, ""},
		{"tt", "0", "1000", true, false, "bank_fees_extra"},
		{"online_bank_transfer", "1", "1001", true, true, "fee_up_to"},
		{"echeck", "15", "1015", true, false, "legacy disabled"},
		{"western_union", "0", "1000", false, false, "legacy disabled fee_unknown"},
		{"pay_later", "0", "1000", true, false, "legacy disabled"},
		{"payment_terms", "0", "1000", true, false, "fee_if_late"},
	}
	for _, tc := range tests {
		o := elOption(t, opts, tc.code)
		if o.Fee.String() != tc.fee || o.Total.String() != tc.total || o.FeeKnown != tc.feeKnown || o.FeeUpTo != tc.upTo ||
			strings.Join(o.Warnings, " ") != tc.warnings {
			t.Errorf("%s: fee %s total %s known %v upTo %v warnings %q", tc.code, o.Fee, o.Total, o.FeeKnown, o.FeeUpTo, o.Warnings)
		}
	}
	if o := elOption(t, opts, "payment_terms"); !slices.Equal(o.Requirements, []string{"qualified_business"}) ||
		o.LimitKind != assurance.LimitCredit || o.Limit.String() != "50000" || o.Arrival == "" {
		t.Errorf("payment_terms %+v", o)
	}

	// Fees round half away from zero to the currency's decimals.
	o := elOption(t, p.PaymentOptions(decimal.RequireFromString("33.33"), "USD", "US", false), "card")
	if o.Fee.String() != "1" || o.Total.String() != "34.33" { // 0.996567
		t.Errorf("card on 33.33: fee %s total %s", o.Fee, o.Total)
	}
	o = elOption(t, p.PaymentOptions(decimal.RequireFromString("1000"), "BRL", "BR", false), "boleto")
	if o.Fee.StringFixed(2) != "13.50" {
		t.Errorf("boleto fee %s", o.Fee)
	}
	o = elOption(t, p.PaymentOptions(decimal.RequireFromString("1000"), "EUR", "DE", false), "tt")
	if !slices.Contains(o.Warnings, assurance.WarnMayArriveShort) {
		t.Errorf("EUR wire warnings %q", o.Warnings)
	}
	o = elOption(t, p.PaymentOptions(decimal.RequireFromString("1000"), "EUR", "DE", false), "online_bank_transfer")
	if o.Fee.String() != "1" || o.Currency != "EUR" {
		t.Errorf("EU local transfer %+v", o)
	}
	o = elOption(t, p.PaymentOptions(decimal.RequireFromString("1000"), "USD", "US", false), "tt")
	if slices.Contains(o.Warnings, assurance.WarnMayArriveShort) {
		t.Errorf("USD wire warnings %q", o.Warnings)
	}
	// Amount within the limit, amount + fee over it: suggested, with a warning.
	o = elOption(t, p.PaymentOptions(decimal.RequireFromString("11900"), "USD", "US", false), "apple_pay")
	if !slices.Contains(o.Warnings, assurance.WarnTotalOverLimit) {
		t.Errorf("apple_pay 11900 warnings %q", o.Warnings)
	}
	// Unknown country: country-limited methods are flagged.
	opts = p.PaymentOptions(decimal.RequireFromString("1000"), "USD", "", false)
	if o := elOption(t, opts, "payment_terms"); !slices.Contains(o.Warnings, assurance.WarnCountryUnverified) {
		t.Errorf("payment_terms without country: %q", o.Warnings)
	}
	if o := elOption(t, opts, "card"); slices.Contains(o.Warnings, assurance.WarnCountryUnverified) {
		t.Errorf("card without country: %q", o.Warnings)
	}
}

func TestMethodAllowed(t *testing.T) {
	p := assurance.Default()
	tests := []struct {
		code, amount, currency, country string
		reason                          string
	}{
		{"card", "100", "USD", "DE", ""},
		{"card", "100", "EUR", "DE", assurance.PayCurrencyNotAccepted},
		{"google_pay", "100", "USD", "IN", assurance.PayCountryNotAllowed},
		{"google_pay", "100", "USD", "", ""},
		{"apple_pay", "12000", "USD", "", ""},
		{"apple_pay", "12000.01", "USD", "", assurance.PayOverLimit},
		{"online_bank_transfer", "100", "EUR", "IT", ""},
		{"online_bank_transfer", "100", "USD", "IT", assurance.PayCurrencyNotAccepted},
		{"online_bank_transfer", "100", "EUR", "", ""},
		{"online_bank_transfer", "100", "GBP", "", assurance.PayCurrencyNotAccepted},
		{"online_bank_transfer", "100", "USD", "BR", assurance.PayCountryNotAllowed},
		{"boleto", "100", "BRL", "BR", ""},
		{"boleto", "100", "BRL", "PT", assurance.PayCountryNotAllowed},
		{"payment_terms", "50000", "USD", "US", ""},
		{"payment_terms", "50000.01", "USD", "", assurance.PayOverLimit},
		{"payment_terms", "100", "USD", "GB", assurance.PayCountryNotAllowed},
		{"echeck", "100", "USD", "US", assurance.PayDisabled},
		{"western_union", "100", "USD", "US", assurance.PayDisabled},
		{"paypal", "100", "USD", "US", assurance.PayUnknownMethod},
		{"card", "0", "USD", "US", assurance.PayInvalidAmount},
		{"card", "10", "ABC", "US", assurance.PayUnknownCurrency},
		{"tt", "999999", "JPY", "JP", ""},
	}
	for _, tc := range tests {
		ok, reason := p.MethodAllowed(tc.code, decimal.RequireFromString(tc.amount), tc.currency, tc.country)
		if ok != (tc.reason == "") || reason != tc.reason {
			t.Errorf("MethodAllowed(%s, %s %s, %q) = %v %q, want %q", tc.code, tc.amount, tc.currency, tc.country, ok, reason, tc.reason)
		}
	}
	if m, ok := p.PaymentMethod("google_pay"); !ok || !slices.Equal(m.ExcludedCountries, []string{"IN"}) {
		t.Errorf("google_pay entry %+v", m)
	}
}
