package commands

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// term is an order term /order change may touch: its option value, the policy term of POLICY.md 2.1,
// how a typed value is read (into its stored form) and how it is applied to the record.
type term struct {
	code  string
	term  assurance.ChangeField
	parse func(a *App, o *state.Order, raw string) (string, error)
	apply func(o *state.Order, v string)
}

// Field codes of /order change besides the terms of assurance.
const (
	fieldSpecs           = "specs" // the whole checklist, from the Specs form
	fieldReceiptDeadline = "receipt_deadline"
)

// terms lists the field choices of /order change in display order.
var terms = []term{
	{code: "ship_date", term: assurance.TermShipDate, parse: parseDateValue, apply: func(o *state.Order, v string) {
		o.ShipDate, _ = assurance.ParseDate(v)
		if o.FirstShip.IsZero() && len(o.Payments) > 0 {
			o.FirstShip = o.ShipDate // the first ship date agreed once money moved starts the 90-day budget
		}
	}},
	{code: "quantity", term: assurance.TermQuantity, parse: parseQuantity, apply: func(o *state.Order, v string) { o.Quantity, _ = strconv.ParseInt(v, 10, 64) }},
	{code: "specs.quality", term: assurance.TermSpecs, parse: textValue(maxSpecLen, true), apply: func(o *state.Order, v string) { o.Specs.Quality = v }},
	{code: "specs.packaging", term: assurance.TermSpecs, parse: textValue(maxSpecLen, true), apply: func(o *state.Order, v string) { o.Specs.Packaging = v }},
	{code: "specs.customisation", term: assurance.TermSpecs, parse: textValue(maxSpecLen, true), apply: func(o *state.Order, v string) { o.Specs.Customisation = v }},
	{code: "specs.design_files", term: assurance.TermSpecs, parse: textValue(maxSpecLen, true), apply: func(o *state.Order, v string) { o.Specs.DesignFiles = v }},
	{code: "address", term: assurance.TermAddress, parse: textValue(maxAddressLen, true), apply: func(o *state.Order, v string) { o.Address = v }},
	{code: "total", term: assurance.TermTotal, parse: parseTotal, apply: func(o *state.Order, v string) { o.Total = mustAmount(v) }},
	{code: "currency", term: assurance.TermCurrency, parse: parseCurrencyValue, apply: func(o *state.Order, v string) { o.Currency = v }},
	{code: "deposit", term: assurance.TermDeposit, parse: parseDeposit, apply: func(o *state.Order, v string) { d := mustAmount(v); o.Deposit = &d }},
	{code: "supplier", term: assurance.TermSupplier, parse: textValue(maxSupplierLen, false), apply: func(o *state.Order, v string) {
		o.Supplier, o.SupplierSlug = v, state.Slug(v)
	}},
	{code: "payment_method", term: assurance.TermPaymentMethod, parse: parseMethod, apply: func(o *state.Order, v string) { o.Method = v }},
	{code: "coverage", term: assurance.TermCoverage, parse: oneOf(coveragePostDelivery, coveragePreShipment), apply: func(o *state.Order, v string) { o.Coverage = v }},
	{code: "incoterm", term: assurance.TermIncoterm, parse: parseIncoterm, apply: func(o *state.Order, v string) { o.Incoterm = v }},
	{code: "buyer", term: assurance.TermBuyer, parse: parseBuyer, apply: func(o *state.Order, v string) { o.Buyer, o.BuyerName = v, "" }},
	{code: fieldReceiptDeadline},
}

// specsTerm is the whole checklist, changed through the Specs form.
var specsTerm = term{code: fieldSpecs, term: assurance.TermSpecs}

// termFor returns the term of a field code.
func termFor(code string) (term, bool) {
	if code == fieldSpecs {
		return specsTerm, true
	}
	for _, t := range terms {
		if t.code == code {
			return t, true
		}
	}
	return term{}, false
}

// termCodes are the field choices of /order change.
func termCodes() []string {
	out := make([]string, 0, len(terms))
	for _, t := range terms {
		out = append(out, t.code)
	}
	return out
}

// applyChange applies a change request's value to the order.
func applyChange(o *state.Order, c state.Change) {
	if c.Specs != nil {
		o.Specs = *c.Specs
		return
	}
	if t, ok := termFor(c.Field); ok && t.apply != nil {
		t.apply(o, c.Value)
	}
}

// Value parsers. Each refusal names the option ("value") and what is accepted.

