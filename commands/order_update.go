package commands

import (
	"context"
	"encoding/json"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

func (a *App) orderUpdateSpec() Spec {
	return Spec{
		Command: "order", Sub: "update", Handle: a.orderUpdate, Write: true, Autocomplete: a.orderSuggest,
		Options: []*discordgo.ApplicationCommandOption{
			orderOption(true),
			choiceOpt("status", false, choices("status.", statusValues(valuePaymentFailed)...)),
			strOpt("note", false, maxNoteLen),
			strOpt("tracking", false, maxTrackingLen),
			dateOpt("date"),
			{Type: discordgo.ApplicationCommandOptionBoolean, Name: "force"},
		},
	}
}

// moveRequest is a requested status change with what comes with it.
type moveRequest struct {
	Target   string         `json:"target"` // a state code, or valuePaymentFailed
	Date     assurance.Date `json:"date,omitzero"`
	Tracking string         `json:"tracking,omitempty"`
	Note     string         `json:"note,omitempty"`
	Force    bool           `json:"force,omitempty"`
}

// orderUpdate moves the order on (with a status), or posts a progress note or tracking number.
func (a *App) orderUpdate(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := orderNumber(r, "order")
	if err != nil {
		return nil, err
	}
	var req moveRequest
	if req.Target, err = r.Choice("status", statusValues(valuePaymentFailed)...); err != nil {
		return nil, err
	}
	if req.Note, err = r.textOpt("note", false, maxNoteLen, true); err != nil {
		return nil, err
	}
	if req.Tracking, err = r.textOpt("tracking", false, maxTrackingLen, false); err != nil {
		return nil, err
	}
	if req.Date, err = r.Date("date"); err != nil {
		return nil, err
	}
	if o := r.Option("force"); o != nil {
		req.Force, _ = o.Value.(bool)
	}
	switch {
	case req.Target == "" && !req.Date.IsZero():
		return nil, Fail("error.update.date_needs_status", "field", "date")
	case req.Target == "" && req.Force:
		return nil, Fail("error.update.force_needs_status", "field", "force")
	case req.Target == "" && req.Note == "" && req.Tracking == "":
		return nil, Fail("error.update.nothing")
	}
	oc, err := a.openOrder(ctx, r, n, nil)
	if err != nil {
		return nil, err
	}
	switch {
	case req.Target != "":
		return a.moveOrder(ctx, r, oc, req, false)
	case req.Tracking != "":
		return a.setTracking(ctx, r, oc, req)
	}
	return a.postNote(ctx, r, oc, req.Note)
}

// postNote appends a progress note to the timeline (no compare-and-set: notes never conflict).
func (a *App) postNote(ctx context.Context, r *Request, oc *orderCtx, note string) (*discordgo.InteractionResponse, error) {
	e := actor(r).event(evNote, r.Now)
	e.Note = note
	if err := a.Store.AddNote(ctx, r.Guild, oc.o.Number, e); err != nil {
		if state.IsNotFound(err) {
			return nil, Fail("error.order.not_found", "number", oc.o.Number)
		}
		return nil, err
	}
	a.announce(ctx, r, oc.st, oc.o, []state.Event{e}, nil)
	return reply(false, r.Msg.T("update.noted", "number", oc.o.Number), nil, nil), nil
}

// setTracking records a tracking number without a status change.
func (a *App) setTracking(ctx context.Context, r *Request, oc *orderCtx, req moveRequest) (*discordgo.InteractionResponse, error) {
	o, evs, err := a.write(ctx, r, oc, func(o *state.Order) ([]state.Event, error) {
		if o.Status.Terminal() {
			return nil, refusal(r.Msg, o, oc.role, &assurance.ChangeError{Status: o.Status, Role: oc.role, Code: assurance.CodeOrderClosed})
		}
		o.Tracking = req.Tracking
		e := actor(r).event(evTracking, r.Now)
		e.Note, e.Args = req.Note, map[string]string{"tracking": req.Tracking}
		return []state.Event{e}, nil
	})
	if err != nil {
		return nil, err
	}
	a.announce(ctx, r, oc.st, o, evs, nil)
	return reply(false, r.Msg.T("update.tracking", "number", o.Number, "tracking", req.Tracking), nil, nil), nil
}

// moveOrder applies a status change through the state machine (or a moderator's forced move). A
// buyer confirming receipt after a failed inspection is warned first unless ack is set.
func (a *App) moveOrder(ctx context.Context, r *Request, oc *orderCtx, req moveRequest, ack bool) (*discordgo.InteractionResponse, error) {
	p := r.Msg
	today := assurance.DateOf(r.Now)
	if req.Force && oc.server != assurance.RoleModerator {
		return nil, Fail("refuse.force_moderator")
	}
	if req.Date.After(today) {
		return nil, Fail("error.date.future", "field", "date", "value", req.Date.String())
	}
	// pick finds the action and target on the order as it is now.
	pick := func(o *state.Order) (assurance.Action, assurance.Status, assurance.Input, error) {
		in := moveInput(o)
		in.Date = req.Date
		if in.Date.IsZero() {
			in.Date = today
		}
		if req.Force {
			in.Target, in.Reason = assurance.Status(req.Target), req.Note
			to, err := assurance.Transition(o.Status, assurance.ActionForce, assurance.RoleModerator, in)
			return assurance.ActionForce, to, in, err
		}
		if req.Target == valuePaymentFailed {
			to, err := assurance.Transition(o.Status, assurance.ActionPaymentFailed, oc.role, in)
			return assurance.ActionPaymentFailed, to, in, err
		}
		act, err := assurance.ActionTo(o.Status, assurance.Status(req.Target), oc.role, in)
		return act, assurance.Status(req.Target), in, err
	}
	decide := func(o *state.Order) ([]state.Event, error) {
		act, to, in, err := pick(o)
		switch {
		case err != nil:
			return nil, refusal(p, o, oc.role, err)
		case act == assurance.ActionRecordPayment:
			return nil, Fail("refuse.use_pay", "number", o.Number)
		case act.Dispute():
			// A dispute moves with its record (the walk-through's answers, the clock, the claim).
			return nil, Fail("refuse.use_dispute", "number", o.Number, "how", p.T("how."+string(act)))
		case act == assurance.ActionConfirmReceipt && !o.ShippedOn.IsZero() && in.Date.Before(o.ShippedOn):
			return nil, Fail("error.date.before_shipped", "field", "date", "value", in.Date.String(), "shipped", o.ShippedOn.String())
		}
		args := map[string]string{}
		if req.Tracking != "" {
			o.Tracking, args["tracking"] = req.Tracking, req.Tracking
		}
		if act == assurance.ActionConfirmReceipt && ack && needsAck(o) {
			o.Inspection.Accepted, args["accepted_failed_inspection"] = r.Now.UTC(), "1"
		}
		return []state.Event{move(o, act, to, in, actor(r), r.Now, req.Note, args)}, nil
	}
	if err := precheck(oc, decide); err != nil {
		return nil, err
	}
	if act, _, _, _ := pick(oc.o); act == assurance.ActionConfirmReceipt && needsAck(oc.o) && !ack {
		data, _ := json.Marshal(req)
		return a.askAck(ctx, r, oc.o, ackReceipt, string(data))
	}
	o, evs, err := a.commit(ctx, r, oc, decide)
	if err != nil {
		return nil, err
	}
	a.announce(ctx, r, oc.st, o, evs, nil)
	return a.movedReply(r, o, evs), nil
}

// movedReply confirms a change to the member with the order as it is now.
func (a *App) movedReply(r *Request, o *state.Order, evs []state.Event) *discordgo.InteractionResponse {
	e := a.orderEmbed(r.Msg, o)
	e.Description = eventText(r.Msg, evs[len(evs)-1], false)
	return reply(false, "", []*discordgo.MessageEmbed{e}, nil)
}
