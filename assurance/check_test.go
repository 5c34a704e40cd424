package assurance_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/tradeguard/tradeguard/assurance"
)

// elCheck runs Check on input and returns its output lines.
func elCheck(t testing.TB, input string) (lines []string, allValid bool) {
	t.Helper()
	var out bytes.Buffer
	allValid, err := assurance.Default().Check(strings.NewReader(input), &out, elDate(t, "2026-11-12"))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	s := out.String()
	if s == "" {
		return nil, allValid
	}
	if !strings.HasSuffix(s, "\n") {
		t.Fatalf("output does not end with a newline: %q", s)
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n"), allValid
}

func TestCheckPublicExamples(t *testing.T) {
	exs := elExamples(t)
	var in strings.Builder
	for _, ex := range exs {
		in.Write(ex.Facts)
		in.WriteByte('\n')
	}
	lines, allValid := elCheck(t, in.String())
	if !allValid || len(lines) != len(exs) {
		t.Fatalf("allValid %v, %d lines for %d inputs", allValid, len(lines), len(exs))
	}
	for i, ex := range exs {
		t.Run(fmt.Sprint("line", i+1), func(t *testing.T) { elCompareWant(t, []byte(lines[i]), ex.Want) })
	}
}

func TestCheckContract(t *testing.T) {
	lines, ok := elCheck(t, `{"issue":"quality_mismatch","status":"received","supplier_ta":true,"paid_on_platform":true,"received_on":"2026-11-02","spec_in_order":true,"evidence":["photos"],"paid_total":"12000","affected_qty":3,"total_qty":10}`+"\n")
	if !ok || len(lines) != 1 {
		t.Fatal(lines)
	}
	want := `{"verdict":"eligible","reason":"CONTRACT_BREACH","max_refund":"3600.00","currency":"USD","limited_by":"pro_rata","deadline":"2026-12-02","missing":[],"explanation":`
	if !strings.HasPrefix(lines[0], want) {
		t.Fatalf("got  %s\nwant %s...", lines[0], want)
	}
	// Not eligible: no max_refund or limited_by; no received_on: no deadline; missing still present.
	lines, _ = elCheck(t, `{"issue":"wrong_item","status":"payment_processing","supplier_ta":true,"paid_on_platform":true,"paid_total":"5"}`)
	want = `{"verdict":"not_yet","reason":"PAYMENT_PENDING","currency":"USD","missing":[],"explanation":`
	if !strings.HasPrefix(lines[0], want) {
		t.Fatalf("got  %s\nwant %s...", lines[0], want)
	}
}

func TestCheckInvalidInput(t *testing.T) {
	ok := `"issue":"damaged","status":"received","received_on":"2026-11-02"`
	tests := []struct {
		name, line, field, msg string
	}{
		{"unknown field", `{` + ok + `,"colour":"red"}`, "colour", "unknown field"},
		{"field case matters", `{"Issue":"damaged"}`, "Issue", "unknown field"},
		{"duplicate field", `{` + ok + `,"issue":"wrong_item"}`, "issue", "more than once"},
		{"unknown issue", `{"issue":"broken"}`, "issue", `unknown issue "broken"`},
		{"empty issue", `{"issue":""}`, "issue", "must not be empty"},
		{"issue not a string", `{"issue":3}`, "issue", "must be a string, not a number"},
		{"unknown status", `{"status":"lost"}`, "status", "unknown order state"},
		{"unknown coverage", `{"coverage":"full"}`, "coverage", "unknown coverage"},
		{"unknown tier", `{"buyer_tier":"gold"}`, "buyer_tier", "unknown buyer tier"},
		{"unknown inspection", `{"inspection_result":"ok"}`, "inspection_result", "unknown inspection result"},
		{"unknown transit risk", `{"transit_risk":"seller"}`, "transit_risk", "unknown transit risk"},
		{"unknown evidence", `{"evidence":["photos","selfie"]}`, "evidence", `unknown evidence kind "selfie"`},
		{"evidence not a list", `{"evidence":"photos"}`, "evidence", "must be a list"},
		{"evidence item not a string", `{"evidence":["photos",1]}`, "evidence", "item 1 must be a string"},
		{"bool as string", `{"supplier_ta":"true"}`, "supplier_ta", "must be true or false, not a string"},
		{"bool as number", `{"paid_on_platform":1}`, "paid_on_platform", "must be true or false"},
		{"bool as object", `{"spec_in_order":{}}`, "spec_in_order", "must be true or false, not an object"},
		{"accepted as string", `{"accepted_in_writing":"no"}`, "accepted_in_writing", "must be true or false"},
		{"qty float", `{"affected_qty":1.5}`, "affected_qty", "positive whole number"},
		{"qty float .0", `{"total_qty":10.0}`, "total_qty", "positive whole number"},
		{"qty exponent", `{"total_qty":1e3}`, "total_qty", "positive whole number"},
		{"qty string", `{"total_qty":"10"}`, "total_qty", "not a string"},
		{"qty zero", `{"total_qty":0}`, "total_qty", "positive whole number"},
		{"qty negative", `{"affected_qty":-1}`, "affected_qty", "positive whole number"},
		{"qty too large", `{"total_qty":99999999999999999999}`, "total_qty", "too large"},
		{"affected above total", `{"affected_qty":11,"total_qty":10}`, "affected_qty", "greater than total_qty"},
		{"impossible date", `{"received_on":"2026-02-30"}`, "received_on", "not a real date"},
		{"slashed date", `{"ship_date":"2026/01/01"}`, "ship_date", "not a real date"},
		{"short date", `{"shipped_on":"2026-1-1"}`, "shipped_on", "not a real date"},
		{"date with time", `{"today":"2026-01-01T00:00:00Z"}`, "today", "not a real date"},
		{"date as number", `{"today":20260101}`, "today", "date string"},
		{"empty date", `{"today":""}`, "today", "not a real date"},
		{"malformed amount", `{"paid_total":"abc"}`, "paid_total", "not a decimal amount"},
		{"amount with exponent", `{"paid_total":"1e3"}`, "paid_total", "not a decimal amount"},
		{"amount with space", `{"paid_total":" 10"}`, "paid_total", "not a decimal amount"},
		{"amount with plus", `{"paid_total":"+10"}`, "paid_total", "not a decimal amount"},
		{"amount trailing point", `{"paid_total":"10."}`, "paid_total", "not a decimal amount"},
		{"empty amount", `{"claimed":""}`, "claimed", "not a decimal amount"},
		{"negative amount", `{"claimed":"-5.00"}`, "claimed", "must not be negative"},
		{"negative ta limit", `{"ta_limit_remaining":"-1"}`, "ta_limit_remaining", "must not be negative"},
		{"amount as number", `{"paid_total":12000}`, "paid_total", "decimal string"},
		{"too many decimals", `{"paid_before_shipment":"1.234"}`, "paid_before_shipment", "more than 2 decimals"},
		{"JPY decimals", `{"paid_total":"100.5","currency":"JPY"}`, "paid_total", "more than 0 decimals"},
		{"amount too large", `{"paid_total":"1000000000000.01"}`, "paid_total", "too large"},
		{"unknown currency", `{"currency":"XXX"}`, "currency", "unknown currency"},
		{"lower-case currency", `{"currency":"usd"}`, "currency", "unknown currency"},
		{"array", `[1,2]`, "", "not an array"},
		{"string", `"facts"`, "", "not a string"},
		{"number", `42`, "", "not a number"},
		{"null", `null`, "", "not null"},
		{"true", `true`, "", "not a boolean"},
		{"two objects", `{"issue":"damaged"} {"issue":"damaged"}`, "", "unexpected data after"},
		{"trailing garbage", `{"issue":"damaged"}x`, "", "unexpected data after"},
		{"truncated", `{"issue":"damaged"`, "", "invalid JSON"},
		{"trailing comma", `{"issue":"damaged",}`, "", "invalid JSON"},
		{"bad syntax", `{issue:"damaged"}`, "", "invalid JSON"},
		{"syntax beats field errors", `{"colour":1,`, "", "invalid JSON"},
		{"blank line", ``, "", "empty line"},
		{"whitespace line", " \t ", "", "empty line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines, allValid := elCheck(t, tc.line+"\n")
			if allValid || len(lines) != 1 {
				t.Fatalf("allValid %v, lines %q", allValid, lines)
			}
			var m map[string]string
			if err := json.Unmarshal([]byte(lines[0]), &m); err != nil || len(m) != 2 {
				t.Fatalf("not an error object: %s", lines[0])
			}
			if m["field"] != tc.field || !strings.Contains(m["error"], tc.msg) {
				t.Fatalf("got %s; want field %q and an error containing %q", lines[0], tc.field, tc.msg)
			}
			// ParseFacts names the same field.
			if tc.line != "" && strings.TrimSpace(tc.line) != "" {
				if _, fe := assurance.Default().ParseFacts([]byte(tc.line)); fe == nil || fe.Field != tc.field {
					t.Fatalf("ParseFacts: %v", fe)
				}
			}
		})
	}
}

