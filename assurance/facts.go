package assurance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Values of facts that the engine interprets (POLICY.md section 3).
const (
	CoveragePostDelivery = "post_delivery" // the default coverage
	CoveragePreShipment  = "pre_shipment"

	InspectionPass    = "pass"
	InspectionFail    = "fail"
	InspectionPending = "pending"
	InspectionNone    = "none" // the default

	RiskBuyer    = "buyer"
	RiskSupplier = "supplier"

	DefaultCurrency = "USD"
)

// EvidencePrefix marks an evidence kind in Result.Missing: "evidence:photos".
const EvidencePrefix = "evidence:"

// Facts are the inputs of the eligibility rules (POLICY.md section 3). The zero value of
// each field means "absent": nil pointers, empty strings, the zero Date and a nil list.
// Strings hold the codes of section 3 exactly as in the JSON form.
type Facts struct {
	Issue             string // an issue code of the policy
	Status            Status
	SupplierTA        *bool  // the supplier offers Trade Assurance
	PaidOnPlatform    *bool  // paid through Alibaba.com checkout or to the designated account
	Coverage          string // CoveragePostDelivery (default) or CoveragePreShipment
	BuyerTier         string // a tier of Policy.ClaimWindowDays; "" = Policy.DefaultTier
	AcceptedInWriting *bool  // the buyer accepted this breach in writing; absent = false

	ShipDate   Date // agreed ship date
	ShippedOn  Date // actual shipping date
	ReceivedOn Date // confirmed receipt
	Today      Date // the day of the evaluation; see WithToday

	SpecInOrder      *bool    // the disputed requirement is written in the order
	InspectionResult string   // InspectionPass, InspectionFail, InspectionPending or InspectionNone (default)
	TransitRisk      string   // RiskBuyer or RiskSupplier (see Policy.TransitRisk)
	Evidence         []string // evidence kinds at hand

	PaidTotal          *decimal.Decimal
	PaidBeforeShipment *decimal.Decimal
	TALimitRemaining   *decimal.Decimal
	Claimed            *decimal.Decimal
	AffectedQty        *int64
	TotalQty           *int64
	Currency           string // ISO 4217 code of every amount; "" = DefaultCurrency
}

// Ptr returns a pointer to v, for filling optional facts in Go: Facts{SupplierTA: Ptr(true)}.
func Ptr[T any](v T) *T { return &v }

// FieldError names an invalid fact by its JSON name; Field is "" for a problem with the
// input as a whole (not a JSON object, trailing data, an empty line).
type FieldError struct {
	Field   string
	Message string
}

// Error implements error.
func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// The JSON names of the facts, in the order of POLICY.md section 3.
const (
	factIssue = iota
	factStatus
	factSupplierTA
	factPaidOnPlatform
	factCoverage
	factBuyerTier
	factAcceptedInWriting
	factShipDate
	factShippedOn
	factReceivedOn
	factToday
	factSpecInOrder
	factInspectionResult
	factTransitRisk
	factEvidence
	factPaidTotal
	factPaidBeforeShipment
	factTALimitRemaining
	factClaimed
	factAffectedQty
	factTotalQty
	factCurrency
	numFacts
)

// FactNames returns the JSON names of all facts in the order of POLICY.md section 3.
func FactNames() []string {
	return []string{
		"issue", "status", "supplier_ta", "paid_on_platform", "coverage", "buyer_tier",
		"accepted_in_writing", "ship_date", "shipped_on", "received_on", "today", "spec_in_order",
		"inspection_result", "transit_risk", "evidence", "paid_total", "paid_before_shipment",
		"ta_limit_remaining", "claimed", "affected_qty", "total_qty", "currency",
	}
}

