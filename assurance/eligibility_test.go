package assurance_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tradeguard/tradeguard/assurance"
)

// The worked examples: a committed copy, and the team's shared file beside the repository when it is there
// (as in CI), whose lines are tested too, so a newer shared file is never silently skipped.
const (
	elExamplesPath       = "testdata/eligibility-public.jsonl"
	elSharedExamplesPath = "../../shared/examples/eligibility-public.jsonl"
)

type elExample struct {
	Facts json.RawMessage `json:"facts"`
	Want  map[string]any  `json:"want"`
}

// elExamples reads the public examples; a missing file fails the test.
func elExamples(t testing.TB) []elExample {
	t.Helper()
	b, err := os.ReadFile(elExamplesPath)
	if err != nil {
		t.Fatalf("read the public examples: %v", err)
	}
	if shared, err := os.ReadFile(elSharedExamplesPath); err == nil && !bytes.Equal(shared, b) {
		b = append(append(b, '\n'), shared...)
	}
	var out []elExample
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var ex elExample
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ex); err != nil || ex.Facts == nil || ex.Want == nil {
			t.Fatalf("example line %d: %v", n, err)
		}
		out = append(out, ex)
	}
	if len(out) == 0 {
		t.Fatal("no examples in " + elExamplesPath)
	}
	return out
}

// elCompareWant checks each field listed in want against the JSON output.
func elCompareWant(t *testing.T, got []byte, want map[string]any) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(got, &m); err != nil {
		t.Fatalf("output is not JSON: %s", got)
	}
	for k, w := range want {
		if !reflect.DeepEqual(m[k], w) {
			t.Errorf("%s = %#v, want %#v (output %s)", k, m[k], w, got)
		}
	}
}

func TestPublicExamples(t *testing.T) {
	p := assurance.Default()
	for i, ex := range elExamples(t) {
		t.Run(fmt.Sprint("line", i+1), func(t *testing.T) {
			f, fe := p.ParseFacts(ex.Facts)
			if fe != nil {
				t.Fatalf("ParseFacts: %v", fe)
			}
			// The examples set today where it matters; any other day must give the same answer.
			r := p.Evaluate(f.WithToday(elDate(t, "2030-01-01")))
			b, err := r.JSON()
			if err != nil {
				t.Fatal(err)
			}
			elCompareWant(t, b, ex.Want)
		})
	}
}

// elBase is a claim that passes every rule: quality mismatch, received, within the window.
var elBase = map[string]any{
	"issue": "quality_mismatch", "status": "received", "supplier_ta": true, "paid_on_platform": true,
	"received_on": "2026-11-02", "today": "2026-11-12", "spec_in_order": true, "evidence": []string{"photos"},
	"paid_total": "1000.00",
}

// elLate is a late-shipment claim before shipment.
var elLate = map[string]any{
	"issue": "not_shipped_by_date", "status": "awaiting_shipment", "supplier_ta": true, "paid_on_platform": true,
	"ship_date": "2026-10-20", "today": "2026-10-27", "paid_total": "1000.00",
}

// elTransit is a damaged-goods claim that needs transit risk and photos.
var elTransit = map[string]any{
	"issue": "damaged", "status": "received", "supplier_ta": true, "paid_on_platform": true,
	"received_on": "2026-11-02", "today": "2026-11-12", "transit_risk": "supplier", "evidence": []string{"photos"},
	"paid_total": "1000.00",
}

type elCase struct {
	name     string
	base     map[string]any
	over     map[string]any
	verdict  string
	reason   string
	rule     int
	missing  []string
	deadline string // "" = no deadline
}

