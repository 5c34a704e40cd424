package assurance

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Why a payment method is not available (MethodAllowed).
const (
	PayUnknownMethod       = "unknown_method"
	PayInvalidAmount       = "invalid_amount"   // not a positive amount
	PayUnknownCurrency     = "unknown_currency" // not a supported ISO 4217 code
	PayDisabled            = "disabled"         // not enabled by the policy (legacy methods)
	PayCountryNotAllowed   = "country_not_allowed"
	PayCurrencyNotAccepted = "currency_not_accepted"
	PayOverLimit           = "over_limit"
)

// Warning codes a PaymentOption may carry besides the method's own PaymentMethod.Warnings.
const (
	WarnLegacy            = "legacy"             // a legacy method
	WarnDisabled          = "disabled"           // not enabled by the policy (listed on request only)
	WarnMayArriveShort    = "may_arrive_short"   // this currency may arrive short (FX and bank fees)
	WarnFeeUpTo           = "fee_up_to"          // Fee is the most it costs
	WarnFeeUnknown        = "fee_unknown"        // a fee exists but its amount is unknown
	WarnTotalOverLimit    = "total_over_limit"   // the amount fits the limit, amount + fee does not
	WarnLimitUnverified   = "limit_unverified"   // the limit is in another currency; not checked
	WarnCountryUnverified = "country_unverified" // the method is for some countries only and the buyer's is unknown
)

// PaymentOption is a payment method suggested for one payment, with its fee and total.
type PaymentOption struct {
	Code     string
	Name     string
	Enabled  bool
	Legacy   bool
	Amount   decimal.Decimal
	Currency string
	// Fee is the buyer fee in Currency, rounded half away from zero to the currency's
	// decimals; zero with FeeKnown false when the method's fee is unknown. FeeUpTo: at most.
	Fee      decimal.Decimal
	FeeKnown bool
	FeeUpTo  bool
	// Total is Amount + Fee, what the buyer pays.
	Total         decimal.Decimal
	Limit         *decimal.Decimal
	LimitCurrency string
	LimitKind     string
	Arrival       string
	Requirements  []string
	Warnings      []string
	Notes         string
}

// PaymentMethod returns the policy entry of a method code.
func (p *Policy) PaymentMethod(code string) (PaymentMethod, bool) {
	for _, m := range p.PaymentMethods {
		if m.Code == code {
			return m, true
		}
	}
	return PaymentMethod{}, false
}

// PaymentOptions lists, in policy order, the methods suggested for paying amount in currency
// from a buyer in country (ISO 3166-1 alpha-2; "" when unknown) per POLICY.md section 4: the
// method is enabled, allowed for the country and the currency, and the amount is within its
// limit. includeDisabled adds the disabled (legacy) methods that otherwise fit, with the
// warning "disabled". An unknown country is not held against a method; such options carry
// "country_unverified" when the method is for some countries only. A non-positive amount or
// an unknown currency gives no options.
func (p *Policy) PaymentOptions(amount decimal.Decimal, currency, country string, includeDisabled bool) []PaymentOption {
	country = normCountry(country)
	if !amount.IsPositive() {
		return nil
	}
	places, err := CurrencyDecimals(currency)
	if err != nil {
		return nil
	}
	var out []PaymentOption
	for i := range p.PaymentMethods {
		m := &p.PaymentMethods[i]
		if !m.Enabled && !includeDisabled {
			continue
		}
		ok, _, warns := p.judge(m, amount, currency, country)
		if !ok {
			continue
		}
		o := PaymentOption{
			Code: m.Code, Name: m.Name, Enabled: m.Enabled, Legacy: m.Legacy, Amount: amount,
			Currency: currency, FeeKnown: !m.FeeUnknown, FeeUpTo: m.FeeUpTo, Limit: m.Limit,
			LimitCurrency: m.LimitCurrency, LimitKind: m.LimitKind, Arrival: m.Arrival,
			Requirements: m.Requirements, Notes: m.Notes,
		}
		o.Fee = m.fee(amount, places)
		o.Total = amount.Add(o.Fee)
		o.Warnings = slices.Clone(m.Warnings)
		add := func(w string) {
			if !slices.Contains(o.Warnings, w) {
				o.Warnings = append(o.Warnings, w)
			}
		}
		if m.Legacy {
			add(WarnLegacy)
		}
		if !m.Enabled {
			add(WarnDisabled)
		}
		if len(m.FullArrivalCurrencies) > 0 && !slices.Contains(m.FullArrivalCurrencies, currency) {
			add(WarnMayArriveShort)
		}
		if m.FeeUnknown {
			add(WarnFeeUnknown)
		}
		if m.FeeUpTo {
			add(WarnFeeUpTo)
		}
		for _, w := range warns {
			add(w)
		}
		if m.Limit != nil && currency == m.LimitCurrency && !within(o.Total, *m.Limit, m.LimitExclusive) {
			add(WarnTotalOverLimit)
		}
		out = append(out, o)
	}
	return out
}

