package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

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
	return a.startWalk(ctx, r, o, role)
}

// disputeOpenClick is the "Open a dispute" button of an eligibility verdict (v1:dispute:open:<order>).
func (a *App) disputeOpenClick(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := strconv.ParseInt(r.Custom.ID, 10, 64)
	if err != nil || n < 1 {
		return nil, Fail("error.unknown_interaction")
	}
	o, role, err := a.loadOrderNumber(ctx, r, n)
	if err != nil {
		return nil, err
	}
	return a.startWalk(ctx, r, o, role)
}

// startWalk checks that the member may open a dispute on the order now, then shows the first step
// (or where their walk-through stands) as a new ephemeral message.
func (a *App) startWalk(ctx context.Context, r *Request, o *state.Order, role assurance.Role) (*discordgo.InteractionResponse, error) {
	if role != assurance.RoleBuyer {
		return nil, Fail("dispute.open.not_buyer", "order", o.Number)
	}
	if d, err := a.activeDispute(ctx, o); err != nil || d != nil {
		if err != nil {
			return nil, err
		}
		return nil, Fail("dispute.open.already", "order", o.Number, "dispute", d.Number,
			"issue", r.Msg.T("dispute.issue."+d.Issue), "stage", r.Msg.T("dispute.stage."+string(d.Stage)), "opened", d.Opened.String())
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
	data, err := (&disputeData{Order: o.Number}).encode()
	if err != nil {
		return nil, err
	}
	c = &state.Conversation{Guild: r.Guild, ID: convID(o.Number), Flow: disputeFlow, Step: stepIssue, Owner: r.User.ID,
		Key: convKey(o.Number, r.User.ID), Data: data}
	if err := a.Store.StartConversation(ctx, c, r.Now, disputeTTL); err != nil {
		return nil, err
	}
	w := &walk{r: r, c: c, d: &disputeData{Order: o.Number}, o: o, today: assurance.DateOf(r.Now)}
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
	server, err := a.memberRole(ctx, r)
	if err != nil {
		return "", nil, err
	}
	role := orderRole(server, r, w.o)
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
		Buyer: w.o.Buyer, BuyerName: r.User.Username, Issue: w.d.Issue, Stage: assurance.StageNegotiation,
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
	change := func(o *state.Order) (*state.Dispute, state.Event, error) {
		if o.Dispute != 0 {
			return nil, state.Event{}, errDisputeInForce
		}
		if _, err := assurance.Transition(o.Status, assurance.ActionOpenDispute, role, assurance.Input{}); err != nil {
			return nil, state.Event{}, err
		}
		ue, rerr := a.refileRefusal(ctx, o, w.d.Issue)
		if rerr != nil {
			return nil, state.Event{}, rerr
		}
		if refile = ue; ue != nil {
			return nil, state.Event{}, errRefused
		}
		o.Disputes++
		o.Dispute, o.Prior, o.Status, o.UpdatedAt = o.Disputes, o.Status, assurance.InDispute, at
		d := base
		d.Number, d.Prior = o.Dispute, o.Prior
		ev := state.Event{Type: "dispute", Actor: r.User.ID, Name: r.User.Username, At: at, From: o.Prior, To: o.Status,
			Note: fmt.Sprintf("dispute #%d opened: %s", d.Number, d.Issue)}
		return &d, ev, nil
	}
	o, d, err := a.Store.ChangeDispute(ctx, r.Guild, w.o.Number, w.o, change, w.d.Items...)
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
	a.announce(ctx, r, o, func(p Printer) *discordgo.MessageEmbed {
		e := &discordgo.MessageEmbed{Color: colorWarn,
			Title:       p.T("dispute.announce.opened", "order", o.Number, "dispute", d.Number),
			Description: p.T("dispute.announce.opened_text", "buyer", "<@"+o.Buyer+">", "issue", p.T("dispute.issue."+d.Issue), "amount", assurance.FormatMoney(d.Asked, d.Currency)),
		}
		return e
	})
	return stepDone, nil, nil
}