func elRun(t *testing.T, cases []elCase) {
	t.Helper()
	p := assurance.Default()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			line := elFacts(t, tc.base, tc.over)
			f, fe := p.ParseFacts(line)
			if fe != nil {
				t.Fatalf("ParseFacts(%s): %v", line, fe)
			}
			r := p.Evaluate(f)
			miss := tc.missing
			if miss == nil {
				miss = []string{}
			}
			if r.Verdict != tc.verdict || r.Reason != tc.reason || r.Rule != tc.rule || !slices.Equal(r.Missing, miss) {
				t.Fatalf("got %s %s rule %d missing %q; want %s %s rule %d missing %q\nfacts %s\n%s",
					r.Verdict, r.Reason, r.Rule, r.Missing, tc.verdict, tc.reason, tc.rule, miss, line, r.Explanation)
			}
			if got := r.Deadline.String(); got != tc.deadline {
				t.Fatalf("deadline %q, want %q", got, tc.deadline)
			}
			if (r.Verdict == assurance.VerdictEligible) != (r.MaxRefund != nil) {
				t.Fatalf("max refund %v with verdict %s", r.MaxRefund, r.Verdict)
			}
			if r.Explanation == "" || strings.Contains(r.Explanation, "{") || r.Advice == "" {
				t.Fatalf("explanation %q advice %q", r.Explanation, r.Advice)
			}
			b, _ := r.JSON()
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			_, hasMax := m["max_refund"]
			_, hasLim := m["limited_by"]
			_, hasDeadline := m["deadline"]
			if hasMax != (tc.verdict == assurance.VerdictEligible) || hasLim != hasMax || hasDeadline != (tc.deadline != "") {
				t.Fatalf("JSON keys wrong: %s", b)
			}
		})
	}
}

const (
	elOK  = assurance.VerdictEligible
	elNo  = assurance.VerdictNotEligible
	elYet = assurance.VerdictNotYet
	elAsk = assurance.VerdictNeedsInfo
	elMF  = assurance.ReasonMissingFacts
)

func TestRulesOrderAndStates(t *testing.T) {
	dl := "2026-12-02"
	elRun(t, []elCase{
		{"base is eligible", elBase, nil, elOK, "CONTRACT_BREACH", 17, nil, dl},
		// 1
		{"refunded", elBase, map[string]any{"status": "refunded"}, elNo, "ORDER_CLOSED", 1, nil, dl},
		{"cancelled", elBase, map[string]any{"status": "cancelled", "received_on": nil}, elNo, "ORDER_CLOSED", 1, nil, ""},
		{"closed beats off-platform", elBase, map[string]any{"status": "cancelled", "supplier_ta": false}, elNo, "ORDER_CLOSED", 1, nil, dl},
		{"status absent", elBase, map[string]any{"status": nil}, elAsk, elMF, 1, []string{"status"}, dl},
		{"status absent, nothing else", map[string]any{}, nil, elAsk, elMF, 1, []string{"status"}, ""},
		// 2
		{"in dispute", elBase, map[string]any{"status": "in_dispute"}, elNo, "DISPUTE_OPEN", 2, nil, dl},
		{"escalated", elBase, map[string]any{"status": "dispute_escalated"}, elNo, "DISPUTE_OPEN", 2, nil, dl},
		{"refund pending", elBase, map[string]any{"status": "refund_pending", "paid_on_platform": false}, elNo, "DISPUTE_OPEN", 2, nil, dl},
		// 3
		{"no TA", elBase, map[string]any{"supplier_ta": false}, elNo, "OFF_PLATFORM_PAYMENT", 3, nil, dl},
		{"off platform", elBase, map[string]any{"paid_on_platform": false}, elNo, "OFF_PLATFORM_PAYMENT", 3, nil, dl},
		{"no TA, payment unknown", elBase, map[string]any{"supplier_ta": false, "paid_on_platform": nil}, elNo, "OFF_PLATFORM_PAYMENT", 3, nil, dl},
		{"off platform, TA unknown", elBase, map[string]any{"supplier_ta": nil, "paid_on_platform": false}, elNo, "OFF_PLATFORM_PAYMENT", 3, nil, dl},
		{"both unknown", elBase, map[string]any{"supplier_ta": nil, "paid_on_platform": nil}, elAsk, elMF, 3, []string{"supplier_ta", "paid_on_platform"}, dl},
		{"TA unknown", elBase, map[string]any{"supplier_ta": nil}, elAsk, elMF, 3, []string{"supplier_ta"}, dl},
		{"payment unknown", elBase, map[string]any{"paid_on_platform": nil}, elAsk, elMF, 3, []string{"paid_on_platform"}, dl},
		{"off platform before not paid", elBase, map[string]any{"status": "awaiting_payment", "paid_on_platform": false}, elNo, "OFF_PLATFORM_PAYMENT", 3, nil, dl},
		// 4-5
		{"awaiting confirmation", elBase, map[string]any{"status": "awaiting_confirmation"}, elNo, "NOT_PAID", 4, nil, dl},
		{"awaiting payment", elBase, map[string]any{"status": "awaiting_payment", "received_on": nil}, elNo, "NOT_PAID", 4, nil, ""},
		{"not paid needs no issue", elBase, map[string]any{"status": "awaiting_payment", "issue": nil}, elNo, "NOT_PAID", 4, nil, dl},
		{"payment processing", elBase, map[string]any{"status": "payment_processing", "issue": nil}, elYet, "PAYMENT_PENDING", 5, nil, dl},
		// 6
		{"issue absent", elBase, map[string]any{"issue": nil}, elAsk, elMF, 6, []string{"issue"}, dl},
		{"change of mind", elBase, map[string]any{"issue": "change_of_mind"}, elNo, "EXCLUDED_ISSUE", 6, nil, dl},
		{"after sales", elBase, map[string]any{"issue": "after_sales"}, elNo, "EXCLUDED_ISSUE", 6, nil, dl},
		{"port or customs", elBase, map[string]any{"issue": "port_or_customs_cost"}, elNo, "EXCLUDED_ISSUE", 6, nil, dl},
		{"forwarder freight", elBase, map[string]any{"issue": "forwarder_freight_change", "today": "2027-06-01"}, elNo, "EXCLUDED_ISSUE", 6, nil, dl},
		// 7
		{"accepted in writing", elBase, map[string]any{"accepted_in_writing": true, "today": "2027-06-01"}, elNo, "ACCEPTED_BREACH", 7, nil, dl},
		{"not accepted", elBase, map[string]any{"accepted_in_writing": false}, elOK, "CONTRACT_BREACH", 17, nil, dl},
		// 8
		{"pre-shipment quality", elBase, map[string]any{"coverage": "pre_shipment"}, elNo, "PRE_SHIPMENT_ONLY", 8, nil, dl},
		{"pre-shipment damage", elTransit, map[string]any{"coverage": "pre_shipment", "transit_risk": nil}, elNo, "PRE_SHIPMENT_ONLY", 8, nil, dl},
		{"pre-shipment late", elLate, map[string]any{"coverage": "pre_shipment", "paid_before_shipment": "300"}, elOK, "LATE_SHIPMENT", 10, nil, ""},
		{"explicit post-delivery", elBase, map[string]any{"coverage": "post_delivery"}, elOK, "CONTRACT_BREACH", 17, nil, dl},
	})
}