// MethodAllowed reports whether a method may be used for paying amount in currency from a
// buyer in country ("" when unknown: then only the amount and the currency are judged), and
// if not, why: one of the Pay* codes. For the warnings at order creation.
func (p *Policy) MethodAllowed(code string, amount decimal.Decimal, currency, country string) (ok bool, reasonCode string) {
	m, found := p.PaymentMethod(code)
	switch {
	case !found:
		return false, PayUnknownMethod
	case !amount.IsPositive():
		return false, PayInvalidAmount
	}
	if _, err := CurrencyDecimals(currency); err != nil {
		return false, PayUnknownCurrency
	}
	if !m.Enabled {
		return false, PayDisabled
	}
	ok, reasonCode, _ = p.judge(&m, amount, currency, normCountry(country))
	return ok, reasonCode
}

// judge checks country, currency and limit, ignoring Enabled; warns lists warnings that
// come from what could not be checked.
func (p *Policy) judge(m *PaymentMethod, amount decimal.Decimal, currency, country string) (ok bool, reason string, warns []string) {
	if country != "" && !p.countryAllowed(m, country) {
		return false, PayCountryNotAllowed, nil
	}
	if country == "" && !slices.Contains(m.Countries, Everyone) {
		warns = append(warns, WarnCountryUnverified)
	}
	if !p.currencyAccepted(m, currency, country) {
		return false, PayCurrencyNotAccepted, nil
	}
	if m.Limit != nil {
		if currency != m.LimitCurrency {
			warns = append(warns, WarnLimitUnverified)
		} else if !within(amount, *m.Limit, m.LimitExclusive) {
			return false, PayOverLimit, nil
		}
	}
	return true, "", warns
}

// within reports whether amount fits under limit (strictly when exclusive).
func within(amount, limit decimal.Decimal, exclusive bool) bool {
	if exclusive {
		return amount.LessThan(limit)
	}
	return amount.LessThanOrEqual(limit)
}

// countryAllowed reports whether a buyer in country (a normalised alpha-2 code) may use m.
func (p *Policy) countryAllowed(m *PaymentMethod, country string) bool {
	if slices.Contains(m.ExcludedCountries, country) {
		return false
	}
	return p.countryEntry(m, country) != ""
}

// countryEntry returns the entry of m.Countries that admits country ("everyone", the code
// itself or a group name), or "".
func (p *Policy) countryEntry(m *PaymentMethod, country string) string {
	for _, c := range m.Countries {
		if c == Everyone || c == country || slices.Contains(p.CountryGroups[c], country) {
			return c
		}
	}
	return ""
}

// currencyAccepted reports whether m accepts currency for a buyer in country ("" = unknown).
func (p *Policy) currencyAccepted(m *PaymentMethod, currency, country string) bool {
	if !slices.Equal(m.Currencies, []string{LocalCurrency}) {
		return slices.Contains(m.Currencies, currency)
	}
	if country == "" {
		for _, c := range m.LocalCurrencies {
			if c == currency {
				return true
			}
		}
		return false
	}
	return m.LocalCurrencies[p.countryEntry(m, country)] == currency
}

// fee computes the buyer fee for amount, rounded to places decimals.
func (m *PaymentMethod) fee(amount decimal.Decimal, places int32) decimal.Decimal {
	fee := decimal.Zero
	if m.FeePercent != nil {
		fee = amount.Mul(*m.FeePercent).Shift(-2)
	}
	if m.FeeFixed != nil {
		fee = fee.Add(*m.FeeFixed)
	}
	return fee.Round(places)
}

// normCountry upper-cases and trims a country code.
func normCountry(c string) string { return strings.ToUpper(strings.TrimSpace(c)) }