// factIndex returns the index of a JSON fact name, or -1.
func factIndex(name string) int {
	switch name {
	case "issue":
		return factIssue
	case "status":
		return factStatus
	case "supplier_ta":
		return factSupplierTA
	case "paid_on_platform":
		return factPaidOnPlatform
	case "coverage":
		return factCoverage
	case "buyer_tier":
		return factBuyerTier
	case "accepted_in_writing":
		return factAcceptedInWriting
	case "ship_date":
		return factShipDate
	case "shipped_on":
		return factShippedOn
	case "received_on":
		return factReceivedOn
	case "today":
		return factToday
	case "spec_in_order":
		return factSpecInOrder
	case "inspection_result":
		return factInspectionResult
	case "transit_risk":
		return factTransitRisk
	case "evidence":
		return factEvidence
	case "paid_total":
		return factPaidTotal
	case "paid_before_shipment":
		return factPaidBeforeShipment
	case "ta_limit_remaining":
		return factTALimitRemaining
	case "claimed":
		return factClaimed
	case "affected_qty":
		return factAffectedQty
	case "total_qty":
		return factTotalQty
	case "currency":
		return factCurrency
	}
	return -1
}

// ParseFacts decodes one JSON object of facts (POLICY.md section 3.2) and validates it.
// It is strict: an unknown or repeated field, a wrong JSON type (a string for a bool, a
// fraction or a string for a quantity, a number for an amount), an unknown code, a malformed
// date, a malformed or negative amount or one with more decimals than its currency has,
// a quantity that is not positive, affected_qty > total_qty, input that is not a single
// JSON object (or has data after it) are all errors naming the field. A JSON null counts
// as an absent fact. Today stays zero unless the object sets it (see WithToday).
//
// A nil *FieldError means success; compare it with nil before storing it in an error.
func (p *Policy) ParseFacts(line []byte) (Facts, *FieldError) {
	f, fe := decodeFacts(line)
	if fe != nil {
		return Facts{}, fe
	}
	if fe := f.Validate(p); fe != nil {
		return Facts{}, fe
	}
	return f, nil
}

// decodeFacts checks the JSON shape and types, without the policy's code lists.
func decodeFacts(b []byte) (Facts, *FieldError) {
	var f Facts
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err == io.EOF {
		return f, &FieldError{Message: "empty input: expected a JSON object of facts"}
	}
	if err != nil {
		return f, syntaxError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return f, &FieldError{Message: "expected a JSON object of facts, not " + tokenKind(tok)}
	}
	var seen [numFacts]bool
	var first *FieldError // the first problem with a field; syntax errors still win
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return Facts{}, syntaxError(err)
		}
		key, _ := tok.(string) // Token returns object keys as strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return Facts{}, syntaxError(err)
		}
		if first != nil {
			continue
		}
		i := factIndex(key)
		switch {
		case i < 0:
			first = &FieldError{Field: key, Message: "unknown field"}
		case seen[i]:
			first = &FieldError{Field: key, Message: "field given more than once"}
		default:
			seen[i] = true
			first = f.set(i, key, raw)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return Facts{}, syntaxError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Facts{}, &FieldError{Message: "unexpected data after the JSON object"}
	}
	if first != nil {
		return Facts{}, first
	}
	return f, nil
}

func syntaxError(err error) *FieldError {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &FieldError{Message: "invalid JSON: unexpected end of input"}
	}
	return &FieldError{Message: "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
}

func tokenKind(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "a " + string(v)
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "another value"
}