func TestRuleWindow(t *testing.T) {
	// received 2026-11-02: standard window ends 2026-12-02, enterprise 2027-01-01.
	elRun(t, []elCase{
		{"day 0", elBase, map[string]any{"today": "2026-11-02"}, elOK, "CONTRACT_BREACH", 17, nil, "2026-12-02"},
		{"last day standard", elBase, map[string]any{"today": "2026-12-02"}, elOK, "CONTRACT_BREACH", 17, nil, "2026-12-02"},
		{"day after standard", elBase, map[string]any{"today": "2026-12-03"}, elNo, "WINDOW_EXPIRED", 9, nil, "2026-12-02"},
		{"explicit standard", elBase, map[string]any{"today": "2026-12-03", "buyer_tier": "standard"}, elNo, "WINDOW_EXPIRED", 9, nil, "2026-12-02"},
		{"enterprise day 31", elBase, map[string]any{"today": "2026-12-03", "buyer_tier": "enterprise"}, elOK, "CONTRACT_BREACH", 17, nil, "2027-01-01"},
		{"last day enterprise", elBase, map[string]any{"today": "2027-01-01", "buyer_tier": "enterprise"}, elOK, "CONTRACT_BREACH", 17, nil, "2027-01-01"},
		{"day after enterprise", elBase, map[string]any{"today": "2027-01-02", "buyer_tier": "enterprise"}, elNo, "WINDOW_EXPIRED", 9, nil, "2027-01-01"},
		{"completed expired", elBase, map[string]any{"status": "completed", "today": "2026-12-03"}, elNo, "WINDOW_EXPIRED", 9, nil, "2026-12-02"},
		{"completed inside", elBase, map[string]any{"status": "completed", "today": "2026-12-02"}, elOK, "CONTRACT_BREACH", 17, nil, "2026-12-02"},
		// Month ends: 2026-01-31 + 30 = 2026-03-02 (February has 28 days).
		{"month end last day", elBase, map[string]any{"received_on": "2026-01-31", "today": "2026-03-02"}, elOK, "CONTRACT_BREACH", 17, nil, "2026-03-02"},
		{"month end day after", elBase, map[string]any{"received_on": "2026-01-31", "today": "2026-03-03"}, elNo, "WINDOW_EXPIRED", 9, nil, "2026-03-02"},
		// Leap year: 2028-01-30 + 30 = 2028-02-29.
		{"leap last day", elBase, map[string]any{"received_on": "2028-01-30", "today": "2028-02-29"}, elOK, "CONTRACT_BREACH", 17, nil, "2028-02-29"},
		{"leap day after", elBase, map[string]any{"received_on": "2028-01-30", "today": "2028-03-01"}, elNo, "WINDOW_EXPIRED", 9, nil, "2028-02-29"},
		{"leap enterprise", elBase, map[string]any{"received_on": "2028-01-30", "today": "2028-03-30", "buyer_tier": "enterprise"}, elOK, "CONTRACT_BREACH", 17, nil, "2028-03-30"},
		{"leap enterprise after", elBase, map[string]any{"received_on": "2028-01-30", "today": "2028-03-31", "buyer_tier": "enterprise"}, elNo, "WINDOW_EXPIRED", 9, nil, "2028-03-30"},
		// Year end.
		{"year end", elBase, map[string]any{"received_on": "2026-12-15", "today": "2027-01-14"}, elOK, "CONTRACT_BREACH", 17, nil, "2027-01-14"},
		{"year end after", elBase, map[string]any{"received_on": "2026-12-15", "today": "2027-01-15"}, elNo, "WINDOW_EXPIRED", 9, nil, "2027-01-14"},
		// Needs receipt date when received.
		{"received_on absent", elBase, map[string]any{"received_on": nil}, elAsk, elMF, 9, []string{"received_on"}, ""},
		{"completed without receipt date", elBase, map[string]any{"status": "completed", "received_on": nil}, elAsk, elMF, 9, []string{"received_on"}, ""},
		// The window applies only to received and completed orders; the deadline shows whenever received_on is known.
		{"in transit ignores window", elTransit, map[string]any{"status": "in_transit", "today": "2027-06-01"}, elYet, "NOT_YET_RECEIVED", 11, nil, "2026-12-02"},
		{"expired beats late shipment", elLate, map[string]any{"status": "received", "received_on": "2026-11-02", "today": "2026-12-03", "shipped_on": "2026-10-25"}, elNo, "WINDOW_EXPIRED", 9, nil, "2026-12-02"},
	})
}