func TestCheckLines(t *testing.T) {
	good := `{"issue":"wrong_item","status":"payment_processing","supplier_ta":true,"paid_on_platform":true}`
	tests := []struct {
		name  string
		input string
		kinds string // one letter per output line: v = verdict, e = error
	}{
		{"empty input", "", ""},
		{"one line without newline", good, "v"},
		{"one line", good + "\n", "v"},
		{"CRLF", good + "\r\n" + good + "\r\n", "vv"},
		{"blank line in the middle", good + "\n\n" + good + "\n", "vev"},
		{"only a newline", "\n", "e"},
		{"error then valid", "{\n" + good, "ev"},
		{"trailing blank line", good + "\n\n", "ve"},
		{"bare CR line", "\r\n", "e"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines, allValid := elCheck(t, tc.input)
			if len(lines) != len(tc.kinds) {
				t.Fatalf("%d lines %q, want %d", len(lines), lines, len(tc.kinds))
			}
			for i, l := range lines {
				isErr := strings.HasPrefix(l, `{"error":`)
				if isErr != (tc.kinds[i] == 'e') {
					t.Fatalf("line %d: %s", i+1, l)
				}
			}
			if allValid != !strings.Contains(tc.kinds, "e") {
				t.Fatalf("allValid %v for %q", allValid, tc.kinds)
			}
		})
	}
}

