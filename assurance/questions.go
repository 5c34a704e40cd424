package assurance

import "slices"

// NextQuestion returns the name of the next fact to ask a member about f, as the dispute
// walk-through does (POLICY.md section 5: "the facts that the eligibility rules need for that
// issue"), or "" when the rules need nothing more. Evidence has a checklist of its own, so the
// issue's required evidence is taken as present here; the walk-through asks it next. It asks:
//
//  1. the first absent fact a rule stops on (Result.Missing without evidence), in rule order;
//  2. once the rules decide, a fact that has a default and would change the verdict if the
//     member gave the other answer: accepted_in_writing (absent = false, rule 7) and
//     inspection_result (absent = none; "pass" decides rule 14).
//
// A fact the member answered is present in f, so answering each question in turn and asking
// again ends: every round sets one more fact. Facts the member cannot answer (status, issue,
// today) are never returned; "today" must be set by the caller.
func (p *Policy) NextQuestion(f Facts) string {
	g := p.withIssueEvidence(f)
	r := p.Evaluate(g)
	switch r.Verdict {
	case VerdictInvalid:
		return ""
	case VerdictNeedsInfo:
		for _, m := range r.Missing {
			switch m {
			case "status", "issue", "today":
				continue
			}
			return m
		}
		return ""
	}
	for _, q := range []struct {
		name  string
		unset bool
		other func(*Facts)
	}{
		{"accepted_in_writing", f.AcceptedInWriting == nil, func(h *Facts) { h.AcceptedInWriting = Ptr(true) }},
		{"inspection_result", f.InspectionResult == "", func(h *Facts) { h.InspectionResult = InspectionPass }},
	} {
		if !q.unset {
			continue
		}
		h := g
		q.other(&h)
		if p.Evaluate(h).Verdict != r.Verdict {
			return q.name
		}
	}
	return ""
}

// withIssueEvidence returns f with the evidence its issue requires added.
func (p *Policy) withIssueEvidence(f Facts) Facts {
	f.Evidence = slices.Clone(f.Evidence)
	if is := p.issue(f.Issue); is != nil {
		for _, k := range is.Evidence {
			if !slices.Contains(f.Evidence, k) {
				f.Evidence = append(f.Evidence, k)
			}
		}
	}
	return f
}
