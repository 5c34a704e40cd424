package assurance

import "slices"

// CodeLeadsElsewhere: the member may take the step that leaves this state, but it leads to another
// state than the one asked for (funds arrived on a deposit leads to awaiting_balance, not
// awaiting_shipment). The refusal is a *TargetError.
const CodeLeadsElsewhere RefusalCode = "leads_elsewhere"

// TargetError is a refused move to a state that the member's step would not reach.
type TargetError struct {
	From, Target Status
	Action       Action // the step the member may take
	Leads        Status // where it leads instead
	Code         RefusalCode
}

func (e *TargetError) Error() string {
	return "assurance: " + string(e.Action) + " leads from " + string(e.From) + " to " + string(e.Leads) + ", not " + string(e.Target)
}

// ActionTo finds the action that moves an order in state from to target when a member with role asks
// for that state (the /order update status option), ActionForce aside. Of the actions whose rule can
// lead to target, the first in Actions order that role may take and that does lead there with in wins.
// Refusals: a *TransitionError with CodeUnknownState or CodeInvalidTarget (unknown target, or the
// current state), CodeWrongState (no action leads there), CodeWrongRole (only another role, or the
// bot's timers, may; Action names that step), or the code Transition gave (a missing date); or a
// *TargetError when the member's step leads elsewhere.
func ActionTo(from, target Status, role Role, in Input) (Action, error) {
	refuse := func(a Action, c RefusalCode) (Action, error) {
		return "", &TransitionError{From: from, Action: a, Role: role, Code: c}
	}
	switch {
	case !from.Valid():
		return refuse("", CodeUnknownState)
	case !target.Valid() || target == from:
		return refuse("", CodeInvalidTarget)
	}
	var other Action
	var firstErr error
	for _, rule := range ActionRules(from) {
		if rule.Action == ActionForce || !slices.Contains(rule.To, target) {
			continue
		}
		if !slices.Contains(rule.Roles, role) {
			if other == "" {
				other = rule.Action
			}
			continue
		}
		got, err := Transition(from, rule.Action, role, in)
		switch {
		case err == nil && got == target:
			return rule.Action, nil
		case firstErr != nil:
		case err != nil:
			firstErr = err
		default:
			firstErr = &TargetError{From: from, Target: target, Action: rule.Action, Leads: got, Code: CodeLeadsElsewhere}
		}
	}
	if firstErr != nil {
		return "", firstErr
	}
	if other != "" {
		return refuse(other, CodeWrongRole)
	}
	return refuse("", CodeWrongState)
}

// Spec checklist items of POLICY.md 2.2, in display order.
const (
	SpecDesignFiles   = "design_files"
	SpecQuality       = "quality"
	SpecQuantity      = "quantity"
	SpecPackaging     = "packaging"
	SpecCustomisation = "customisation"
)

// Checklist is an order's spec checklist (POLICY.md 2.2): without an item, a quality dispute about
// it is hard to win.
type Checklist struct {
	DesignFiles, Quality, Packaging, Customisation string
	Quantity                                       int64
}

// Missing lists the items not filled in, in display order.
func (c Checklist) Missing() []string {
	var out []string
	for _, it := range []struct {
		code string
		ok   bool
	}{
		{SpecDesignFiles, c.DesignFiles != ""}, {SpecQuality, c.Quality != ""}, {SpecQuantity, c.Quantity > 0},
		{SpecPackaging, c.Packaging != ""}, {SpecCustomisation, c.Customisation != ""},
	} {
		if !it.ok {
			out = append(out, it.code)
		}
	}
	return out
}
