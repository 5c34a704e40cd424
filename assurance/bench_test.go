package assurance_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
)

const elBenchFacts = `{"issue": "quality_mismatch", "status": "received", "supplier_ta": true, "paid_on_platform": true, "received_on": "2026-11-02", "today": "2026-11-12", "spec_in_order": true, "evidence": ["photos", "inspection_report"], "paid_total": "12000.00", "affected_qty": 100, "total_qty": 1000, "currency": "USD"}`

func BenchmarkEvaluate(b *testing.B) {
	p := assurance.Default()
	f, fe := p.ParseFacts([]byte(elBenchFacts))
	if fe != nil {
		b.Fatal(fe)
	}
	b.ReportAllocs()
	for b.Loop() {
		if r := p.Evaluate(f); r.Verdict != assurance.VerdictEligible {
			b.Fatal(r.Verdict)
		}
	}
}

func BenchmarkParseFacts(b *testing.B) {
	p := assurance.Default()
	line := []byte(elBenchFacts)
	b.ReportAllocs()
	for b.Loop() {
		if _, fe := p.ParseFacts(line); fe != nil {
			b.Fatal(fe)
		}
	}
}

// BenchmarkCheck10k runs check on 10,000 lines: the public examples, repeated.
func BenchmarkCheck10k(b *testing.B) {
	p := assurance.Default()
	exs := elExamples(b)
	var in bytes.Buffer
	for i := range 10000 {
		in.Write(exs[i%len(exs)].Facts)
		in.WriteByte('\n')
	}
	today := elDate(b, "2026-11-12")
	b.SetBytes(int64(in.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Check(bytes.NewReader(in.Bytes()), io.Discard, today); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = assurance.Default()
	}
}
