package commands

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// disputeUpdate records a stage of the dispute in force (POLICY.md section 5); the order's state follows.
func (a *App) disputeUpdate(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	oc, err := a.openOrderOption(ctx, r, "order")
	if err != nil {
		return nil, err
	}
	n := oc.o.Number
	var moves []string
	for _, m := range assurance.DisputeMoves {
		if m != assurance.MoveCancel {
			moves = append(moves, string(m))
		}
	}
	m, err := r.Choice("stage", moves...)
	if err != nil {
		return nil, err
	}
	amount, has, err := r.Amount("amount", oc.o.Currency, false)
	if err != nil {
		return nil, err
	}
	var amt *decimal.Decimal
	if has {
		amt = &amount
	}
	note, err := r.Text("note", false, maxNoteLen)
	if err != nil {
		return nil, err
	}
	if oc.o.Dispute == 0 {
		return nil, Fail("dispute.none", "order", n)
	}
	o, d, err := a.moveDispute(ctx, r, oc, oc.o.Dispute, assurance.DisputeMove(m), amt, note)
	if err != nil {
		return nil, err
	}
	return reply(false, "", []*discordgo.MessageEmbed{a.moveEmbed(r.Msg, o, d)}, nil), nil
}

// disputeCancel asks the buyer to confirm withdrawing the dispute in force: a withdrawn dispute cannot be reopened.
func (a *App) disputeCancel(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	oc, err := a.openOrderOption(ctx, r, "order")
	if err != nil {
		return nil, err
	}
	n := oc.o.Number
	d, err := a.activeDispute(ctx, oc.o)
	if err != nil {
		return nil, err
	}
	switch {
	case d == nil:
		return nil, Fail("dispute.none", "order", n)
	case oc.role != assurance.RoleBuyer:
		return nil, Fail("dispute.update.role.cancelled_by_buyer")
	case !d.Stage.Open():
		return nil, Fail("dispute.cancel.not_open", "order", n, "stage", r.Msg.T("dispute.stage."+string(d.Stage)))
	}
	p := r.Msg
	num := strconv.FormatInt(n, 10)
	yes := button(p.T("dispute.button.withdraw"), discordgo.DangerButton, CustomID{Flow: disputeFlow, Step: actWithdraw, ID: num, Args: []string{strconv.FormatInt(d.Number, 10)}})
	no := button(p.T("dispute.button.keep"), discordgo.SecondaryButton, CustomID{Flow: disputeFlow, Step: actKeep, ID: num})
	e := &discordgo.MessageEmbed{Color: colorWarn, Title: p.T("dispute.cancel.title", "order", n, "dispute", d.Number),
		Description: p.T("dispute.cancel.question", "issue", a.issueName(p, d.Issue))}
	return reply(false, "", []*discordgo.MessageEmbed{e}, []discordgo.MessageComponent{row(yes, no)}), nil
}

// disputeWithdraw withdraws the dispute once the buyer confirmed (v1:dispute:withdraw:<order>:<dispute>).
func (a *App) disputeWithdraw(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := customOrder(r)
	if err != nil {
		return nil, err
	}
	num, err := strconv.ParseInt(r.Custom.Arg(0), 10, 64)
	if err != nil {
		return nil, Fail("dispute.bad_button")
	}
	oc, err := a.openOrder(ctx, r, n, nil)
	if err != nil {
		return nil, err
	}
	o, d, err := a.moveDispute(ctx, r, oc, num, assurance.MoveCancel, nil, "")
	if errors.Is(err, errNotInForce) {
		return update(r.Msg.T("dispute.cancel.gone", "order", n, "dispute", num), nil, nil), nil
	}
	if err != nil {
		return nil, err
	}
	return update("", []*discordgo.MessageEmbed{a.moveEmbed(r.Msg, o, d)}, nil), nil
}

// disputeKeep dismisses the withdrawal question.
func (a *App) disputeKeep(_ context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	return update(r.Msg.T("dispute.cancel.kept", "order", r.Custom.ID), nil, nil), nil
}

// errNotInForce: the dispute a move names is no longer the order's dispute in force.
var errNotInForce = errors.New("the dispute is no longer in force")

