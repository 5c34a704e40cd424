package commands

import (
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
)

// TestDisputeCatalogKeys checks the keys the dispute flow builds from codes (issues, facts, evidence,
// stages, moves, advice ...): every code the policy or the engine can produce has its text.
func TestDisputeCatalogKeys(t *testing.T) {
	checkBuiltKeys(t, func(p *assurance.Policy, add func(...string)) {
		for _, is := range p.Issues {
			add("issue."+is.Code, "dispute.issue."+is.Code+".hint", "dispute.claim.issue."+is.Code)
		}
		add("dispute.button.enter."+qText, "dispute.form.placeholder."+qText)
		for _, f := range askedFacts {
			add("elig.short."+f, "elig.q."+f, "dispute.q."+f+".help")
			kind, choices := questionKind(f)
			switch {
			case f == "transit_risk":
				for _, c := range choices {
					add("elig.answer.risk."+c, "elig.btn.risk_"+c)
				}
			case kind == qChoice:
				for _, c := range choices {
					add("elig.inspection." + c)
				}
			case kind == qDate, kind == qAmount:
				add("dispute.button.enter."+kind, "dispute.form.placeholder."+kind)
			}
		}
		for _, k := range p.EvidenceKinds {
			add("dispute.evidence." + k)
		}
		for _, r := range p.Reasons {
			add("dispute.advice." + r.Advice)
		}
		for _, v := range []string{assurance.VerdictEligible, assurance.VerdictNotEligible, assurance.VerdictNotYet, assurance.VerdictNeedsInfo, assurance.VerdictInvalid} {
			add("dispute.verdict." + v)
		}
		for code := range p.LimitedByTexts {
			add("elig.limited." + code)
		}
		for _, s := range []assurance.Stage{assurance.StageNegotiation, assurance.StageEscalated, assurance.StageResolvedRefund,
			assurance.StageResolvedNoRefund, assurance.StageCancelledByBuyer, assurance.StageClosedNoResponse} {
			add("dispute.stage." + string(s))
		}
		for _, m := range assurance.DisputeMoves {
			add("dispute.move."+string(m), "dispute.update.role."+string(m))
		}
		for _, s := range assurance.Statuses {
			if _, err := assurance.Transition(s, assurance.ActionOpenDispute, assurance.RoleBuyer, assurance.Input{}); err != nil {
				add("dispute.open.state." + string(s))
			}
		}
		for s := range stepNumbers {
			add("dispute.step." + s)
		}
		for _, s := range []string{stepIssue, stepFacts, stepEvidence, stepRefund} {
			add("dispute.edit."+s, "dispute.edit."+s+".hint")
		}
		for _, r := range []string{refundFull, refundQuantity, refundAmount} {
			add("dispute.refund.text." + r)
		}
		for _, s := range []string{"quality", "packaging", "customisation", "design_files"} {
			add("dispute.claim.spec." + s)
		}
	})
}
