package assurance_test

import (
	"slices"
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
)

// answer gives a member's answer to a question, as the walk-through would set it.
func answer(t *testing.T, p *assurance.Policy, f *assurance.Facts, name, value string) {
	t.Helper()
	if fe := p.SetFact(f, name, value); fe != nil {
		t.Fatalf("SetFact(%s, %q): %v", name, value, fe)
	}
}

func TestNextQuestionAsksOnlyWhatTheRulesNeed(t *testing.T) {
	p := assurance.Default()
	type qa struct{ ask, answer string }
	tests := []struct {
		name  string
		facts string
		steps []qa // each expected question and the answer given; then "" is expected
	}{
		{"quality: written spec, then the defaulted facts that decide",
			`{"issue":"quality_mismatch","status":"received","supplier_ta":true,"paid_on_platform":true,"received_on":"2026-11-20","today":"2026-11-27","paid_total":"1000"}`,
			[]qa{{"spec_in_order", "true"}, {"accepted_in_writing", "false"}, {"inspection_result", "none"}}},
		{"late shipment before shipping: ship date and the amount paid",
			`{"issue":"not_shipped_by_date","status":"awaiting_shipment","supplier_ta":true,"paid_on_platform":true,"today":"2026-11-27"}`,
			[]qa{{"ship_date", "2026-11-01"}, {"paid_total", "500"}, {"accepted_in_writing", "false"}}},
		{"damage: who carried the transit risk; a buyer risk ends the questions",
			`{"issue":"damaged","status":"received","supplier_ta":true,"paid_on_platform":true,"received_on":"2026-11-20","today":"2026-11-27","paid_total":"10"}`,
			[]qa{{"transit_risk", "buyer"}}},
		{"supplier and payment first",
			`{"issue":"not_received","status":"in_transit","today":"2026-11-27"}`,
			[]qa{{"supplier_ta", "true"}, {"paid_on_platform", "true"}, {"transit_risk", "supplier"}, {"paid_total", "80"}, {"accepted_in_writing", "true"}}},
		{"an excluded issue needs nothing", `{"issue":"change_of_mind","status":"received","supplier_ta":true,"paid_on_platform":true,"received_on":"2026-11-20","today":"2026-11-27"}`, nil},
		{"an off-platform payment decides at once", `{"issue":"quality_mismatch","status":"received","paid_on_platform":false,"today":"2026-11-27"}`, nil},
		{"a known inspection is not asked again",
			`{"issue":"wrong_item","status":"received","supplier_ta":true,"paid_on_platform":true,"received_on":"2026-11-20","today":"2026-11-27","paid_total":"10","spec_in_order":true,"inspection_result":"fail","accepted_in_writing":false}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, fe := p.ParseFacts([]byte(tc.facts))
			if fe != nil {
				t.Fatal(fe)
			}
			for _, s := range tc.steps {
				if got := p.NextQuestion(f); got != s.ask {
					t.Fatalf("asked %q, want %q (facts so far %+v)", got, s.ask, f)
				}
				answer(t, p, &f, s.ask, s.answer)
			}
			if got := p.NextQuestion(f); got != "" {
				t.Fatalf("asked %q after the last answer", got)
			}
		})
	}
}

// TestNextQuestionEnds answers every question for every issue and every state a dispute may open
// from, and checks the questions end, never repeat, and never ask for evidence or what only the bot knows.
func TestNextQuestionEnds(t *testing.T) {
	p := assurance.Default()
	values := map[string]string{
		"supplier_ta": "true", "paid_on_platform": "true", "accepted_in_writing": "false", "spec_in_order": "true",
		"inspection_result": "fail", "transit_risk": "supplier", "ship_date": "2026-11-01", "shipped_on": "2026-11-05",
		"received_on": "2026-11-20", "paid_total": "100", "paid_before_shipment": "50",
	}
	for _, is := range p.Issues {
		for _, st := range []assurance.Status{assurance.AwaitingBalance, assurance.AwaitingShipment, assurance.InTransit, assurance.Received} {
			for _, cov := range []string{"", assurance.CoveragePreShipment} {
				f := assurance.Facts{Issue: is.Code, Status: st, Coverage: cov, Today: elDate(t, "2026-11-27")}
				var asked []string
				for q := p.NextQuestion(f); q != ""; q = p.NextQuestion(f) {
					v, ok := values[q]
					if !ok {
						t.Fatalf("%s/%s: asked %q, which a member cannot answer", is.Code, st, q)
					}
					if slices.Contains(asked, q) {
						t.Fatalf("%s/%s: asked %q twice", is.Code, st, q)
					}
					asked = append(asked, q)
					answer(t, p, &f, q, v)
				}
				if r := p.Evaluate(f); r.Verdict == assurance.VerdictNeedsInfo && r.Reason != assurance.ReasonEvidenceMissing {
					t.Errorf("%s/%s/%q: questions ended with %s %v", is.Code, st, cov, r.Reason, r.Missing)
				}
			}
		}
	}
}