func TestCheckLongLine(t *testing.T) {
	good := `{"issue":"wrong_item","status":"payment_processing","supplier_ta":true,"paid_on_platform":true}`
	// A valid object padded with spaces to exactly the limit is still read.
	atLimit := good + strings.Repeat(" ", assurance.MaxLineBytes-len(good))
	over := atLimit + " "
	lines, allValid := elCheck(t, atLimit+"\r\n"+over+"\n"+good)
	if len(lines) != 3 || allValid {
		t.Fatalf("%d lines, allValid %v", len(lines), allValid)
	}
	if !strings.HasPrefix(lines[0], `{"verdict":"not_yet"`) || !strings.Contains(lines[1], "line longer than") ||
		!strings.HasPrefix(lines[2], `{"verdict":"not_yet"`) {
		t.Fatalf("lines %q", lines)
	}
	// Also when the long line is the last one, without a newline.
	lines, _ = elCheck(t, good+"\n"+over)
	if len(lines) != 2 || !strings.Contains(lines[1], "line longer than") {
		t.Fatalf("lines %q", lines)
	}
}

type elFailWriter struct{}

func (elFailWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestCheckIOErrors(t *testing.T) {
	p := assurance.Default()
	today := elDate(t, "2026-01-01")
	if _, err := p.Check(strings.NewReader("{}\n"), elFailWriter{}, today); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("write error: %v", err)
	}
	in := iotest.TimeoutReader(strings.NewReader(strings.Repeat("{}\n", 100000)))
	var out bytes.Buffer
	if _, err := p.Check(in, &out, today); err == nil || !strings.Contains(err.Error(), "read") {
		t.Fatalf("read error: %v", err)
	}
	if lines := strings.Count(out.String(), "\n"); lines == 0 {
		t.Fatal("lines read before the error should be answered")
	}
}

// FuzzCheck feeds arbitrary input to Check: no panic, exactly one output line per input line,
// and each output line is a JSON error object or a result with a known verdict.
func FuzzCheck(f *testing.F) {
	for _, ex := range elExamples(f) {
		f.Add(string(ex.Facts))
	}
	f.Add("")
	f.Add("\n\n")
	f.Add("{}\r\n[]\n{\"issue\":null}")
	f.Add(`{"issue":"damaged","status":"received","supplier_ta":true,"paid_on_platform":true,"received_on":"2028-01-30","today":"2028-02-29","transit_risk":"supplier","evidence":["photos"],"paid_total":"0.01","affected_qty":1,"total_qty":2}`)
	f.Add(`{"issue":"not_shipped_by_date","status":"in_transit","coverage":"pre_shipment","supplier_ta":true,"paid_on_platform":true}`)
	p := assurance.Default()
	today, _ := assurance.ParseDate("2026-06-15")
	verdicts := map[string]bool{"eligible": true, "not_eligible": true, "not_yet": true, "needs_info": true}
	f.Fuzz(func(t *testing.T, input string) {
		var out bytes.Buffer
		allValid, err := p.Check(strings.NewReader(input), &out, today)
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		want := strings.Count(input, "\n")
		if input != "" && !strings.HasSuffix(input, "\n") {
			want++
		}
		got := out.String()
		if want == 0 {
			if got != "" || !allValid {
				t.Fatalf("no input lines, output %q", got)
			}
			return
		}
		lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
		if !strings.HasSuffix(got, "\n") || len(lines) != want {
			t.Fatalf("%d output lines for %d input lines: %q", len(lines), want, got)
		}
		sawError := false
		for _, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("output line is not JSON: %q", l)
			}
			if _, isErr := m["error"]; isErr {
				_, hasField := m["field"]
				if !hasField || len(m) != 2 {
					t.Fatalf("bad error line %s", l)
				}
				sawError = true
				continue
			}
			v, _ := m["verdict"].(string)
			miss, isList := m["missing"].([]any)
			if !verdicts[v] || !isList || m["reason"] == nil || m["currency"] == nil || m["explanation"] == nil {
				t.Fatalf("bad result line %s", l)
			}
			if (v == "needs_info") != (len(miss) > 0) {
				t.Fatalf("missing does not match verdict: %s", l)
			}
			if _, has := m["max_refund"]; has != (v == "eligible") {
				t.Fatalf("max_refund with verdict %s: %s", v, l)
			}
		}
		if allValid == sawError {
			t.Fatalf("allValid %v but error lines %v", allValid, sawError)
		}
	})
}