// jsonKind names the JSON type of a raw value.
func jsonKind(raw []byte) string {
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// set decodes one field; raw is a syntactically valid JSON value.
func (f *Facts) set(i int, name string, raw []byte) *FieldError {
	if string(raw) == "null" {
		return nil // absent
	}
	bad := func(msg string) *FieldError { return &FieldError{Field: name, Message: msg} }
	switch i {
	case factSupplierTA, factPaidOnPlatform, factAcceptedInWriting, factSpecInOrder:
		var b bool
		switch string(raw) {
		case "true":
			b = true
		case "false":
		default:
			return bad("must be true or false, not " + jsonKind(raw))
		}
		switch i {
		case factSupplierTA:
			f.SupplierTA = &b
		case factPaidOnPlatform:
			f.PaidOnPlatform = &b
		case factAcceptedInWriting:
			f.AcceptedInWriting = &b
		default:
			f.SpecInOrder = &b
		}
		return nil
	case factAffectedQty, factTotalQty:
		if raw[0] == '"' || raw[0] == '[' || raw[0] == '{' || raw[0] == 't' || raw[0] == 'f' {
			return bad("must be a positive whole number, not " + jsonKind(raw))
		}
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return bad("number is too large")
			}
			return bad(fmt.Sprintf("must be a positive whole number, not %s", clip(string(raw))))
		}
		if n <= 0 {
			return bad(fmt.Sprintf("must be a positive whole number, not %d", n))
		}
		if i == factAffectedQty {
			f.AffectedQty = &n
		} else {
			f.TotalQty = &n
		}
		return nil
	case factEvidence:
		if raw[0] != '[' {
			return bad("must be a list of evidence kinds, not " + jsonKind(raw))
		}
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return bad("must be a list of evidence kinds")
		}
		f.Evidence = make([]string, 0, len(items))
		for j, it := range items {
			var s string
			if it[0] != '"' || json.Unmarshal(it, &s) != nil {
				return bad(fmt.Sprintf("item %d must be a string, not %s", j, jsonKind(it)))
			}
			if s == "" {
				return bad(fmt.Sprintf("item %d is empty", j))
			}
			f.Evidence = append(f.Evidence, s)
		}
		return nil
	}

	// Every other fact is a JSON string.
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		switch {
		case i >= factPaidTotal && i <= factClaimed:
			return bad(`must be a decimal string such as "1200.00", not ` + jsonKind(raw))
		case i >= factShipDate && i <= factToday:
			return bad("must be a date string YYYY-MM-DD, not " + jsonKind(raw))
		}
		return bad("must be a string, not " + jsonKind(raw))
	}
	switch i {
	case factShipDate, factShippedOn, factReceivedOn, factToday:
		d, err := ParseDate(s)
		if err != nil {
			return bad(fmt.Sprintf("%q is not a real date in the form YYYY-MM-DD", clip(s)))
		}
		switch i {
		case factShipDate:
			f.ShipDate = d
		case factShippedOn:
			f.ShippedOn = d
		case factReceivedOn:
			f.ReceivedOn = d
		default:
			f.Today = d
		}
		return nil
	case factPaidTotal, factPaidBeforeShipment, factTALimitRemaining, factClaimed:
		d, msg := parseDecimal(s)
		if msg != "" {
			return bad(msg)
		}
		switch i {
		case factPaidTotal:
			f.PaidTotal = &d
		case factPaidBeforeShipment:
			f.PaidBeforeShipment = &d
		case factTALimitRemaining:
			f.TALimitRemaining = &d
		default:
			f.Claimed = &d
		}
		return nil
	}
	if s == "" {
		return bad("must not be empty")
	}
	switch i {
	case factIssue:
		f.Issue = s
	case factStatus:
		f.Status = Status(s)
	case factCoverage:
		f.Coverage = s
	case factBuyerTier:
		f.BuyerTier = s
	case factInspectionResult:
		f.InspectionResult = s
	case factTransitRisk:
		f.TransitRisk = s
	case factCurrency:
		f.Currency = s
	}
	return nil
}

// parseDecimal accepts plain non-negative decimals: digits with an optional point and
// digits after it; no sign, exponent, spaces or separators. msg explains a refusal.
func parseDecimal(s string) (d decimal.Decimal, msg string) {
	if strings.HasPrefix(s, "-") && validNumber(s) {
		return d, "amount must not be negative"
	}
	if strings.HasPrefix(s, "-") || !validNumber(s) {
		return d, fmt.Sprintf("%q is not a decimal amount such as \"1200.00\"", clip(s))
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return d, fmt.Sprintf("%q is not a decimal amount such as \"1200.00\"", clip(s))
	}
	if d.GreaterThan(MaxAmount) {
		return d, "amount is too large"
	}
	return d, ""
}