func TestRuleLateShipment(t *testing.T) {
	elRun(t, []elCase{
		{"today after ship date", elLate, nil, elOK, "LATE_SHIPMENT", 10, nil, ""},
		{"day after ship date", elLate, map[string]any{"today": "2026-10-21"}, elOK, "LATE_SHIPMENT", 10, nil, ""},
		{"on ship date", elLate, map[string]any{"today": "2026-10-20"}, elYet, "SHIP_DATE_NOT_PASSED", 10, nil, ""},
		{"before ship date", elLate, map[string]any{"today": "2026-10-01", "status": "awaiting_balance"}, elYet, "SHIP_DATE_NOT_PASSED", 10, nil, ""},
		{"awaiting balance late", elLate, map[string]any{"status": "awaiting_balance"}, elOK, "LATE_SHIPMENT", 10, nil, ""},
		{"shipped late", elLate, map[string]any{"status": "in_transit", "shipped_on": "2026-10-21"}, elOK, "LATE_SHIPMENT", 10, nil, ""},
		{"shipped on the day", elLate, map[string]any{"status": "in_transit", "shipped_on": "2026-10-20"}, elNo, "SHIPPED_ON_TIME", 10, nil, ""},
		{"shipped early", elLate, map[string]any{"status": "in_transit", "shipped_on": "2026-10-10"}, elNo, "SHIPPED_ON_TIME", 10, nil, ""},
		{"shipped_on wins before shipment state", elLate, map[string]any{"shipped_on": "2026-10-19"}, elNo, "SHIPPED_ON_TIME", 10, nil, ""},
		{"received, shipped late", elLate, map[string]any{"status": "received", "received_on": "2026-11-02", "today": "2026-11-05", "shipped_on": "2026-10-22"}, elOK, "LATE_SHIPMENT", 10, nil, "2026-12-02"},
		{"completed, shipped late", elLate, map[string]any{"status": "completed", "received_on": "2026-11-02", "today": "2026-11-05", "shipped_on": "2026-10-22"}, elOK, "LATE_SHIPMENT", 10, nil, "2026-12-02"},
		{"in transit needs shipped_on", elLate, map[string]any{"status": "in_transit"}, elAsk, elMF, 10, []string{"shipped_on"}, ""},
		{"received needs shipped_on", elLate, map[string]any{"status": "received", "received_on": "2026-11-02", "today": "2026-11-05"}, elAsk, elMF, 10, []string{"shipped_on"}, "2026-12-02"},
		{"needs ship_date", elLate, map[string]any{"ship_date": nil}, elAsk, elMF, 10, []string{"ship_date"}, ""},
		{"needs ship_date with shipped_on", elLate, map[string]any{"ship_date": nil, "status": "in_transit", "shipped_on": "2026-10-22"}, elAsk, elMF, 10, []string{"ship_date"}, ""},
		{"needs both dates", elLate, map[string]any{"ship_date": nil, "status": "in_transit"}, elAsk, elMF, 10, []string{"ship_date", "shipped_on"}, ""},
		{"late but amount unknown", elLate, map[string]any{"paid_total": nil}, elAsk, elMF, 10, []string{"paid_total"}, ""},
		{"pre-shipment needs deposit", elLate, map[string]any{"coverage": "pre_shipment"}, elAsk, elMF, 10, []string{"paid_before_shipment"}, ""},
		{"pre-shipment needs both amounts", elLate, map[string]any{"coverage": "pre_shipment", "paid_total": nil}, elAsk, elMF, 10, []string{"paid_total", "paid_before_shipment"}, ""},
		{"late shipment needs no evidence", elLate, map[string]any{"evidence": []string{}}, elOK, "LATE_SHIPMENT", 10, nil, ""},
	})
}