// moveDispute records move m on dispute num of the order, under compare-and-set on the order: the rules
// are applied again to the order and dispute as stored if another write got there first. A move that
// changes the order's state is a status event like any other (see move); one that does not is a
// dispute event. Both are announced in the updates channel.
func (a *App) moveDispute(ctx context.Context, r *Request, oc *orderCtx, num int64, m assurance.DisputeMove,
	amount *decimal.Decimal, note string) (*state.Order, *state.Dispute, error) {
	at := r.Now.UTC()
	today := assurance.DateOf(at)
	role := oc.role
	if m == assurance.MoveAutoEscalate {
		role = assurance.RoleSystem
	}
	change := func(o *state.Order) (*state.Dispute, []state.Event, error) {
		if o.Dispute != num {
			return nil, nil, errNotInForce
		}
		d, err := a.Store.Dispute(ctx, o.Guild, o.Number, num)
		if err != nil {
			return nil, nil, err
		}
		f, err := a.storedFacts(ctx, o, d.Issue, today)
		if err != nil {
			return nil, nil, err
		}
		st := assurance.DisputeState{Status: o.Status, Prior: o.Prior, Stage: d.Stage, Opened: d.Opened, Paid: paid(f, o), Agreed: d.Agreed}
		plan, err := a.Policy.PlanDisputeMove(m, role, st, today, amount)
		if err != nil {
			return nil, nil, a.moveRefusal(r.Msg, m, st, o.Currency, err)
		}
		step := state.DisputeStep{Move: m, Stage: plan.Stage, By: r.User.ID, Name: actor(r).name, At: at, Note: note}
		if m == assurance.MoveResolveRefund {
			d.Agreed, step.Amount = amount, amount
		}
		args := disputeArgs(d, m, step.Amount)
		var e state.Event
		if plan.Action != "" {
			e = move(o, plan.Action, plan.To, moveInput(o), actor(r), at, note, args)
		} else {
			e = actor(r).event(evDispute, at)
			e.Note, e.Args = note, args
		}
		if plan.Ends {
			o.Dispute = 0
			d.EndedAt = at
		}
		d.Stage, d.Steps = plan.Stage, append(d.Steps, step)
		return d, []state.Event{e}, nil
	}
	o, d, evs, err := a.writeDispute(ctx, r, oc.o, change)
	if err != nil {
		if errors.Is(err, errNotInForce) && m != assurance.MoveCancel {
			return nil, nil, Fail("dispute.none", "order", oc.o.Number)
		}
		return nil, nil, err
	}
	a.announce(ctx, r, oc.st, o, evs, nil)
	return o, d, nil
}

// autoEscalate escalates the dispute in force on a timer's order on day 8 of its clock (POLICY.md
// section 5), as the bot. done is false when there is nothing to do (not due, no dispute).
func (a *App) autoEscalate(ctx context.Context, t state.Timer, now time.Time) (done bool, err error) {
	r := &Request{I: &discordgo.Interaction{GuildID: t.Guild}, Guild: t.Guild, Now: now, User: &discordgo.User{}, Msg: a.Cat.For(DefaultLanguage)}
	b := a.Store.Batch()
	st := b.Settings(t.Guild)
	or := b.Order(t.Guild, t.Number)
	if err := b.Exec(ctx); err != nil {
		return false, err
	}
	if or.Order == nil || or.Order.Dispute == 0 {
		return false, nil
	}
	oc := &orderCtx{st: *st, o: or.Order, server: assurance.RoleSystem, role: assurance.RoleSystem}
	_, _, err = a.moveDispute(ctx, r, oc, or.Order.Dispute, assurance.MoveAutoEscalate, nil, "")
	var ue *UserError
	if errors.As(err, &ue) {
		return false, nil // not due yet, or no longer in negotiation: the order's timer says when
	}
	return err == nil, err
}

// moveRefusal turns a refused move into the member's message.
func (a *App) moveRefusal(p Printer, move assurance.DisputeMove, st assurance.DisputeState, currency string, err error) error {
	var te *assurance.TransitionError
	var me *assurance.MoveError
	switch {
	case errors.As(err, &te) && te.Code == assurance.CodeWrongRole:
		return Fail("dispute.update.role." + string(move))
	case errors.As(err, &te) && te.Code == assurance.CodeWrongState:
		return Fail("dispute.update.state", "move", p.T("dispute.move."+string(move)),
			"stage", p.T("dispute.stage."+string(st.Stage)), "status", p.T("status."+string(st.Status)))
	case errors.As(err, &me) && me.Code == assurance.CodeTooEarly:
		return Fail("dispute.update.too_early", "date", me.Date.String())
	case errors.As(err, &me) && me.Code == assurance.CodeAmountRequired:
		return Fail("dispute.update.amount_required")
	case errors.As(err, &me) && me.Code == assurance.CodeAmountTooHigh:
		return Fail("dispute.update.amount_too_high", "paid", assurance.FormatMoney(st.Paid, currency))
	case errors.As(err, &me) && me.Code == assurance.CodeNotNegotiating:
		return Fail("dispute.update.not_negotiating")
	}
	return err
}

// moveEmbed reports the last move of a dispute: its stage and where the order stands.
func (a *App) moveEmbed(p Printer, o *state.Order, d *state.Dispute) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Color: colorInfo, Title: p.T("dispute.moved.title", "order", o.Number, "dispute", d.Number)}
	if n := len(d.Steps); n > 0 {
		s := d.Steps[n-1]
		e.Description = p.T("dispute.moved.text", "move", p.T("dispute.move."+string(s.Move)), "by", byWhom(p, s.By))
		if s.Amount != nil {
			e.Description += "\n" + p.T("dispute.moved.amount", "amount", assurance.FormatMoney(*s.Amount, d.Currency))
		}
		if s.Note != "" {
			e.Description += "\n> " + truncate(s.Note, maxNoteLen)
		}
	}
	e.Fields = []*discordgo.MessageEmbedField{
		field(p.T("dispute.status.stage"), p.T("dispute.stage."+string(d.Stage)), true),
		field(p.T("order.field.status"), p.T("status."+string(o.Status)), true),
	}
	if next := a.stageHint(p, o, d); next != "" {
		e.Fields = append(e.Fields, field(p.T("dispute.status.dates"), next, false))
	}
	return e
}