// clip shortens a value echoed in an error message.
func clip(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// Validate checks facts against the policy: known codes, amounts that are not negative and
// fit the currency's decimals, positive quantities with affected_qty <= total_qty. ParseFacts
// calls it; call it for facts built in Go. Evaluate validates too and answers VerdictInvalid.
func (f Facts) Validate(p *Policy) *FieldError {
	bad := func(field, format string, a ...any) *FieldError {
		return &FieldError{Field: field, Message: fmt.Sprintf(format, a...)}
	}
	if f.Issue != "" && p.issue(f.Issue) == nil {
		codes := make([]string, len(p.Issues))
		for i, is := range p.Issues {
			codes[i] = is.Code
		}
		return bad("issue", "unknown issue %q; expected one of %s", clip(f.Issue), strings.Join(codes, ", "))
	}
	if f.Status != "" && !f.Status.Valid() {
		return bad("status", "unknown order state %q", clip(string(f.Status)))
	}
	if f.Coverage != "" && f.Coverage != CoveragePostDelivery && f.Coverage != CoveragePreShipment {
		return bad("coverage", "unknown coverage %q; expected %s or %s", clip(f.Coverage), CoveragePostDelivery, CoveragePreShipment)
	}
	if _, ok := p.ClaimWindowDays[f.BuyerTier]; f.BuyerTier != "" && !ok {
		return bad("buyer_tier", "unknown buyer tier %q", clip(f.BuyerTier))
	}
	switch f.InspectionResult {
	case "", InspectionPass, InspectionFail, InspectionPending, InspectionNone:
	default:
		return bad("inspection_result", "unknown inspection result %q; expected pass, fail, pending or none", clip(f.InspectionResult))
	}
	switch f.TransitRisk {
	case "", RiskBuyer, RiskSupplier:
	default:
		return bad("transit_risk", "unknown transit risk %q; expected buyer or supplier", clip(f.TransitRisk))
	}
	for _, k := range f.Evidence {
		if !slices.Contains(p.EvidenceKinds, k) {
			return bad("evidence", "unknown evidence kind %q; expected %s", clip(k), strings.Join(p.EvidenceKinds, ", "))
		}
	}
	cur := f.currency()
	places, err := CurrencyDecimals(cur)
	if err != nil {
		return bad("currency", "unknown currency %q", clip(cur))
	}
	for _, a := range []struct {
		name string
		d    *decimal.Decimal
	}{
		{"paid_total", f.PaidTotal}, {"paid_before_shipment", f.PaidBeforeShipment},
		{"ta_limit_remaining", f.TALimitRemaining}, {"claimed", f.Claimed},
	} {
		switch {
		case a.d == nil:
		case a.d.IsNegative():
			return bad(a.name, "amount must not be negative")
		case !a.d.Equal(a.d.Truncate(places)):
			return bad(a.name, "%s has more than %d decimals", cur, places)
		case a.d.GreaterThan(MaxAmount):
			return bad(a.name, "amount is too large")
		}
	}
	if f.AffectedQty != nil && *f.AffectedQty <= 0 {
		return bad("affected_qty", "must be a positive whole number, not %d", *f.AffectedQty)
	}
	if f.TotalQty != nil && *f.TotalQty <= 0 {
		return bad("total_qty", "must be a positive whole number, not %d", *f.TotalQty)
	}
	if f.AffectedQty != nil && f.TotalQty != nil && *f.AffectedQty > *f.TotalQty {
		return bad("affected_qty", "affected_qty %d is greater than total_qty %d", *f.AffectedQty, *f.TotalQty)
	}
	return nil
}

// currency returns the facts' currency with its default.
func (f Facts) currency() string {
	if f.Currency == "" {
		return DefaultCurrency
	}
	return f.Currency
}

// WithToday returns f with Today set to d when f has no Today of its own. POLICY.md: today
// defaults to the current UTC date, so callers pass DateOf(now) from their clock.
func (f Facts) WithToday(d Date) Facts {
	if f.Today.IsZero() {
		f.Today = d
	}
	return f
}

// factsWire is the JSON form written by MarshalJSON.
type factsWire struct {
	Issue              string   `json:"issue,omitempty"`
	Status             Status   `json:"status,omitempty"`
	SupplierTA         *bool    `json:"supplier_ta,omitempty"`
	PaidOnPlatform     *bool    `json:"paid_on_platform,omitempty"`
	Coverage           string   `json:"coverage,omitempty"`
	BuyerTier          string   `json:"buyer_tier,omitempty"`
	AcceptedInWriting  *bool    `json:"accepted_in_writing,omitempty"`
	ShipDate           string   `json:"ship_date,omitempty"`
	ShippedOn          string   `json:"shipped_on,omitempty"`
	ReceivedOn         string   `json:"received_on,omitempty"`
	Today              string   `json:"today,omitempty"`
	SpecInOrder        *bool    `json:"spec_in_order,omitempty"`
	InspectionResult   string   `json:"inspection_result,omitempty"`
	TransitRisk        string   `json:"transit_risk,omitempty"`
	Evidence           []string `json:"evidence,omitempty"`
	PaidTotal          *string  `json:"paid_total,omitempty"`
	PaidBeforeShipment *string  `json:"paid_before_shipment,omitempty"`
	TALimitRemaining   *string  `json:"ta_limit_remaining,omitempty"`
	Claimed            *string  `json:"claimed,omitempty"`
	AffectedQty        *int64   `json:"affected_qty,omitempty"`
	TotalQty           *int64   `json:"total_qty,omitempty"`
	Currency           string   `json:"currency,omitempty"`
}

// MarshalJSON writes the facts in the JSON form of POLICY.md section 3, leaving out absent
// facts, so that ParsePolicy(...).ParseFacts reads them back (for storing a conversation).
func (f Facts) MarshalJSON() ([]byte, error) {
	str := func(d *decimal.Decimal) *string {
		if d == nil {
			return nil
		}
		s := d.String()
		return &s
	}
	return json.Marshal(factsWire{
		Issue: f.Issue, Status: f.Status, SupplierTA: f.SupplierTA, PaidOnPlatform: f.PaidOnPlatform,
		Coverage: f.Coverage, BuyerTier: f.BuyerTier, AcceptedInWriting: f.AcceptedInWriting,
		ShipDate: f.ShipDate.String(), ShippedOn: f.ShippedOn.String(), ReceivedOn: f.ReceivedOn.String(),
		Today: f.Today.String(), SpecInOrder: f.SpecInOrder, InspectionResult: f.InspectionResult,
		TransitRisk: f.TransitRisk, Evidence: f.Evidence, PaidTotal: str(f.PaidTotal),
		PaidBeforeShipment: str(f.PaidBeforeShipment), TALimitRemaining: str(f.TALimitRemaining),
		Claimed: str(f.Claimed), AffectedQty: f.AffectedQty, TotalQty: f.TotalQty, Currency: f.Currency,
	})
}

// SetFact sets one fact from text, as a member would answer the question for a name in
// Result.Missing: name is a JSON fact name, or "evidence:<kind>" to add an evidence kind
// (value is then ignored). Bools are "true"/"false", quantities whole numbers, dates
// YYYY-MM-DD, amounts decimal strings, the rest codes; "evidence" takes a comma-separated
// list. The facts are validated afterwards; on error f is left unchanged.
func (p *Policy) SetFact(f *Facts, name, value string) *FieldError {
	next := *f
	next.Evidence = slices.Clone(f.Evidence)
	if kind, ok := strings.CutPrefix(name, EvidencePrefix); ok {
		if !slices.Contains(next.Evidence, kind) {
			next.Evidence = append(next.Evidence, kind)
		}
	} else {
		i := factIndex(name)
		if i < 0 {
			return &FieldError{Field: name, Message: "unknown field"}
		}
		value = strings.TrimSpace(value)
		var raw []byte
		switch i {
		case factSupplierTA, factPaidOnPlatform, factAcceptedInWriting, factSpecInOrder:
			if value != "true" && value != "false" {
				return &FieldError{Field: name, Message: "must be true or false"}
			}
			raw = []byte(value)
		case factAffectedQty, factTotalQty:
			if _, err := strconv.ParseInt(value, 10, 64); err != nil {
				return &FieldError{Field: name, Message: "must be a positive whole number"}
			}
			raw = []byte(value)
		case factEvidence:
			var kinds []string
			for k := range strings.SplitSeq(value, ",") {
				if k = strings.TrimSpace(k); k != "" {
					kinds = append(kinds, k)
				}
			}
			raw, _ = json.Marshal(kinds)
			if kinds == nil {
				raw = []byte("[]")
			}
		default:
			raw, _ = json.Marshal(value)
		}
		if fe := next.set(i, name, raw); fe != nil {
			return fe
		}
	}
	if fe := next.Validate(p); fe != nil {
		return fe
	}
	*f = next
	return nil
}