func TestRulesGoodsAndEvidence(t *testing.T) {
	dl := "2026-12-02"
	notRecv := map[string]any{
		"issue": "not_received", "status": "in_transit", "supplier_ta": true, "paid_on_platform": true,
		"today": "2026-11-12", "transit_risk": "supplier", "evidence": []string{"tracking"}, "paid_total": "1000.00",
	}
	elRun(t, []elCase{
		// 11
		{"quality in transit", elBase, map[string]any{"status": "in_transit", "received_on": nil}, elYet, "NOT_YET_RECEIVED", 11, nil, ""},
		{"short before shipment", elBase, map[string]any{"status": "awaiting_shipment", "issue": "short_quantity"}, elYet, "NOT_YET_RECEIVED", 11, nil, dl},
		{"wrong item awaiting balance", elBase, map[string]any{"status": "awaiting_balance", "issue": "wrong_item", "spec_in_order": nil}, elYet, "NOT_YET_RECEIVED", 11, nil, dl},
		{"damaged in transit", elTransit, map[string]any{"status": "in_transit", "transit_risk": nil}, elYet, "NOT_YET_RECEIVED", 11, nil, dl},
		// 12
		{"not received before shipment", notRecv, map[string]any{"status": "awaiting_shipment", "transit_risk": nil}, elYet, "NOT_YET_SHIPPED", 12, nil, ""},
		{"not received awaiting balance", notRecv, map[string]any{"status": "awaiting_balance"}, elYet, "NOT_YET_SHIPPED", 12, nil, ""},
		{"not received in transit", notRecv, nil, elOK, "CONTRACT_BREACH", 17, nil, ""},
		// 13
		{"spec not in order", elBase, map[string]any{"spec_in_order": false}, elNo, "SPEC_NOT_IN_CONTRACT", 13, nil, dl},
		{"short, spec not in order", elBase, map[string]any{"issue": "short_quantity", "spec_in_order": false}, elNo, "SPEC_NOT_IN_CONTRACT", 13, nil, dl},
		{"wrong item, spec not in order", elBase, map[string]any{"issue": "wrong_item", "spec_in_order": false}, elNo, "SPEC_NOT_IN_CONTRACT", 13, nil, dl},
		{"spec unknown", elBase, map[string]any{"spec_in_order": nil, "inspection_result": "pass"}, elAsk, elMF, 13, []string{"spec_in_order"}, dl},
		{"damaged needs no spec", elTransit, map[string]any{"spec_in_order": false}, elOK, "CONTRACT_BREACH", 17, nil, dl},
		// 14
		{"inspection pass", elBase, map[string]any{"inspection_result": "pass"}, elNo, "INSPECTION_CONFORMS", 14, nil, dl},
		{"inspection pass, wrong item", elBase, map[string]any{"inspection_result": "pass", "issue": "wrong_item"}, elNo, "INSPECTION_CONFORMS", 14, nil, dl},
		{"inspection fail", elBase, map[string]any{"inspection_result": "fail"}, elOK, "CONTRACT_BREACH", 17, nil, dl},
		{"inspection pending", elBase, map[string]any{"inspection_result": "pending"}, elOK, "CONTRACT_BREACH", 17, nil, dl},
		{"inspection none", elBase, map[string]any{"inspection_result": "none"}, elOK, "CONTRACT_BREACH", 17, nil, dl},
		{"inspection pass, damaged", elTransit, map[string]any{"inspection_result": "pass"}, elOK, "CONTRACT_BREACH", 17, nil, dl},
		// 15
		{"damaged, buyer risk", elTransit, map[string]any{"transit_risk": "buyer"}, elNo, "BUYER_TRANSIT_RISK", 15, nil, dl},
		{"damaged, risk unknown", elTransit, map[string]any{"transit_risk": nil, "evidence": nil}, elAsk, elMF, 15, []string{"transit_risk"}, dl},
		{"not received, buyer risk", notRecv, map[string]any{"transit_risk": "buyer"}, elNo, "BUYER_TRANSIT_RISK", 15, nil, ""},
		{"not received, risk unknown", notRecv, map[string]any{"transit_risk": nil}, elAsk, elMF, 15, []string{"transit_risk"}, ""},
		{"quality ignores transit risk", elBase, map[string]any{"transit_risk": "buyer"}, elOK, "CONTRACT_BREACH", 17, nil, dl},
		// 16
		{"quality without photos", elBase, map[string]any{"evidence": []string{"video", "inspection_report"}}, elAsk, "EVIDENCE_MISSING", 16, []string{"evidence:photos"}, dl},
		{"quality, no evidence", elBase, map[string]any{"evidence": nil}, elAsk, "EVIDENCE_MISSING", 16, []string{"evidence:photos"}, dl},
		{"short without photos", elBase, map[string]any{"issue": "short_quantity", "evidence": []string{"packing_list"}}, elAsk, "EVIDENCE_MISSING", 16, []string{"evidence:photos"}, dl},
		{"wrong item without photos", elBase, map[string]any{"issue": "wrong_item", "evidence": []string{}}, elAsk, "EVIDENCE_MISSING", 16, []string{"evidence:photos"}, dl},
		{"damaged without photos", elTransit, map[string]any{"evidence": []string{"video"}}, elAsk, "EVIDENCE_MISSING", 16, []string{"evidence:photos"}, dl},
		{"not received without tracking", notRecv, map[string]any{"evidence": []string{"photos"}}, elAsk, "EVIDENCE_MISSING", 16, []string{"evidence:tracking"}, ""},
		// 17 and the amount
		{"eligible without amount", elBase, map[string]any{"paid_total": nil}, elAsk, elMF, 17, []string{"paid_total"}, dl},
		{"eligible damaged", elTransit, nil, elOK, "CONTRACT_BREACH", 17, nil, dl},
	})
}

