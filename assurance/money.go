package assurance

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// MaxAmount is the largest amount accepted anywhere (a sanity bound, not a policy limit).
var MaxAmount = decimal.New(1, 12) // 1,000,000,000,000

// currencyDecimals lists the ISO-4217 codes we accept with their minor-unit digits.
var currencyDecimals = map[string]int32{
	"USD": 2, "EUR": 2, "GBP": 2, "CNY": 2, "HKD": 2, "AUD": 2, "CAD": 2, "SGD": 2,
	"JPY": 0, "KRW": 0, "TWD": 2, "INR": 2, "BRL": 2, "MXN": 2, "CHF": 2, "SEK": 2,
	"NOK": 2, "DKK": 2, "PLN": 2, "NZD": 2, "ZAR": 2, "AED": 2, "SAR": 2, "THB": 2,
	"MYR": 2, "IDR": 2, "PHP": 2, "VND": 0, "TRY": 2, "RUB": 2, "ILS": 2, "CZK": 2,
	"HUF": 2, "CLP": 0, "COP": 2, "PEN": 2, "ARS": 2, "NGN": 2, "EGP": 2, "PKR": 2,
	"BDT": 2, "KWD": 3, "BHD": 3, "OMR": 3, "QAR": 2,
}

// ErrUnknownCurrency is returned for a code that is not a supported ISO-4217 currency.
var ErrUnknownCurrency = errors.New("unknown currency")

// Currencies returns the supported currency codes.
func Currencies() []string {
	out := make([]string, 0, len(currencyDecimals))
	for c := range currencyDecimals {
		out = append(out, c)
	}
	return out
}

// CurrencyDecimals returns the number of minor-unit digits of an ISO-4217 code.
func CurrencyDecimals(code string) (int32, error) {
	d, ok := currencyDecimals[code]
	if !ok {
		return 0, fmt.Errorf("%w %q", ErrUnknownCurrency, code)
	}
	return d, nil
}

// NormalizeCurrency upper-cases and checks a currency code.
func NormalizeCurrency(code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if _, err := CurrencyDecimals(c); err != nil {
		return "", err
	}
	return c, nil
}

// AmountError explains why an amount was refused; Kind is one of
// "malformed", "not_positive", "negative", "too_many_decimals", "too_large".
type AmountError struct {
	Kind     string
	Decimals int32
}

func (e *AmountError) Error() string {
	switch e.Kind {
	case "too_many_decimals":
		return fmt.Sprintf("amount has more than %d decimals", e.Decimals)
	case "not_positive":
		return "amount must be greater than zero"
	case "negative":
		return "amount must not be negative"
	case "too_large":
		return "amount is too large"
	}
	return "amount is not a number"
}

// ParseAmount parses a positive amount in the given currency: plain digits with
// an optional decimal point, at most the currency's minor-unit digits, at most MaxAmount.
// Thousands separators (commas) are accepted and ignored.
func ParseAmount(s, currency string) (decimal.Decimal, error) {
	d, err := parseAmount(s, currency)
	if err != nil {
		return d, err
	}
	if !d.IsPositive() {
		return decimal.Zero, &AmountError{Kind: "not_positive"}
	}
	return d, nil
}

// ParseNonNegativeAmount is ParseAmount that also accepts zero.
func ParseNonNegativeAmount(s, currency string) (decimal.Decimal, error) {
	return parseAmount(s, currency)
}

func parseAmount(s, currency string) (decimal.Decimal, error) {
	places, err := CurrencyDecimals(currency)
	if err != nil {
		return decimal.Zero, err
	}
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" || !validNumber(s) {
		return decimal.Zero, &AmountError{Kind: "malformed"}
	}
	if strings.HasPrefix(s, "-") {
		return decimal.Zero, &AmountError{Kind: "negative"}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, &AmountError{Kind: "malformed"}
	}
	if !d.Equal(d.Truncate(places)) {
		return decimal.Zero, &AmountError{Kind: "too_many_decimals", Decimals: places}
	}
	if d.GreaterThan(MaxAmount) {
		return decimal.Zero, &AmountError{Kind: "too_large"}
	}
	return d, nil
}

// validNumber accepts an optional leading minus, digits, and at most one point with digits around it.
func validNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" || (hasPoint && frac == "") {
		return false
	}
	for _, part := range []string{intPart, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}

// FormatAmount renders d with the currency's decimals and thousands separators, without the code: "1,250.50".
func FormatAmount(d decimal.Decimal, currency string) string {
	places, err := CurrencyDecimals(currency)
	if err != nil {
		places = 2
	}
	s := d.StringFixed(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// FormatMoney renders an amount with its currency code: "1,250.50 USD".
func FormatMoney(d decimal.Decimal, currency string) string {
	return FormatAmount(d, currency) + " " + currency
}
