package commands

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// Event types of the order timeline.
const (
	evCreated         = "created"
	evStatus          = "status"
	evNote            = "note"
	evTracking        = "tracking"
	evInspection      = "inspection"
	evChangeRequested = "change_requested"
	evChangeApplied   = "change_applied"
	evChangeAccepted  = "change_accepted"
	evChangeRejected  = "change_rejected"
	evChangeWithdrawn = "change_withdrawn"
	evChangeExpired   = "change_expired"
	evExtended        = "deadline_extended"
)

// who identifies the member acting, for events.
type who struct{ id, name string }

// actor is the member of the request.
func actor(r *Request) who {
	name := r.User.GlobalName
	if name == "" {
		name = r.User.Username
	}
	return who{id: r.User.ID, name: name}
}

// system is the bot acting on a timer.
var system = who{}

// event starts a timeline event by w at at.
func (w who) event(typ string, at time.Time) state.Event {
	return state.Event{Type: typ, Actor: w.id, Name: w.name, At: at.UTC()}
}

// moveInput is what the state machine needs to know of an order (see assurance.Input).
func moveInput(o *state.Order) assurance.Input {
	paid := o.Arrived()
	in := assurance.Input{Prior: o.Prior, DepositReceived: paid.IsPositive(), PaidInFull: assurance.CoversTotal(paid, o.Total)}
	if p := o.PendingPayment(); p != nil {
		in.PaidInFull = assurance.CoversTotal(paid.Add(p.Amount), o.Total)
	}
	return in
}

// move applies an allowed transition to o (a private copy inside a Mutate) with its effects on the
// record, and returns the event that records it. args adds details to the event.
func move(o *state.Order, act assurance.Action, to assurance.Status, in assurance.Input, w who, at time.Time, note string, args map[string]string) state.Event {
	from := o.Status
	e := w.event(evStatus, at)
	e.From, e.To, e.Note = from, to, note
	e.Args = map[string]string{"action": string(act)}
	for k, v := range args {
		e.Args[k] = v
	}
	switch act {
	case assurance.ActionFundsArrived, assurance.ActionPaymentFailed:
		if p := o.PendingPayment(); p != nil {
			p.Status = state.PaymentArrived
			if act == assurance.ActionPaymentFailed {
				p.Status = state.PaymentFailed
			}
			e.Args["amount"] = assurance.FormatMoney(p.Amount, o.Currency)
		}
	case assurance.ActionMarkShipped:
		o.ShippedOn = in.Date
		e.Args["date"] = in.Date.String()
	case assurance.ActionConfirmReceipt:
		o.ReceivedOn = in.Date
		e.Args["date"] = in.Date.String()
	case assurance.ActionForce:
		// A forced move into a state that has a date keeps the record whole (the window needs a receipt date).
		if to == assurance.InTransit && o.ShippedOn.IsZero() {
			o.ShippedOn = in.Date
		}
		if to == assurance.Received && o.ReceivedOn.IsZero() {
			o.ReceivedOn = in.Date
		}
	}
	disputed := func(s assurance.Status) bool {
		return s == assurance.InDispute || s == assurance.DisputeEscalated || s == assurance.RefundPending
	}
	switch {
	case disputed(to) && !disputed(from):
		o.Prior = from
	case !disputed(to):
		o.Prior, o.Dispute = "", 0 // the dispute in force, if any, is over (a forced move ends it too)
	}
	o.Status, o.StatusAt = to, at.UTC()
	return e
}

// write runs mutate on the order under compare-and-set (see state.UpdateOrder), with what every
// change shares: change requests past their expiry are dropped (with an event), the update time is
// set and the state's timer is scheduled.
func (a *App) write(ctx context.Context, r *Request, oc *orderCtx, mutate state.Mutate) (*state.Order, []state.Event, error) {
	o, evs, err := a.Store.UpdateOrder(ctx, r.Guild, oc.o.Number, oc.o, func(o *state.Order) ([]state.Event, error) {
		expired := a.expireChanges(o, r.Now)
		evs, err := mutate(o)
		if err != nil {
			return nil, err
		}
		o.UpdatedAt = r.Now.UTC()
		a.schedule(o)
		return append(expired, evs...), nil
	})
	if state.IsConflict(err) {
		return nil, nil, Fail("error.busy", "number", oc.o.Number)
	}
	return o, evs, err
}