func TestEvaluateToday(t *testing.T) {
	p := assurance.Default()
	f, fe := p.ParseFacts(elFacts(t, elBase, map[string]any{"today": nil}))
	if fe != nil {
		t.Fatal(fe)
	}
	r := p.Evaluate(f)
	if r.Verdict != elAsk || !slices.Equal(r.Missing, []string{"today"}) || r.Rule != 9 {
		t.Fatalf("no today: %+v", r)
	}
	now := time.Date(2026, 12, 3, 23, 59, 0, 0, time.FixedZone("UTC-5", -5*3600)) // 2026-12-04 UTC
	if r := p.EvaluateAt(f, now); r.Reason != "WINDOW_EXPIRED" {
		t.Fatalf("EvaluateAt uses the UTC date: %+v", r)
	}
	// A today in the facts wins over the clock.
	g := f
	g.Today = elDate(t, "2026-11-03")
	if r := p.EvaluateAt(g, now); r.Verdict != elOK {
		t.Fatalf("facts' today should win: %+v", r)
	}
	late, _ := p.ParseFacts(elFacts(t, elLate, map[string]any{"today": nil}))
	if r := p.Evaluate(late); !slices.Equal(r.Missing, []string{"today"}) || r.Rule != 10 {
		t.Fatalf("late shipment without today: %+v", r)
	}
}

