package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// disputeOpen starts the walk-through for an order, or continues the member's walk-through in progress.
func (a *App) disputeOpen(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	o, role, err := a.loadOrder(ctx, r, "order")
	if err != nil {
		return nil, err
	}
	return a.startWalk(ctx, r, o, role, nil)
}

// disputeOpenClick is the "Open a dispute" button of an eligibility verdict:
// v1:dispute:open:<order>[:<issue>[:<eligibility conversation>]]. The issue and the answers the member
// already gave there carry over, so the walk-through does not ask them again.
func (a *App) disputeOpenClick(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := strconv.ParseInt(r.Custom.ID, 10, 64)
	if err != nil || n < 1 {
		return nil, Fail("dispute.bad_button")
	}
	oc, err := a.openOrder(ctx, r, n, nil)
	if err != nil {
		return nil, err
	}
	var first *disputeData
	if issue := r.Custom.Arg(0); issue != "" {
		if _, ok := a.Policy.Issue(issue); ok {
			first = &disputeData{Order: n, Issue: issue}
			if err := a.carryOver(ctx, r, first, r.Custom.Arg(1)); err != nil {
				return nil, err
			}
		}
	}
	return a.startWalk(ctx, r, oc.o, oc.role, first)
}

// disputeButtonID is the custom_id of an eligibility verdict's "Open a dispute" button: the order, the
// issue and the eligibility conversation whose answers the walk-through takes over.
func disputeButtonID(order int64, conv *state.Answers) CustomID {
	args := []string{conv.Issue}
	if conv.ID != "" {
		args = append(args, conv.ID)
	}
	return CustomID{Flow: disputeFlow, Step: actOpen, ID: strconv.FormatInt(order, 10), Args: args}
}

