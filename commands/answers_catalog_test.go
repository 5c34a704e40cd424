package commands

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
)

// Keys built at run time (from policy codes) are not seen by TestEveryKeyUsedExists; this test
// checks that each one the answers area can build exists in English.
func TestAnswersDynamicKeysExist(t *testing.T) {
	checkBuiltKeys(t, func(p *assurance.Policy, add func(...string)) {
		for _, is := range p.Issues {
			add("issue." + is.Code)
		}
		for _, k := range p.EvidenceKinds {
			add("evidence." + k)
		}
		for _, code := range assurance.ReasonCodes() {
			add("elig.reason."+code, "elig.why."+code, "elig.advice."+p.Reasons[code].Advice)
		}
		add("elig.advice.open_dispute.quick")
		for _, v := range []string{assurance.VerdictEligible, assurance.VerdictNotEligible, assurance.VerdictNotYet, assurance.VerdictNeedsInfo} {
			add("elig.verdict."+v, "elig.word."+v)
		}
		for _, c := range []string{assurance.CondSupplierTA, assurance.CondPaidOnPlatform, assurance.CondSpecInOrder, assurance.CondEvidence,
			assurance.CondSupplierRisk, assurance.CondReceivedSince, assurance.CondShipDatePassed, assurance.CondShipDateBefore,
			assurance.CondShippedAfter, assurance.CondShippedLate} {
			add("elig.cond."+c, "elig.cond."+c+".not")
		}
		for code := range p.LimitedByTexts {
			add("elig.limited." + code)
		}
		for _, name := range assurance.FactNames() {
			if name == "coverage" || name == "buyer_tier" || name == "inspection_result" || name == "currency" || name == "evidence" {
				continue // never missing: they have defaults
			}
			add("elig.q."+name, "elig.short."+name)
			if _, ok := formFacts[name]; ok {
				add("elig.label." + name)
			}
		}
		for tier := range p.ClaimWindowDays {
			add("elig.tier." + tier)
		}
		for code, risk := range p.Incoterms {
			add("elig.incoterm."+strings.ToLower(code), "elig.known.risk."+risk, "elig.answer.risk."+risk)
		}
		for _, r := range []string{"pass", "fail", "pending", "none"} {
			add("elig.inspection." + r)
		}
		for _, c := range []string{assurance.CoveragePostDelivery, assurance.CoveragePreShipment} {
			add("elig.coverage." + c)
		}
		for _, m := range p.PaymentMethods {
			for _, w := range m.Warnings {
				add("pay.warn." + w)
			}
			for _, r := range m.Requirements {
				add("pay.req." + r)
			}
		}
		for _, w := range []string{assurance.WarnLegacy, assurance.WarnDisabled, assurance.WarnMayArriveShort,
			assurance.WarnTotalOverLimit, assurance.WarnLimitUnverified, assurance.WarnCountryUnverified} {
			add("pay.warn." + w)
		}
		for _, tp := range guideTopics {
			add("guide.topic."+tp.code, "guide."+tp.code+".title", "guide."+tp.code+".body")
			for i := 1; i <= tp.fields; i++ {
				add("guide."+tp.code+"."+strconv.Itoa(i)+".name", "guide."+tp.code+"."+strconv.Itoa(i)+".value")
			}
		}
	})
}

// The answers' commands fit Discord's rules, and every description and choice name is a text,
// not a catalog key left untranslated.
func TestAnswersCommandsFitDiscord(t *testing.T) {
	cat, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	a := &App{Policy: assurance.Default(), Cat: cat}
	rawKey := regexp.MustCompile(`^[a-z0-9_\-]+(\.[a-z0-9_\-]+)+$`)
	seen := 0
	for _, cmd := range a.Definitions() {
		if cmd.Name != "eligibility" && cmd.Name != "payment" && cmd.Name != "guide" {
			continue
		}
		seen++
		if err := ValidateCommand(cmd); err != nil {
			t.Errorf("/%s: %v", cmd.Name, err)
		}
		check := func(s string) {
			if rawKey.MatchString(s) {
				t.Errorf("/%s: %q is a catalog key, not a text", cmd.Name, s)
			}
		}
		check(cmd.Description)
		for _, o := range cmd.Options {
			check(o.Description)
			for _, so := range o.Options {
				check(so.Description)
				for _, ch := range so.Choices {
					check(ch.Name)
				}
			}
			for _, ch := range o.Choices {
				check(ch.Name)
			}
		}
	}
	if seen != 3 {
		t.Fatalf("found %d of the 3 commands", seen)
	}
}