func TestAdvice(t *testing.T) {
	p := assurance.Default()
	tests := []struct {
		base   map[string]any
		over   map[string]any
		advice string
		date   string
	}{
		{elBase, map[string]any{"status": "awaiting_payment"}, "cancel_instead", ""},
		{elTransit, map[string]any{"transit_risk": "buyer"}, "carrier_claim", ""},
		{elLate, map[string]any{"today": "2026-10-01"}, "wait_until", "2026-10-21"},
		{elBase, map[string]any{"evidence": nil}, "gather_evidence", ""},
		{elBase, map[string]any{"spec_in_order": nil}, "answer_questions", ""},
		{elBase, nil, "open_dispute", "2026-12-02"},
		{elLate, nil, "open_dispute", ""},
		{map[string]any{"issue": "not_received", "status": "awaiting_shipment", "supplier_ta": true, "paid_on_platform": true, "ship_date": "2026-05-01"}, nil, "claim_late_shipment", "2026-05-02"},
		{elBase, map[string]any{"paid_on_platform": false}, "offline_complaint", ""},
	}
	for _, tc := range tests {
		f, fe := p.ParseFacts(elFacts(t, tc.base, tc.over))
		if fe != nil {
			t.Fatal(fe)
		}
		r := p.Evaluate(f)
		if r.Advice != tc.advice || r.AdviceDate.String() != tc.date {
			t.Errorf("%s: advice %q %q, want %q %q", r.Reason, r.Advice, r.AdviceDate, tc.advice, tc.date)
		}
	}
}

func TestExplanation(t *testing.T) {
	p := assurance.Default()
	f, _ := p.ParseFacts(elFacts(t, elBase, map[string]any{"affected_qty": 1, "total_qty": 3}))
	r := p.Evaluate(f)
	for _, want := range []string{"Likely eligible, up to 333.33 USD", "the share of the order affected",
		"1,000.00 × 1 / 3 = 333.33", "not a promise", "The last day to claim is 2026-12-02."} {
		if !strings.Contains(r.Explanation, want) {
			t.Errorf("explanation lacks %q:\n%s", want, r.Explanation)
		}
	}
	f, _ = p.ParseFacts(elFacts(t, elBase, map[string]any{"today": "2027-01-01"}))
	r = p.Evaluate(f)
	if want := "The claim window of 30 days after receipt on 2026-11-02 ended on 2026-12-02"; !strings.HasPrefix(r.Explanation, want) ||
		strings.Contains(r.Explanation, "last day to claim") {
		t.Errorf("window explanation: %s", r.Explanation)
	}
	f, _ = p.ParseFacts(elFacts(t, elBase, map[string]any{"evidence": nil}))
	if r = p.Evaluate(f); !strings.Contains(r.Explanation, "needs this evidence first: photos.") {
		t.Errorf("evidence explanation: %s", r.Explanation)
	}
}

