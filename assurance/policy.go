package assurance

import (
	"bytes"
	_ "embed" // the default policy file
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

//go:embed policy.json
var embeddedPolicy []byte

// Policy is the validated policy data of POLICY.md: every number, list and text the engine
// uses. Get one from Default, LoadPolicy or ParsePolicy and treat it as read-only; the
// methods never change it, so one Policy may be shared by many goroutines.
type Policy struct {
	// Version names this edition of the policy data; EffectiveFrom is the first day it applies.
	Version       string
	EffectiveFrom Date
	Notes         string

	// DefaultTier is the buyer tier assumed when buyer_tier is absent ("standard").
	DefaultTier string
	// ClaimWindowDays is the claim window after receipt per buyer tier (rule 9):
	// standard 30, enterprise 60.
	ClaimWindowDays map[string]int
	// EvidenceKinds lists the evidence codes a fact list may hold.
	EvidenceKinds []string
	// Issues lists the issue codes with the rules that apply to each, in display order.
	Issues []Issue
	// CountryGroups names groups of ISO 3166-1 alpha-2 codes usable in payment-method country
	// lists ("EU" = the member states of the European Union).
	CountryGroups map[string][]string
	// PaymentMethods is POLICY.md section 4, in display order.
	PaymentMethods []PaymentMethod
	// Dispute holds the dispute clock of POLICY.md section 5.
	Dispute DisputeRules
	// Orders holds the order-lifecycle numbers of POLICY.md sections 2 and 2.1.
	Orders OrderRules
	// Incoterms maps an Incoterms 2020 code to who carries the risk of the main carriage:
	// RiskBuyer or RiskSupplier. POLICY.md only says transit_risk comes "from the Incoterm";
	// the mapping follows Incoterms 2020 risk transfer: under EXW, FCA, FAS, FOB, CFR, CIF,
	// CPT and CIP the risk passes to the buyer at or before loading for the main carriage (under
	// CIF/CIP the supplier buys insurance, but for the buyer, who claims on it), so transit loss
	// or damage is the buyer's; under DAP, DPU and DDP the supplier carries it to the destination.
	Incoterms map[string]string
	// Reasons holds, per reason code of section 3, the advice code and the English explanation
	// template. Templates may use the placeholders {issue}, {status}, {window_days},
	// {received_on}, {deadline}, {ship_date}, {shipped_on}, {next_day}, {today}, {max_refund},
	// {limited_by}, {computation} and {missing}; a placeholder without a value becomes "".
	Reasons map[string]ReasonText
	// LimitedByTexts phrases each limited_by code for explanations ("the amount paid").
	LimitedByTexts map[string]string
	// DeadlineText is appended to explanations of results that are not final when the
	// deadline is known; it may use the same placeholders.
	DeadlineText string
}

// Issue is one issue code and the rules of POLICY.md section 3 that single it out.
type Issue struct {
	Code  string `json:"code"`
	Label string `json:"label"` // English phrase for explanations: "the goods arrived damaged"
	// Excluded: never covered (rule 6).
	Excluded bool `json:"excluded"`
	// PreShipmentCovered: still covered under pre_shipment coverage (rule 8).
	PreShipmentCovered bool `json:"pre_shipment_covered"`
	// LateShipment: decided by the agreed ship date and the shipping date (rule 10).
	LateShipment bool `json:"late_shipment"`
	// NotYetBeforeReceipt: claimable only once the goods have arrived (rule 11).
	NotYetBeforeReceipt bool `json:"not_yet_before_receipt"`
	// NotYetBeforeShipment: claimable only once the goods have shipped (rule 12).
	NotYetBeforeShipment bool `json:"not_yet_before_shipment"`
	// SpecInOrder: needs the disputed requirement written in the order (rule 13).
	SpecInOrder bool `json:"spec_in_order"`
	// Inspection: a passed inspection decides against the claim (rule 14).
	Inspection bool `json:"inspection"`
	// Transit: not covered when the buyer carries the transit risk (rule 15).
	Transit bool `json:"transit"`
	// ProRata: the ask defaults to the affected share of paid_total (section 3.1).
	ProRata bool `json:"pro_rata"`
	// Evidence lists the evidence kinds a claim needs (rule 16).
	Evidence []string `json:"evidence"`
}

// DisputeRules is the dispute clock of POLICY.md section 5. Day N of an application is the
// day of opening plus N calendar days.
type DisputeRules struct {
	SupplierAnswerDays      int `json:"supplier_answer_days"`       // 3: the supplier should answer by day 3
	EscalationFromDay       int `json:"escalation_from_day"`        // 4: the buyer may escalate from day 4
	AutoEscalationDay       int `json:"auto_escalation_day"`        // 8: escalated automatically on day 8
	AlibabaJoinsWorkingDays int `json:"alibaba_joins_working_days"` // 2: Alibaba's team joins after escalation
	RefundStartsWorkingDays int `json:"refund_starts_working_days"` // 7: the refund starts after agreement
}

// ReasonText is the advice code and explanation template of one reason code.
type ReasonText struct {
	// Advice is a machine-readable next step ("open_dispute", "carrier_claim", ...)
	// that the bot's message catalog turns into words.
	Advice string `json:"advice"`
	// Text is the English explanation template.
	Text string `json:"text"`
}

// PaymentMethod is one row of POLICY.md section 4.
type PaymentMethod struct {
	Code string
	Name string
	// Countries lists who may use the method: ISO 3166-1 alpha-2 codes, names of
	// CountryGroups, or the single entry "everyone".
	Countries []string
	// ExcludedCountries lists alpha-2 codes that may not use it even when Countries allows them.
	ExcludedCountries []string
	// Currencies lists the accepted ISO 4217 codes, or the single entry "local": the buyer's
	// local currency, looked up in LocalCurrencies by country code or group name.
	Currencies      []string
	LocalCurrencies map[string]string
	// FullArrivalCurrencies, when not empty, lists the currencies that arrive in full;
	// any other currency gets the warning "may_arrive_short".
	FullArrivalCurrencies []string
	// Limit is the largest payment (or credit line) allowed, in LimitCurrency; nil = none known.
	Limit          *decimal.Decimal
	LimitCurrency  string
	LimitExclusive bool   // the payment must be strictly under Limit ("under 2,500 USD")
	LimitKind      string // "per_payment" or "credit_line"
	// FeePercent and FeeFixed make the buyer fee: amount × FeePercent / 100 + FeeFixed, with
	// FeeFixed in the payment currency. FeeUpTo: the fee is a maximum. FeeUnknown: a fee
	// exists but its amount is not known.
	FeePercent *decimal.Decimal
	FeeFixed   *decimal.Decimal
	FeeUpTo    bool
	FeeUnknown bool
	Arrival    string // when the money arrives, in English
	Enabled    bool   // suggested by default
	Legacy     bool
	// Requirements lists codes of what the buyer must have ("business", "us_checking_account").
	Requirements []string
	// Warnings lists warning codes always shown with the method ("bank_fees_extra").
	Warnings []string
	Notes    string
}

// The verdicts of POLICY.md section 3, and VerdictInvalid for facts that fail validation.
const (
	VerdictEligible    = "eligible"
	VerdictNotEligible = "not_eligible"
	VerdictNotYet      = "not_yet"
	VerdictNeedsInfo   = "needs_info"
	VerdictInvalid     = "invalid" // never in check output: invalid input is an error line there
)

// The reason codes of POLICY.md section 3.
const (
	ReasonOrderClosed        = "ORDER_CLOSED"
	ReasonDisputeOpen        = "DISPUTE_OPEN"
	ReasonOffPlatformPayment = "OFF_PLATFORM_PAYMENT"
	ReasonNotPaid            = "NOT_PAID"
	ReasonPaymentPending     = "PAYMENT_PENDING"
	ReasonExcludedIssue      = "EXCLUDED_ISSUE"
	ReasonAcceptedBreach     = "ACCEPTED_BREACH"
	ReasonPreShipmentOnly    = "PRE_SHIPMENT_ONLY"
	ReasonWindowExpired      = "WINDOW_EXPIRED"
	ReasonLateShipment       = "LATE_SHIPMENT"
	ReasonShippedOnTime      = "SHIPPED_ON_TIME"
	ReasonShipDateNotPassed  = "SHIP_DATE_NOT_PASSED"
	ReasonNotYetReceived     = "NOT_YET_RECEIVED"
	ReasonNotYetShipped      = "NOT_YET_SHIPPED"
	ReasonSpecNotInContract  = "SPEC_NOT_IN_CONTRACT"
	ReasonInspectionConforms = "INSPECTION_CONFORMS"
	ReasonBuyerTransitRisk   = "BUYER_TRANSIT_RISK"
	ReasonEvidenceMissing    = "EVIDENCE_MISSING"
	ReasonMissingFacts       = "MISSING_FACTS"
	ReasonContractBreach     = "CONTRACT_BREACH"
	ReasonInvalidFacts       = "INVALID_FACTS" // with VerdictInvalid only
)

// ReasonCodes returns the reason codes the engine can give for valid facts; a policy
// file must hold a text for each.
func ReasonCodes() []string {
	return []string{
		ReasonOrderClosed, ReasonDisputeOpen, ReasonOffPlatformPayment, ReasonNotPaid,
		ReasonPaymentPending, ReasonExcludedIssue, ReasonAcceptedBreach, ReasonPreShipmentOnly,
		ReasonWindowExpired, ReasonLateShipment, ReasonShippedOnTime, ReasonShipDateNotPassed,
		ReasonNotYetReceived, ReasonNotYetShipped, ReasonSpecNotInContract, ReasonInspectionConforms,
		ReasonBuyerTransitRisk, ReasonEvidenceMissing, ReasonMissingFacts, ReasonContractBreach,
	}
}

// The limited_by codes of POLICY.md section 3.1.
const (
	LimitedByPaid    = "paid"
	LimitedByDeposit = "deposit"
	LimitedByTALimit = "ta_limit"
	LimitedByClaimed = "claimed"
	LimitedByProRata = "pro_rata"
)

// Payment-method list markers.
const (
	Everyone      = "everyone"    // in PaymentMethod.Countries: anyone may use it
	LocalCurrency = "local"       // in PaymentMethod.Currencies: the buyer's local currency
	LimitPerPay   = "per_payment" // PaymentMethod.LimitKind
	LimitCredit   = "credit_line" // PaymentMethod.LimitKind
)

// isTemplateKey reports whether key is a placeholder explanation templates may use.
func isTemplateKey(key string) bool {
	switch key {
	case "issue", "status", "window_days", "received_on", "deadline", "ship_date", "shipped_on",
		"next_day", "today", "max_refund", "limited_by", "computation", "missing":
		return true
	}
	return false
}

// Default returns a fresh copy of the embedded default policy. It panics only if the
// embedded file is broken, which the package's tests rule out.
func Default() *Policy {
	p, err := ParsePolicy(embeddedPolicy)
	if err != nil {
		panic("assurance: embedded policy.json: " + err.Error())
	}
	return p
}

// LoadPolicy reads and validates a policy file.
func LoadPolicy(path string) (*Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	p, err := ParsePolicy(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// policyFile is the JSON shape of a policy file.
type policyFile struct {
	Version         string                `json:"version"`
	EffectiveFrom   string                `json:"effective_from"`
	Notes           string                `json:"notes"`
	DefaultTier     string                `json:"default_tier"`
	ClaimWindowDays map[string]int        `json:"claim_window_days"`
	EvidenceKinds   []string              `json:"evidence_kinds"`
	Issues          []Issue               `json:"issues"`
	CountryGroups   map[string][]string   `json:"country_groups"`
	PaymentMethods  []methodFile          `json:"payment_methods"`
	Dispute         DisputeRules          `json:"dispute"`
	Orders          OrderRules            `json:"orders"`
	Incoterms       map[string]string     `json:"incoterms"`
	Reasons         map[string]ReasonText `json:"reasons"`
	LimitedBy       map[string]string     `json:"limited_by"`
	DeadlineText    string                `json:"deadline_text"`
}

// methodFile is the JSON shape of a payment method; amounts are decimal strings.
type methodFile struct {
	Code                  string            `json:"code"`
	Name                  string            `json:"name"`
	Countries             []string          `json:"countries"`
	ExcludedCountries     []string          `json:"excluded_countries"`
	Currencies            []string          `json:"currencies"`
	LocalCurrencies       map[string]string `json:"local_currencies"`
	FullArrivalCurrencies []string          `json:"full_arrival_currencies"`
	Limit                 string            `json:"limit"`
	LimitCurrency         string            `json:"limit_currency"`
	LimitExclusive        bool              `json:"limit_exclusive"`
	LimitKind             string            `json:"limit_kind"`
	FeePercent            string            `json:"fee_percent"`
	FeeFixed              string            `json:"fee_fixed"`
	FeeFixedCurrency      string            `json:"fee_fixed_currency"`
	FeeUpTo               bool              `json:"fee_up_to"`
	FeeUnknown            bool              `json:"fee_unknown"`
	Arrival               string            `json:"arrival"`
	Enabled               bool              `json:"enabled"`
	Legacy                bool              `json:"legacy"`
	Requirements          []string          `json:"requirements"`
	Warnings              []string          `json:"warnings"`
	Notes                 string            `json:"notes"`
}

// ParsePolicy decodes and validates policy data. Unknown fields, trailing data and any
// invalid entry are errors; the message names the entry, as in
// `policy: payment_methods[9] (boleto): fee_percent "abc" is not a decimal`.
func ParsePolicy(data []byte) (*Policy, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f policyFile
	if err := dec.Decode(&f); err != nil {
		return nil, policyJSONError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("policy: unexpected data after the JSON object")
	}
	return f.build()
}

func policyJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("policy: %s: a JSON %s is not allowed here (want %s)", te.Field, te.Value, te.Type)
	}
	return fmt.Errorf("policy: %w", err)
}

// build validates the file and returns the typed Policy.
func (f *policyFile) build() (*Policy, error) {
	fail := func(format string, a ...any) error {
		return fmt.Errorf("policy: "+format, a...)
	}
	p := &Policy{
		Version:         strings.TrimSpace(f.Version),
		Notes:           f.Notes,
		DefaultTier:     f.DefaultTier,
		ClaimWindowDays: f.ClaimWindowDays,
		EvidenceKinds:   f.EvidenceKinds,
		Issues:          f.Issues,
		CountryGroups:   f.CountryGroups,
		Dispute:         f.Dispute,
		Orders:          f.Orders,
		Incoterms:       f.Incoterms,
		Reasons:         f.Reasons,
		LimitedByTexts:  f.LimitedBy,
		DeadlineText:    f.DeadlineText,
	}
	if p.Version == "" {
		return nil, fail("version is missing")
	}
	d, err := ParseDate(f.EffectiveFrom)
	if err != nil {
		return nil, fail("effective_from: %v", err)
	}
	p.EffectiveFrom = d

	// Buyer tiers and claim windows.
	if len(p.ClaimWindowDays) == 0 {
		return nil, fail("claim_window_days is missing")
	}
	for _, tier := range slices.Sorted(maps.Keys(p.ClaimWindowDays)) {
		if !isCode(tier) {
			return nil, fail("claim_window_days: tier %q is not a lower-case code", tier)
		}
		if p.ClaimWindowDays[tier] <= 0 {
			return nil, fail("claim_window_days.%s: %d is not a positive number of days", tier, p.ClaimWindowDays[tier])
		}
	}
	if _, ok := p.ClaimWindowDays[p.DefaultTier]; !ok {
		return nil, fail("default_tier %q is not a tier of claim_window_days", p.DefaultTier)
	}

	// Evidence kinds and issues.
	if len(p.EvidenceKinds) == 0 {
		return nil, fail("evidence_kinds is missing")
	}
	for i, k := range p.EvidenceKinds {
		if !isCode(k) {
			return nil, fail("evidence_kinds[%d]: %q is not a lower-case code", i, k)
		}
		if slices.Index(p.EvidenceKinds, k) != i {
			return nil, fail("evidence_kinds[%d]: %q is listed twice", i, k)
		}
	}
	if len(p.Issues) == 0 {
		return nil, fail("issues is missing")
	}
	for i, is := range p.Issues {
		at := fmt.Sprintf("issues[%d] (%s)", i, is.Code)
		if !isCode(is.Code) {
			return nil, fail("issues[%d]: code %q is not a lower-case code", i, is.Code)
		}
		if slices.IndexFunc(p.Issues, func(o Issue) bool { return o.Code == is.Code }) != i {
			return nil, fail("%s: code is listed twice", at)
		}
		if strings.TrimSpace(is.Label) == "" {
			return nil, fail("%s: label is missing", at)
		}
		for j, k := range is.Evidence {
			if !slices.Contains(p.EvidenceKinds, k) {
				return nil, fail("%s: evidence[%d] %q is not one of evidence_kinds", at, j, k)
			}
		}
	}

	// Country groups.
	for _, g := range slices.Sorted(maps.Keys(p.CountryGroups)) {
		if g == Everyone || !isUpper(g) {
			return nil, fail("country_groups: group name %q must be upper-case letters", g)
		}
		if len(p.CountryGroups[g]) == 0 {
			return nil, fail("country_groups.%s is empty", g)
		}
		for j, c := range p.CountryGroups[g] {
			if !isCountry(c) {
				return nil, fail("country_groups.%s[%d]: %q is not an ISO 3166-1 alpha-2 code", g, j, c)
			}
		}
	}

	// Payment methods.
	if len(f.PaymentMethods) == 0 {
		return nil, fail("payment_methods is missing")
	}
	for i := range f.PaymentMethods {
		m, err := f.PaymentMethods[i].build(p)
		if err != nil {
			return nil, fail("payment_methods[%d] (%s): %v", i, f.PaymentMethods[i].Code, err)
		}
		if slices.ContainsFunc(p.PaymentMethods, func(o PaymentMethod) bool { return o.Code == m.Code }) {
			return nil, fail("payment_methods[%d] (%s): code is listed twice", i, m.Code)
		}
		p.PaymentMethods = append(p.PaymentMethods, m)
	}

	// Dispute clock and order numbers.
	dr := p.Dispute
	for _, c := range []struct {
		name string
		v    int
	}{
		{"supplier_answer_days", dr.SupplierAnswerDays}, {"escalation_from_day", dr.EscalationFromDay},
		{"auto_escalation_day", dr.AutoEscalationDay}, {"alibaba_joins_working_days", dr.AlibabaJoinsWorkingDays},
		{"refund_starts_working_days", dr.RefundStartsWorkingDays},
	} {
		if c.v <= 0 {
			return nil, fail("dispute.%s: %d is not a positive number of days", c.name, c.v)
		}
	}
	if dr.EscalationFromDay > dr.AutoEscalationDay {
		return nil, fail("dispute: escalation_from_day %d is after auto_escalation_day %d", dr.EscalationFromDay, dr.AutoEscalationDay)
	}
	or := p.Orders
	for _, c := range []struct {
		name string
		v    int
	}{
		{"auto_cancel_unconfirmed_days", or.AutoCancelUnconfirmedDays}, {"auto_cancel_unpaid_days", or.AutoCancelUnpaidDays},
		{"change_request_expiry_days", or.ChangeRequestExpiryDays}, {"ship_date_max_shift_days", or.ShipDateMaxShiftDays},
		{"receipt_extension_days", or.ReceiptExtensionDays},
	} {
		if c.v <= 0 {
			return nil, fail("orders.%s: %d is not a positive number of days", c.name, c.v)
		}
	}

	// Incoterms.
	if len(p.Incoterms) == 0 {
		return nil, fail("incoterms is missing")
	}
	for _, code := range slices.Sorted(maps.Keys(p.Incoterms)) {
		if len(code) != 3 || !isUpper(code) {
			return nil, fail("incoterms: %q is not a three-letter Incoterm", code)
		}
		if r := p.Incoterms[code]; r != RiskBuyer && r != RiskSupplier {
			return nil, fail("incoterms.%s: %q is not %q or %q", code, r, RiskBuyer, RiskSupplier)
		}
	}

	// Texts.
	for _, code := range slices.Sorted(maps.Keys(p.Reasons)) {
		if !slices.Contains(ReasonCodes(), code) {
			return nil, fail("reasons: %q is not a reason code", code)
		}
		rt := p.Reasons[code]
		if !isCode(rt.Advice) {
			return nil, fail("reasons.%s: advice %q is not a lower-case code", code, rt.Advice)
		}
		if err := checkTemplate(rt.Text); err != nil {
			return nil, fail("reasons.%s: text: %v", code, err)
		}
	}
	for _, code := range ReasonCodes() {
		if _, ok := p.Reasons[code]; !ok {
			return nil, fail("reasons: %s is missing", code)
		}
	}
	for _, code := range []string{LimitedByPaid, LimitedByDeposit, LimitedByTALimit, LimitedByClaimed, LimitedByProRata} {
		if strings.TrimSpace(p.LimitedByTexts[code]) == "" {
			return nil, fail("limited_by: %s is missing", code)
		}
	}
	for _, code := range slices.Sorted(maps.Keys(p.LimitedByTexts)) {
		if !slices.Contains([]string{LimitedByPaid, LimitedByDeposit, LimitedByTALimit, LimitedByClaimed, LimitedByProRata}, code) {
			return nil, fail("limited_by: %q is not a limited_by code", code)
		}
	}
	if err := checkTemplate(p.DeadlineText); err != nil {
		return nil, fail("deadline_text: %v", err)
	}
	return p, nil
}

// build validates one payment method against the rest of the policy.
func (m *methodFile) build(p *Policy) (PaymentMethod, error) {
	out := PaymentMethod{
		Code: m.Code, Name: m.Name, Countries: m.Countries, ExcludedCountries: m.ExcludedCountries,
		Currencies: m.Currencies, LocalCurrencies: m.LocalCurrencies, FullArrivalCurrencies: m.FullArrivalCurrencies,
		LimitCurrency: m.LimitCurrency, LimitExclusive: m.LimitExclusive, LimitKind: m.LimitKind,
		FeeUpTo: m.FeeUpTo, FeeUnknown: m.FeeUnknown, Arrival: m.Arrival, Enabled: m.Enabled, Legacy: m.Legacy,
		Requirements: m.Requirements, Warnings: m.Warnings, Notes: m.Notes,
	}
	if !isCode(m.Code) {
		return out, fmt.Errorf("code %q is not a lower-case code", m.Code)
	}
	if strings.TrimSpace(m.Name) == "" {
		return out, errors.New("name is missing")
	}
	if strings.TrimSpace(m.Arrival) == "" {
		return out, errors.New("arrival is missing")
	}

	// Who may use it.
	if len(m.Countries) == 0 {
		return out, errors.New("countries is missing")
	}
	for j, c := range m.Countries {
		switch {
		case c == Everyone:
			if len(m.Countries) != 1 {
				return out, fmt.Errorf("countries: %q must be the only entry", Everyone)
			}
		case isCountry(c), p.CountryGroups[c] != nil:
		default:
			return out, fmt.Errorf("countries[%d]: %q is not an alpha-2 country code, a country group or %q", j, c, Everyone)
		}
	}
	for j, c := range m.ExcludedCountries {
		if !isCountry(c) {
			return out, fmt.Errorf("excluded_countries[%d]: %q is not an alpha-2 country code", j, c)
		}
	}

	// Currencies.
	if len(m.Currencies) == 0 {
		return out, errors.New("currencies is missing")
	}
	local := slices.Contains(m.Currencies, LocalCurrency)
	if local {
		if len(m.Currencies) != 1 {
			return out, fmt.Errorf("currencies: %q must be the only entry", LocalCurrency)
		}
		if slices.Contains(m.Countries, Everyone) {
			return out, fmt.Errorf("currencies %q needs a list of countries, not %q", LocalCurrency, Everyone)
		}
		for _, c := range m.Countries {
			if _, ok := m.LocalCurrencies[c]; !ok {
				return out, fmt.Errorf("local_currencies: no currency for %q", c)
			}
		}
		for _, c := range slices.Sorted(maps.Keys(m.LocalCurrencies)) {
			if !slices.Contains(m.Countries, c) {
				return out, fmt.Errorf("local_currencies: %q is not in countries", c)
			}
			if _, err := CurrencyDecimals(m.LocalCurrencies[c]); err != nil {
				return out, fmt.Errorf("local_currencies.%s: %v", c, err)
			}
		}
	} else {
		if len(m.LocalCurrencies) > 0 {
			return out, fmt.Errorf("local_currencies is only allowed with currencies [%q]", LocalCurrency)
		}
		for j, c := range m.Currencies {
			if _, err := CurrencyDecimals(c); err != nil {
				return out, fmt.Errorf("currencies[%d]: %v", j, err)
			}
		}
	}
	for j, c := range m.FullArrivalCurrencies {
		if _, err := CurrencyDecimals(c); err != nil {
			return out, fmt.Errorf("full_arrival_currencies[%d]: %v", j, err)
		}
	}

	// Limit.
	if m.Limit != "" {
		d, err := decimal.NewFromString(m.Limit)
		if err != nil || !validNumber(m.Limit) || !d.IsPositive() {
			return out, fmt.Errorf("limit %q is not a positive decimal", m.Limit)
		}
		if m.LimitCurrency == "" || local || !slices.Contains(m.Currencies, m.LimitCurrency) {
			return out, fmt.Errorf("limit_currency %q is not one of the method's currencies", m.LimitCurrency)
		}
		out.Limit = &d
		if out.LimitKind == "" {
			out.LimitKind = LimitPerPay
		}
		if out.LimitKind != LimitPerPay && out.LimitKind != LimitCredit {
			return out, fmt.Errorf("limit_kind %q is not %q or %q", m.LimitKind, LimitPerPay, LimitCredit)
		}
	} else if m.LimitCurrency != "" || m.LimitExclusive || m.LimitKind != "" {
		return out, errors.New("limit_currency, limit_exclusive and limit_kind need a limit")
	}

	// Fee.
	if m.FeePercent != "" {
		d, err := decimal.NewFromString(m.FeePercent)
		if err != nil || !validNumber(m.FeePercent) || d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) {
			return out, fmt.Errorf("fee_percent %q is not a decimal between 0 and 100", m.FeePercent)
		}
		out.FeePercent = &d
	}
	if m.FeeFixed != "" {
		d, err := decimal.NewFromString(m.FeeFixed)
		if err != nil || !validNumber(m.FeeFixed) || d.IsNegative() {
			return out, fmt.Errorf("fee_fixed %q is not a non-negative decimal", m.FeeFixed)
		}
		switch {
		case m.FeeFixedCurrency == LocalCurrency && local:
		case m.FeeFixedCurrency != "" && !local && len(m.Currencies) == 1 && m.Currencies[0] == m.FeeFixedCurrency:
		default:
			// A fixed fee is added to the payment, so it must be in the payment's currency.
			return out, fmt.Errorf("fee_fixed_currency %q must be the method's only currency (or %q for local currencies)", m.FeeFixedCurrency, LocalCurrency)
		}
		out.FeeFixed = &d
	} else if m.FeeFixedCurrency != "" {
		return out, errors.New("fee_fixed_currency needs fee_fixed")
	}
	if m.FeeUnknown && (out.FeePercent != nil || out.FeeFixed != nil) {
		return out, errors.New("fee_unknown contradicts fee_percent/fee_fixed")
	}
	if m.FeeUpTo && out.FeePercent == nil && out.FeeFixed == nil {
		return out, errors.New("fee_up_to needs fee_percent or fee_fixed")
	}
	for j, c := range m.Requirements {
		if !isCode(c) {
			return out, fmt.Errorf("requirements[%d]: %q is not a lower-case code", j, c)
		}
	}
	for j, c := range m.Warnings {
		if !isCode(c) {
			return out, fmt.Errorf("warnings[%d]: %q is not a lower-case code", j, c)
		}
	}
	return out, nil
}