// carryOver copies the answers of the member's eligibility conversation about the same order and issue.
func (a *App) carryOver(ctx context.Context, r *Request, d *disputeData, id string) error {
	if id == "" {
		return nil
	}
	conv, err := a.Store.GetAnswers(ctx, r.Guild, id)
	if state.IsNotFound(err) {
		return nil // expired: the walk-through asks again
	}
	if err != nil {
		return err
	}
	if conv.Owner != r.User.ID || conv.Order != d.Order || conv.Issue != d.Issue {
		return nil
	}
	names := make([]string, 0, len(conv.Values))
	for k := range conv.Values {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, name := range names {
		v := conv.Values[name]
		kind, isEvidence := strings.CutPrefix(name, assurance.EvidencePrefix)
		switch {
		case v == answerUnsure:
		case isEvidence:
			if v == answerHave {
				d.Evidence = append(d.Evidence, kind)
			}
		case name == "claimed":
			d.Refund, d.Amount = refundAmount, v
		case name == "affected_qty":
			d.Refund = refundQuantity
			d.Affected, _ = strconv.ParseInt(v, 10, 64)
		case name == "total_qty":
			d.Total, _ = strconv.ParseInt(v, 10, 64)
		default:
			d.Answers = append(d.Answers, state.Answer{Fact: name, Value: v, At: r.Now.UTC()})
		}
	}
	return nil
}

// startWalk checks that the member may open a dispute on the order now, then shows the first step
// (or where their walk-through stands) as a new ephemeral message.
// first, when not nil, is what the walk-through already knows (from an eligibility verdict): it then
// starts at the step after the issue.
func (a *App) startWalk(ctx context.Context, r *Request, o *state.Order, role assurance.Role, first *disputeData) (*discordgo.InteractionResponse, error) {
	if role != assurance.RoleBuyer {
		return nil, Fail("dispute.open.not_buyer", "order", o.Number)
	}
	if d, err := a.activeDispute(ctx, o); err != nil || d != nil {
		if err != nil {
			return nil, err
		}
		return nil, Fail("dispute.open.already", "order", o.Number, "dispute", d.Number,
			"issue", a.issueName(r.Msg, d.Issue), "stage", r.Msg.T("dispute.stage."+string(d.Stage)), "opened", d.Opened.String())
	}
	if _, err := assurance.Transition(o.Status, assurance.ActionOpenDispute, role, assurance.Input{}); err != nil {
		return nil, Fail("dispute.open.state."+string(o.Status), "order", o.Number)
	}
	c, err := a.Store.FindConversation(ctx, r.Guild, disputeFlow, convKey(o.Number, r.User.ID))
	if err == nil && c.Step != stepDone {
		// Continue: a new version, so the buttons of the older message (perhaps gone with a client
		// restart: ephemeral messages do not survive one) stop working.
		switch err := a.Store.AdvanceConversation(ctx, c, r.Now, disputeTTL); {
		case err == nil:
			w, err := a.loadWalk(ctx, r, c)
			if err != nil {
				return nil, err
			}
			return a.screen(ctx, w, r.Msg.T("dispute.resumed", "started", stamp(c.Started)), false)
		case !state.IsConflict(err) && !state.IsNotFound(err):
			return nil, err
		}
	} else if err != nil && !state.IsNotFound(err) {
		return nil, err
	}
	c = &state.Conversation{Guild: r.Guild, ID: convID(o.Number), Flow: disputeFlow, Step: stepIssue, Owner: r.User.ID,
		Key: convKey(o.Number, r.User.ID)}
	w := &walk{r: r, c: c, d: &disputeData{Order: o.Number}, o: o, role: role, today: assurance.DateOf(r.Now)}
	if first != nil {
		ue, err := a.refileRefusal(ctx, o, first.Issue)
		if err != nil {
			return nil, err
		}
		if ue == nil {
			w.d = first
			if c.Step, err = a.afterFacts(ctx, w); err != nil {
				return nil, err
			}
		}
	}
	if c.Data, err = w.d.encode(); err != nil {
		return nil, err
	}
	if err := a.Store.StartConversation(ctx, c, r.Now, disputeTTL); err != nil {
		return nil, err
	}
	return a.screen(ctx, w, "", false)
}

// Refusals inside a dispute change (nothing is written).
var (
	errDisputeInForce = errors.New("a dispute is in force on the order")
	errRefused        = errors.New("refused")
)

// onConfirm files the dispute: the record, the order in in_dispute and its timeline event, all at once;
// then the buyer gets the claim text. A reading other than "eligible" is filed as against the bot's reading.
func (a *App) onConfirm(ctx context.Context, w *walk) (string, *discordgo.InteractionResponse, error) {
	if w.c.Step != stepReview {
		return a.offStep(ctx, w)
	}
	r := w.r
	f, err := a.facts(ctx, w, true)
	if err != nil {
		return "", nil, err
	}
	res := a.Policy.Evaluate(f)
	facts, err := json.Marshal(f)
	if err != nil {
		return "", nil, fmt.Errorf("encode facts: %w", err)
	}
	refund := w.d.Refund
	if refund == "" {
		refund = refundFull
	}
	at := r.Now.UTC()
	base := state.Dispute{
		Buyer: w.o.Buyer, BuyerName: actor(r).name, Issue: w.d.Issue, Stage: assurance.StageNegotiation,
		Verdict: res.Verdict, Reason: res.Reason, Against: res.Verdict != assurance.VerdictEligible,
		MaxRefund: res.MaxRefund, LimitedBy: res.LimitedBy, Refund: refund, Asked: a.asked(f, w.o),
		Currency: w.o.Currency, Answers: w.d.Answers, Evidence: f.Evidence, Facts: facts,
		Opened: w.today, OpenedAt: at, Deadline: res.Deadline,
	}
	if res.Computation != nil {
		base.Computation = res.Computation.Steps
	}
	if refund == refundQuantity {
		base.AffectedQty = w.d.Affected
		if f.TotalQty != nil {
			base.TotalQty = *f.TotalQty
		}
	}
	var refile *UserError
	change := func(o *state.Order) (*state.Dispute, []state.Event, error) {
		if o.Dispute != 0 {
			return nil, nil, errDisputeInForce
		}
		in := moveInput(o)
		to, err := assurance.Transition(o.Status, assurance.ActionOpenDispute, w.role, in)
		if err != nil {
			return nil, nil, err
		}
		ue, rerr := a.refileRefusal(ctx, o, w.d.Issue)
		if rerr != nil {
			return nil, nil, rerr
		}
		if refile = ue; ue != nil {
			return nil, nil, errRefused
		}
		o.Disputes++
		d := base
		d.Number, d.Prior = o.Disputes, o.Status
		args := disputeArgs(&d, "", nil)
		args["asked"] = assurance.FormatMoney(d.Asked, d.Currency)
		e := move(o, assurance.ActionOpenDispute, to, in, actor(r), at, "", args)
		o.Dispute = d.Number
		return &d, []state.Event{e}, nil
	}
	o, d, evs, err := a.writeDispute(ctx, r, w.o, change, w.d.Items...)
	var te *assurance.TransitionError
	switch {
	case errors.Is(err, errRefused) && refile != nil:
		return a.stay(ctx, w, refile)
	case errors.As(err, &te) && te.Code == assurance.CodeWrongRole:
		return "", nil, Fail("dispute.open.not_buyer", "order", w.o.Number)
	case errors.As(err, &te):
		return "", nil, Fail("dispute.open.state."+string(te.From), "order", w.o.Number)
	case errors.Is(err, errDisputeInForce):
		resp, err := a.reshow(ctx, r, w.c.ID, r.Msg.T("dispute.open.in_force", "order", w.o.Number))
		return "", resp, err
	case err != nil:
		return "", nil, err
	}
	w.o, w.d.Dispute = o, d.Number
	a.announce(ctx, r, w.st, o, evs, nil)
	return stepDone, nil, nil
}