// elValues lists valid answers for each fact a needs_info result may ask for.
var elValues = map[string][]string{
	"issue":                {"not_shipped_by_date", "not_received", "quality_mismatch", "short_quantity", "wrong_item", "damaged", "change_of_mind", "after_sales"},
	"status":               {"awaiting_confirmation", "awaiting_payment", "payment_processing", "awaiting_balance", "awaiting_shipment", "in_transit", "received", "in_dispute", "completed", "refunded", "cancelled", "refund_pending", "dispute_escalated"},
	"supplier_ta":          {"true", "false", "true"},
	"paid_on_platform":     {"true", "false", "true"},
	"accepted_in_writing":  {"true", "false", "false"},
	"spec_in_order":        {"true", "false"},
	"coverage":             {"post_delivery", "pre_shipment"},
	"buyer_tier":           {"standard", "enterprise"},
	"inspection_result":    {"pass", "fail", "pending", "none"},
	"transit_risk":         {"buyer", "supplier"},
	"ship_date":            {"2026-01-10", "2026-02-01", "2026-03-15"},
	"shipped_on":           {"2026-01-09", "2026-01-20", "2026-02-01"},
	"received_on":          {"2026-01-20", "2026-02-10", "2026-03-01"},
	"today":                {"2026-01-15", "2026-02-20", "2026-04-01"},
	"paid_total":           {"0", "100", "2500.50", "12000"},
	"paid_before_shipment": {"0", "50", "3000"},
	"ta_limit_remaining":   {"0", "1000", "90000"},
	"claimed":              {"10", "2000"},
	"affected_qty":         {"1", "2", "5"},
	"total_qty":            {"5", "7", "10"},
	"currency":             {"USD", "EUR", "JPY"},
	"evidence":             {"photos", "tracking,video", ""},
}

func elAbsent(f assurance.Facts, name string) bool {
	if kind, ok := strings.CutPrefix(name, assurance.EvidencePrefix); ok {
		return !slices.Contains(f.Evidence, kind)
	}
	b, _ := json.Marshal(f)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	_, present := m[name]
	return !present
}

// TestNeedsInfoConverges plays the Discord walk-through: from random partial facts, answer
// every fact a needs_info result names and evaluate again, until a verdict. Every named fact
// must be absent, answering must be possible, and the loop must end.
func TestNeedsInfoConverges(t *testing.T) {
	p := assurance.Default()
	rng := rand.New(rand.NewPCG(7, 11))
	pick := func(name string) string {
		if strings.HasPrefix(name, assurance.EvidencePrefix) {
			return ""
		}
		v := elValues[name]
		return v[rng.IntN(len(v))]
	}
	names := assurance.FactNames()
	for trial := range 20000 {
		var f assurance.Facts
		for _, n := range names {
			if rng.IntN(3) == 0 {
				_ = p.SetFact(&f, n, pick(n)) // some combinations are invalid (JPY decimals); skip those
			}
		}
		seen := map[string]bool{}
		for round := 0; ; round++ {
			if round > len(names)+len(p.EvidenceKinds) {
				t.Fatalf("trial %d: no verdict after %d rounds: %+v", trial, round, f)
			}
			r := p.Evaluate(f)
			if r.Verdict == assurance.VerdictInvalid {
				t.Fatalf("trial %d: invalid facts %v", trial, r.Err)
			}
			if r.Verdict != elAsk {
				if len(r.Missing) != 0 {
					t.Fatalf("trial %d: %s with missing %q", trial, r.Verdict, r.Missing)
				}
				break
			}
			if len(r.Missing) == 0 {
				t.Fatalf("trial %d: needs_info without missing facts", trial)
			}
			for _, m := range r.Missing {
				if !elAbsent(f, m) || seen[m] {
					t.Fatalf("trial %d: asks again for %q, which is present: %+v", trial, m, f)
				}
				seen[m] = true
				if fe := p.SetFact(&f, m, pick(m)); fe != nil {
					// An amount may not fit the currency (JPY); a whole number always does.
					if fe = p.SetFact(&f, m, "100"); fe != nil {
						t.Fatalf("trial %d: cannot answer %q: %v", trial, m, fe)
					}
				}
			}
		}
	}
}