// precheck runs decide on a copy of the order as read, so that a refused step answers at once and
// writes nothing (and, for the warnings that come before some steps, before anything is asked).
func precheck(oc *orderCtx, decide state.Mutate) error {
	_, err := decide(oc.o.Clone())
	return err
}

// commit applies decide under compare-and-set, refusing if another member moved the order to
// another state since this member looked (see stillIn); decide then runs on the current record.
func (a *App) commit(ctx context.Context, r *Request, oc *orderCtx, decide state.Mutate) (*state.Order, []state.Event, error) {
	seen := oc.o.Status
	return a.write(ctx, r, oc, func(o *state.Order) ([]state.Event, error) {
		if err := stillIn(r.Msg, o, seen, oc.role); err != nil {
			return nil, err
		}
		return decide(o)
	})
}

// schedule sets the deadline of the order's state (auto-cancel, end of the claim window).
func (a *App) schedule(o *state.Order) {
	since := o.StatusAt
	if since.IsZero() {
		since = o.CreatedAt
	}
	o.Deadline = a.Policy.StateDeadline(o.Status, since, o.ReceivedOn, o.BuyerTier)
}

// expireChanges drops the change requests of o whose 7 days have passed, with an event each: an
// expired request leaves the order as it was (POLICY.md 2.1).
func (a *App) expireChanges(o *state.Order, now time.Time) []state.Event {
	var evs []state.Event
	for _, c := range append([]state.Change(nil), o.Changes...) {
		if !now.Before(c.Expiry) {
			o.DropChange(c.ID)
			evs = append(evs, changeEvent(system, evChangeExpired, now, c))
		}
	}
	return evs
}

// stillIn refuses a status change when another member moved the order on since this member looked:
// the member decided on what they saw, so the change is not applied to a state they did not see.
func stillIn(p Printer, o *state.Order, seen assurance.Status, role assurance.Role) error {
	if o.Status == seen {
		return nil
	}
	return Fail("refuse.changed", "number", o.Number, "status", p.T("status."+string(o.Status)), "next", nextSteps(p, o, role))
}

// refusal turns a refused move or change from assurance into the member's message: the reason and
// the steps they may take instead.
func refusal(p Printer, o *state.Order, role assurance.Role, err error) error {
	status := p.T("status." + string(o.Status))
	next := nextSteps(p, o, role)
	var te *assurance.TransitionError
	var ge *assurance.TargetError
	var ce *assurance.ChangeError
	switch {
	case errors.As(err, &te):
		what := p.T("what.any")
		if te.Action != "" {
			what = p.T("what." + string(te.Action))
		}
		return Fail("refuse."+string(te.Code), "number", o.Number, "status", status, "action", what, "next", next)
	case errors.As(err, &ge):
		return Fail("refuse.leads_elsewhere", "number", o.Number, "status", status, "action", p.T("what."+string(ge.Action)),
			"target", p.T("status."+string(ge.Target)), "leads", p.T("status."+string(ge.Leads)), "next", next)
	case errors.As(err, &ce):
		return Fail("refuse.change."+string(ce.Code), "number", o.Number, "status", status, "field", p.T("field."+string(ce.Field)), "next", next)
	}
	return err
}

// nextSteps lists what a member with role may do with the order now, as commands.
func nextSteps(p Printer, o *state.Order, role assurance.Role) string {
	var out []string
	for _, act := range assurance.NextActions(o.Status, role) {
		if act.Automatic() {
			continue
		}
		out = append(out, "• "+p.T("how."+string(act), "prior", string(o.Prior)))
	}
	if len(out) == 0 {
		return p.T("next.none")
	}
	return strings.Join(out, "\n")
}