// checkTemplate reports unknown or unbalanced {placeholders}.
func checkTemplate(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("text is missing")
	}
	for rest := s; ; {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			return nil
		}
		if rest[i] == '}' {
			return errors.New("unbalanced }")
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return errors.New("unbalanced {")
		}
		if key := rest[i+1 : i+j]; !isTemplateKey(key) {
			return fmt.Errorf("unknown placeholder {%s}", key)
		}
		rest = rest[i+j+1:]
	}
}

// expand fills a template checked by checkTemplate; value returns "" for an unknown key.
func expand(s string, value func(key string) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(value(s[i+1 : i+j]))
		s = s[i+j+1:]
	}
}

// isCode reports whether s is a lower-case snake_case code.
func isCode(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// isUpper reports whether s is one or more ASCII capital letters.
func isUpper(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// isCountry reports whether s has the form of an ISO 3166-1 alpha-2 code.
func isCountry(s string) bool { return len(s) == 2 && isUpper(s) }

// issue returns the policy entry of an issue code, or nil.
func (p *Policy) issue(code string) *Issue {
	for i := range p.Issues {
		if p.Issues[i].Code == code {
			return &p.Issues[i]
		}
	}
	return nil
}

// Issue returns the entry of an issue code.
func (p *Policy) Issue(code string) (Issue, bool) {
	if is := p.issue(code); is != nil {
		return *is, true
	}
	return Issue{}, false
}

// Window returns the claim window in days for a buyer tier; "" and unknown tiers get the
// default tier's window.
func (p *Policy) Window(tier string) int {
	if d, ok := p.ClaimWindowDays[tier]; ok {
		return d
	}
	return p.ClaimWindowDays[p.DefaultTier]
}

// TransitRisk returns who carries the transit risk under an Incoterm (RiskBuyer or
// RiskSupplier); ok is false for a code the policy does not know. The code is matched
// case-insensitively.
func (p *Policy) TransitRisk(incoterm string) (risk string, ok bool) {
	risk, ok = p.Incoterms[strings.ToUpper(strings.TrimSpace(incoterm))]
	return risk, ok
}
