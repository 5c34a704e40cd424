package commands

import (
	"context"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

func (a *App) orderChangeSpec() Spec {
	return Spec{
		Command: "order", Sub: "change", Handle: a.orderChange, Write: true, Autocomplete: a.orderSuggest,
		Options: []*discordgo.ApplicationCommandOption{
			orderOption(true),
			choiceOpt("field", true, choices("field.", termCodes()...)),
			strOpt("value", true, maxSpecLen),
		},
	}
}

// paymentRecorded reports whether any payment was ever recorded (the total is frozen from then on).
func paymentRecorded(o *state.Order) bool { return len(o.Payments) > 0 }

// orderChange changes a term of the order (POLICY.md 2.1): at once when the member may edit it, as
// a request waiting for the other side otherwise.
func (a *App) orderChange(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := orderNumber(r, "order")
	if err != nil {
		return nil, err
	}
	code, err := r.Choice("field", termCodes()...)
	if err != nil {
		return nil, err
	}
	t, ok := termFor(code)
	if !ok {
		return nil, Fail("error.field.required", "field", "field")
	}
	raw := r.String("value")
	if raw == "" {
		return nil, Fail("error.field.required", "field", "value")
	}
	oc, err := a.openOrder(ctx, r, n, nil)
	if err != nil {
		return nil, err
	}
	if code == fieldReceiptDeadline {
		return a.extendDeadline(ctx, r, oc)
	}
	// value reads the typed value against the order as it is.
	value := func(o *state.Order) (string, error) { return t.parse(a, o, raw) }
	if _, err := value(oc.o); err != nil {
		return nil, err
	}
	return a.changeTerm(ctx, r, oc, t, func(o *state.Order) (state.Change, error) {
		v, err := value(o)
		return state.Change{Field: code, Value: v}, err
	})
}

// changeTerm applies or requests a change of term t; build makes the change from the order as it is.
func (a *App) changeTerm(ctx context.Context, r *Request, oc *orderCtx, t term, build func(o *state.Order) (state.Change, error)) (*discordgo.InteractionResponse, error) {
	p, w := r.Msg, actor(r)
	var made state.Change
	// decide applies the change, or records the request, on the order as it is.
	decide := func(o *state.Order) ([]state.Event, error) {
		c, err := build(o)
		if err != nil {
			return nil, err
		}
		if c.Mode, err = assurance.ChangePolicy(o.Status, oc.role, t.term, paymentRecorded(o)); err != nil {
			return nil, refusal(p, o, oc.role, err)
		}
		if c.Mode == assurance.ChangeNeedsBoth {
			if err := a.checkShipCap(o, c); err != nil {
				return nil, err
			}
		}
		if fillsChecklist(o, oc.role, c) {
			c.Mode = assurance.ChangeDirect
		}
		c.By, c.ByName, c.Role, c.At = w.id, w.name, oc.role, r.Now.UTC()
		made = c
		if c.Mode == assurance.ChangeDirect {
			applyChange(o, c)
			return []state.Event{changeEvent(w, evChangeApplied, r.Now, c)}, nil
		}
		for _, other := range o.Changes {
			if other.Field == c.Field {
				return nil, Fail("refuse.change_pending", "number", o.Number, "id", other.ID, "field", p.T("field."+c.Field))
			}
		}
		o.ChangeSeq++
		c.ID = o.ChangeSeq
		c.Expiry = assurance.ChangeExpiry(r.Now.UTC(), a.Policy.Orders.ChangeRequestExpiryDays)
		o.Changes = append(o.Changes, c)
		made = c
		return []state.Event{changeEvent(w, evChangeRequested, r.Now, c)}, nil
	}
	if err := precheck(oc, decide); err != nil {
		return nil, err
	}
	o, evs, err := a.commit(ctx, r, oc, decide)
	if err != nil {
		return nil, err
	}
	if made.Mode == assurance.ChangeDirect {
		a.announce(ctx, r, oc.st, o, evs, nil)
		resp := a.movedReply(r, o, evs)
		resp.Data.Content = p.T("change.applied", "number", o.Number, "field", p.T("field."+made.Field))
		return resp, nil
	}
	sp := a.ServerPrinter(r, oc.st)
	a.announce(ctx, r, oc.st, o, evs, []discordgo.MessageComponent{row(decisionButtons(sp, o.Number, made.ID)...)})
	text := p.T("change.requested", "number", o.Number, "id", made.ID, "field", p.T("field."+made.Field),
		"waiting", p.T("mode."+string(made.Mode)), "expiry", made.Expiry.UTC().Format(timeLayout))
	rows := []discordgo.MessageComponent{row(changeButtons(p, o, made, r.User.ID, oc.role)...)}
	return reply(false, text, nil, rows), nil
}

// checkShipCap refuses a ship date more than 90 days (policy data) past the first agreed one (POLICY.md
// 2.1). Before a first ship date is agreed there is nothing to count from.
func (a *App) checkShipCap(o *state.Order, c state.Change) error {
	if c.Field != string(assurance.TermShipDate) || o.FirstShip.IsZero() {
		return nil
	}
	d, _ := assurance.ParseDate(c.Value)
	days := a.Policy.Orders.ShipDateMaxShiftDays
	if err := assurance.CheckShipDateShift(o.FirstShip, d, days); err != nil {
		return Fail("refuse.change.ship_date_cap", "number", o.Number, "first", o.FirstShip.String(),
			"latest", assurance.LatestShipDate(o.FirstShip, days).String(), "days", days)
	}
	return nil
}

// fillsChecklist reports whether a buyer's Specs form only fills in empty checklist items while the
// order awaits confirmation: that completes what creation records (POLICY.md 2.2), so it applies at
// once; changing an item already written is a change request (2.1).
func fillsChecklist(o *state.Order, role assurance.Role, c state.Change) bool {
	if c.Specs == nil || role != assurance.RoleBuyer || o.Status != assurance.AwaitingConfirmation {
		return false
	}
	old, next := o.Specs, *c.Specs
	for _, pair := range [][2]string{{old.Quality, next.Quality}, {old.Packaging, next.Packaging},
		{old.Customisation, next.Customisation}, {old.DesignFiles, next.DesignFiles}} {
		if pair[0] != "" && pair[0] != pair[1] {
			return false
		}
	}
	return true
}

// extendDeadline uses the member's side's one extension of the receipt deadline (POLICY.md 2.1).
func (a *App) extendDeadline(ctx context.Context, r *Request, oc *orderCtx) (*discordgo.InteractionResponse, error) {
	side, _ := assurance.SideOf(oc.role)
	decide := func(o *state.Order) ([]state.Event, error) {
		var sides []assurance.Side
		for _, s := range o.Extended {
			sides = append(sides, assurance.Side(s))
		}
		days, err := assurance.ExtendReceiptDeadline(o.Status, oc.role, sides, a.Policy.Orders)
		if err != nil {
			return nil, refusal(r.Msg, o, oc.role, err)
		}
		o.Extended = append(o.Extended, string(side))
		e := actor(r).event(evExtended, r.Now)
		e.Args = map[string]string{"days": strconv.Itoa(days), "side": string(side)}
		return []state.Event{e}, nil
	}
	if err := precheck(oc, decide); err != nil {
		return nil, err
	}
	o, evs, err := a.commit(ctx, r, oc, decide)
	if err != nil {
		return nil, err
	}
	a.announce(ctx, r, oc.st, o, evs, nil)
	return a.movedReply(r, o, evs), nil
}

// decisionButtons are Accept and Reject for change request id (anyone may press; the handler checks).
func decisionButtons(p Printer, n int64, id int) []discordgo.MessageComponent {
	arg := []string{strconv.Itoa(id)}
	return []discordgo.MessageComponent{
		button(p.T("button.accept", "id", id), discordgo.SuccessButton, CustomID{Flow: flowChange, Step: "yes", ID: num(n), Args: arg}),
		button(p.T("button.reject", "id", id), discordgo.DangerButton, CustomID{Flow: flowChange, Step: "no", ID: num(n), Args: arg}),
	}
}

// changeButtons are the buttons a member gets for a pending request: Withdraw for its requester,
// Accept and Reject for who may decide it, nothing for anyone else.
func changeButtons(p Printer, o *state.Order, c state.Change, user string, role assurance.Role) []discordgo.MessageComponent {
	if c.By == user {
		return []discordgo.MessageComponent{button(p.T("button.withdraw", "id", c.ID), discordgo.SecondaryButton,
			CustomID{Flow: flowChange, Step: "no", ID: num(o.Number), Args: []string{strconv.Itoa(c.ID)}})}
	}
	if assurance.CanDecide(c.Mode, c.Role, role, false) {
		return decisionButtons(p, o.Number, c.ID)
	}
	return nil
}

// changeRoutes are the Accept, Reject and Withdraw buttons.
func (a *App) changeRoutes() []Route {
	return []Route{
		{Type: discordgo.InteractionMessageComponent, Path: flowChange + ":yes", Handle: a.changeDecide, Write: true},
		{Type: discordgo.InteractionMessageComponent, Path: flowChange + ":no", Handle: a.changeDecide, Write: true},
	}
}

// changeDecide accepts or rejects a change request (or withdraws it, for its requester). A request
// past its 7 days is expired instead, and the order stays as it was.
func (a *App) changeDecide(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := customOrder(r)
	if err != nil {
		return nil, err
	}
	id, err := strconv.Atoi(r.Custom.Arg(0))
	if err != nil {
		return nil, Fail("error.unknown_interaction")
	}
	accept := r.Custom.Step == "yes"
	oc, err := a.openOrder(ctx, r, n, nil)
	if err != nil {
		return nil, err
	}
	p, w := r.Msg, actor(r)
	outcome := ""
	o, evs, err := a.Store.UpdateOrder(ctx, r.Guild, n, oc.o, func(o *state.Order) ([]state.Event, error) {
		c := o.Change(id)
		if c == nil {
			return nil, Fail("refuse.change_gone", "number", n, "id", id)
		}
		cur := *c
		o.UpdatedAt = r.Now.UTC()
		if !r.Now.Before(cur.Expiry) {
			o.DropChange(id)
			outcome = evChangeExpired
			return []state.Event{changeEvent(system, evChangeExpired, r.Now, cur)}, nil
		}
		mine := cur.By == r.User.ID
		switch {
		case mine && !accept:
			o.DropChange(id)
			outcome = evChangeWithdrawn
			return []state.Event{changeEvent(w, evChangeWithdrawn, r.Now, cur)}, nil
		case mine:
			return nil, Fail("refuse.own_request", "id", id)
		case !assurance.CanDecide(cur.Mode, cur.Role, oc.role, false):
			return nil, Fail("refuse.cannot_decide", "id", id, "waiting", p.T("mode."+string(cur.Mode)))
		case !accept:
			o.DropChange(id)
			outcome = evChangeRejected
			return []state.Event{changeEvent(w, evChangeRejected, r.Now, cur)}, nil
		}
		t, _ := termFor(cur.Field)
		if _, err := assurance.ChangePolicy(o.Status, cur.Role, t.term, paymentRecorded(o)); err != nil {
			return nil, refusal(p, o, oc.role, err)
		}
		if paymentRecorded(o) {
			if err := a.checkShipCap(o, cur); err != nil {
				return nil, err
			}
		}
		o.DropChange(id)
		applyChange(o, cur)
		a.schedule(o)
		outcome = evChangeAccepted
		return []state.Event{changeEvent(w, evChangeAccepted, r.Now, cur)}, nil
	})
	if state.IsConflict(err) {
		return nil, Fail("error.busy", "number", n)
	}
	if err != nil {
		return nil, err
	}
	a.announce(ctx, r, oc.st, o, evs, nil)
	e := a.orderEmbed(p, o)
	e.Description = eventText(p, evs[len(evs)-1], false)
	return update(p.T("change.outcome."+outcome, "id", id), []*discordgo.MessageEmbed{e}, nil), nil
}
