package assurance_test

import (
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
)

func TestDisputeClock(t *testing.T) {
	p := assurance.Default()
	tests := []struct{ opened, due, escalate, auto string }{
		{"2026-03-02", "2026-03-05", "2026-03-06", "2026-03-10"},
		{"2026-02-26", "2026-03-01", "2026-03-02", "2026-03-06"},
		{"2028-02-27", "2028-03-01", "2028-03-02", "2028-03-06"}, // leap year: 2028-02-29 exists
		{"2026-12-30", "2027-01-02", "2027-01-03", "2027-01-07"},
	}
	for _, tc := range tests {
		c := p.DisputeClock(elDate(t, tc.opened))
		if c.Opened.String() != tc.opened || c.SupplierAnswerDue.String() != tc.due ||
			c.EscalationFrom.String() != tc.escalate || c.AutoEscalation.String() != tc.auto {
			t.Errorf("DisputeClock(%s) = %+v", tc.opened, c)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-04", 0, "2026-03-04"},  // Wednesday
		{"2026-03-04", 2, "2026-03-06"},  // Wed + 2 = Fri
		{"2026-03-05", 2, "2026-03-09"},  // Thu + 2 = Mon
		{"2026-03-06", 1, "2026-03-09"},  // Fri + 1 = Mon
		{"2026-03-07", 1, "2026-03-09"},  // Sat + 1 = Mon
		{"2026-03-08", 1, "2026-03-09"},  // Sun + 1 = Mon
		{"2026-03-06", 7, "2026-03-17"},  // Fri + 7 = Tue of the week after next
		{"2026-03-09", 5, "2026-03-16"},  // Mon + 5 = next Mon
		{"2026-03-09", -1, "2026-03-06"}, // Mon - 1 = Fri
		{"2026-12-31", 2, "2027-01-04"},  // Thu + 2 across the year = Mon
	}
	for _, tc := range tests {
		if got := assurance.AddWorkingDays(elDate(t, tc.from), tc.n).String(); got != tc.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
	if !assurance.AddWorkingDays(assurance.Date{}, 3).IsZero() {
		t.Error("zero date should stay zero")
	}
	p := assurance.Default()
	if got := p.AlibabaJoinsBy(elDate(t, "2026-03-05")).String(); got != "2026-03-09" {
		t.Errorf("AlibabaJoinsBy = %s", got)
	}
	if got := p.RefundStartsBy(elDate(t, "2026-03-06")).String(); got != "2026-03-17" {
		t.Errorf("RefundStartsBy = %s", got)
	}
}

func TestClaimDeadline(t *testing.T) {
	p := assurance.Default()
	tests := []struct{ received, tier, want string }{
		{"2026-11-02", "", "2026-12-02"},
		{"2026-11-02", "standard", "2026-12-02"},
		{"2026-11-02", "enterprise", "2027-01-01"},
		{"2026-11-02", "gold", "2026-12-02"},
		{"2028-01-30", "standard", "2028-02-29"},
		{"2026-01-31", "standard", "2026-03-02"},
	}
	for _, tc := range tests {
		if got := p.ClaimDeadline(elDate(t, tc.received), tc.tier).String(); got != tc.want {
			t.Errorf("ClaimDeadline(%s, %q) = %s, want %s", tc.received, tc.tier, got, tc.want)
		}
	}
	if !p.ClaimDeadline(assurance.Date{}, "").IsZero() {
		t.Error("no receipt, no deadline")
	}
}
