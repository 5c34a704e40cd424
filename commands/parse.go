package commands

import (
	"errors"
	"math"
	"net/url"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
)

// Parsing of member input. Every parser returns a UserError that names the field and says what is accepted.

// Text returns a required or optional text option checked for length (in characters).
func (r *Request) Text(name string, required bool, maxLen int) (string, error) {
	s := r.String(name)
	if s == "" {
		if required {
			return "", Fail("error.field.required", "field", name)
		}
		return "", nil
	}
	if n := utf8.RuneCountInString(s); n > maxLen {
		return "", Fail("error.field.too_long", "field", name, "max", maxLen, "len", n)
	}
	return s, nil
}

// Currency returns the currency option (default USD) as an ISO-4217 code.
func (r *Request) Currency(name string) (string, error) {
	s := r.String(name)
	if s == "" {
		return "USD", nil
	}
	c, err := assurance.NormalizeCurrency(s)
	if err != nil {
		return "", Fail("error.currency", "field", name, "value", s)
	}
	return c, nil
}

// Amount parses a positive money option in the currency; required reports whether it must be present.
func (r *Request) Amount(name, currency string, required bool) (decimal.Decimal, bool, error) {
	s := r.String(name)
	if s == "" {
		if required {
			return decimal.Zero, false, Fail("error.field.required", "field", name)
		}
		return decimal.Zero, false, nil
	}
	d, err := assurance.ParseAmount(s, currency)
	if err != nil {
		return decimal.Zero, false, amountError(name, s, currency, err)
	}
	return d, true, nil
}

// amountError turns an assurance amount error into the member's message.
func amountError(field, value, currency string, err error) error {
	var ae *assurance.AmountError
	if errors.As(err, &ae) {
		switch ae.Kind {
		case "too_many_decimals":
			return Fail("error.amount.decimals", "field", field, "value", value, "currency", currency, "decimals", ae.Decimals)
		case "not_positive", "negative":
			return Fail("error.amount.positive", "field", field, "value", value)
		case "too_large":
			return Fail("error.amount.large", "field", field, "value", value)
		}
	}
	return Fail("error.amount.malformed", "field", field, "value", value)
}

// Date parses an optional YYYY-MM-DD option (zero Date when absent).
func (r *Request) Date(name string) (assurance.Date, error) {
	s := r.String(name)
	if s == "" {
		return assurance.Date{}, nil
	}
	d, err := assurance.ParseDate(s)
	if err != nil {
		return assurance.Date{}, Fail("error.date", "field", name, "value", s)
	}
	return d, nil
}

// Int returns an integer option between lo and hi; ok is false when the option is absent.
func (r *Request) Int(name string, lo, hi int64) (n int64, ok bool, err error) {
	o := r.Option(name)
	if o == nil {
		return 0, false, nil
	}
	var f float64
	switch v := o.Value.(type) {
	case float64:
		f = v
	case int64:
		f = float64(v)
	case int:
		f = float64(v)
	default:
		return 0, false, Fail("error.int", "field", name, "min", lo, "max", hi)
	}
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return 0, false, Fail("error.int", "field", name, "min", lo, "max", hi)
	}
	return int64(f), true, nil
}

// Choice returns a string option that must be one of allowed ("" when absent).
func (r *Request) Choice(name string, allowed ...string) (string, error) {
	s := r.String(name)
	if s == "" {
		return "", nil
	}
	for _, a := range allowed {
		if s == a {
			return s, nil
		}
	}
	return "", Fail("error.choice", "field", name, "value", s, "allowed", joinCodes(allowed))
}

func joinCodes(codes []string) string {
	out := ""
	for i, c := range codes {
		if i > 0 {
			out += ", "
		}
		out += "`" + c + "`"
	}
	return out
}

// maxOrderNumber bounds order numbers (Discord integers are 53-bit; ours fit 2^31).
const maxOrderNumber = math.MaxInt32

// orderOption is the definition of the "order" option shared by every /order subcommand.
func orderOption(required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionInteger, Name: "order", Required: required,
		MinValue: ptr(1.0), MaxValue: maxOrderNumber, Autocomplete: true,
	}
}

func ptr[T any](v T) *T { return &v }

// webLink reports whether s is an absolute http(s) address with a host.
func webLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