func parseDateValue(_ *App, _ *state.Order, raw string) (string, error) {
	d, err := assurance.ParseDate(raw)
	if err != nil {
		return "", Fail("error.date", "field", "value", "value", truncate(raw, 50))
	}
	return d.String(), nil
}

func parseQuantity(_ *App, _ *state.Order, raw string) (string, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || n < 1 || n > math.MaxInt32 {
		return "", Fail("error.int", "field", "value", "min", 1, "max", math.MaxInt32)
	}
	return strconv.FormatInt(n, 10), nil
}

func textValue(maxLen int, multiline bool) func(*App, *state.Order, string) (string, error) {
	return func(_ *App, _ *state.Order, raw string) (string, error) {
		v := clean(raw)
		if !multiline {
			v = oneLine(v)
		}
		if v == "" {
			return "", Fail("error.field.required", "field", "value")
		}
		if n := utf8.RuneCountInString(v); n > maxLen {
			return "", Fail("error.field.too_long", "field", "value", "max", maxLen, "len", n)
		}
		return v, nil
	}
}

func parseTotal(_ *App, o *state.Order, raw string) (string, error) {
	d, err := assurance.ParseAmount(raw, o.Currency)
	if err != nil {
		return "", amountError("value", raw, o.Currency, err)
	}
	if o.Deposit != nil && o.Deposit.GreaterThan(d) {
		return "", Fail("error.total.below_deposit", "field", "value", "value", raw, "deposit", assurance.FormatMoney(*o.Deposit, o.Currency))
	}
	return d.String(), nil
}

func parseDeposit(_ *App, o *state.Order, raw string) (string, error) {
	d, err := assurance.ParseAmount(raw, o.Currency)
	if err != nil {
		return "", amountError("value", raw, o.Currency, err)
	}
	if d.GreaterThan(o.Total) {
		return "", Fail("error.deposit.over_total", "field", "value", "value", raw, "total", assurance.FormatMoney(o.Total, o.Currency))
	}
	return d.String(), nil
}

// parseCurrencyValue checks the code and that the order's amounts fit its decimals.
func parseCurrencyValue(_ *App, o *state.Order, raw string) (string, error) {
	c, err := assurance.NormalizeCurrency(raw)
	if err != nil {
		return "", Fail("error.currency", "field", "value", "value", truncate(raw, 20))
	}
	places, _ := assurance.CurrencyDecimals(c)
	amounts := []string{o.Total.String()}
	if o.Deposit != nil {
		amounts = append(amounts, o.Deposit.String())
	}
	for _, s := range amounts {
		if _, err := assurance.ParseAmount(s, c); err != nil {
			return "", Fail("error.amount.decimals", "field", "value", "value", s, "currency", c, "decimals", places)
		}
	}
	return c, nil
}

func parseMethod(a *App, _ *state.Order, raw string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(raw))
	if !slices.Contains(a.methodCodes(), v) {
		return "", Fail("error.choice", "field", "value", "value", truncate(raw, 30), "allowed", joinCodes(a.methodCodes()))
	}
	return v, nil
}

func parseIncoterm(_ *App, _ *state.Order, raw string) (string, error) {
	v := strings.ToUpper(strings.TrimSpace(raw))
	if !slices.Contains(incoterms, v) {
		return "", Fail("error.choice", "field", "value", "value", truncate(raw, 30), "allowed", joinCodes(incoterms))
	}
	return v, nil
}

func oneOf(allowed ...string) func(*App, *state.Order, string) (string, error) {
	return func(_ *App, _ *state.Order, raw string) (string, error) {
		v := strings.ToLower(strings.TrimSpace(raw))
		if !slices.Contains(allowed, v) {
			return "", Fail("error.choice", "field", "value", "value", truncate(raw, 30), "allowed", joinCodes(allowed))
		}
		return v, nil
	}
}

// userRef is a mention (<@123>, <@!123>) or a bare user ID.
var userRef = regexp.MustCompile(`^<@!?([0-9]{15,21})>$|^([0-9]{15,21})$`)

func parseBuyer(_ *App, _ *state.Order, raw string) (string, error) {
	m := userRef.FindStringSubmatch(strings.TrimSpace(raw))
	if m == nil {
		return "", Fail("error.user_ref", "field", "value", "value", truncate(raw, 40))
	}
	return m[1] + m[2], nil
}

// mustAmount reads an amount the parsers already checked.
func mustAmount(v string) decimal.Decimal { return decimal.RequireFromString(v) }
