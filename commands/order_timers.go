package commands

import (
	"context"
	"errors"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// sweepBatch is how many timers a sweep claims at a time.
const sweepBatch = 100

// errNotDue means a claimed timer has nothing to do (the order moved on meanwhile).
var errNotDue = errors.New("timer not due")

// errDisputeTimer hands a due automatic escalation to the dispute flow, which moves the dispute too.
var errDisputeTimer = errors.New("dispute timer")

// Sweep fires every timer due at now, in every server: auto-cancels (30 and 60 days), the end of
// claim windows and the expiry of change requests (7 days). Any replica may run it at any time:
// timers are claimed atomically, and each firing re-checks the order under compare-and-set.
// It returns how many timers fired.
func (a *App) Sweep(ctx context.Context, now time.Time) (int, error) {
	guilds, err := a.Store.Guilds(ctx)
	if err != nil {
		return 0, err
	}
	fired := 0
	for _, g := range guilds {
		for {
			due, err := a.Store.ClaimDue(ctx, g, now, sweepBatch)
			if err != nil {
				return fired, err
			}
			for _, t := range due {
				ok, err := a.fire(ctx, t, now)
				if err != nil {
					return fired, err
				}
				if ok {
					fired++
				}
			}
			if len(due) < sweepBatch {
				break
			}
		}
	}
	return fired, nil
}

// fire handles one claimed timer; it reports whether it changed the order.
func (a *App) fire(ctx context.Context, t state.Timer, now time.Time) (bool, error) {
	var due time.Time
	o, evs, err := a.Store.UpdateOrder(ctx, t.Guild, t.Number, nil, func(o *state.Order) ([]state.Event, error) {
		due = time.Time{}
		if t.Change != 0 {
			c := o.Change(t.Change)
			if c == nil {
				return nil, errNotDue
			}
			if now.Before(c.Expiry) {
				due = c.Expiry
				return nil, errNotDue
			}
			cur := *c
			o.DropChange(t.Change)
			o.UpdatedAt = now.UTC()
			return []state.Event{changeEvent(system, evChangeExpired, now, cur)}, nil
		}
		act, ok := assurance.TimerAction(o.Status, a.Policy.Orders)
		if !ok || o.Deadline.IsZero() || now.Before(o.Deadline) {
			due = o.Deadline
			return nil, errNotDue
		}
		if act == assurance.ActionAutoEscalate && o.Dispute != 0 {
			return nil, errDisputeTimer // the dispute moves with its order: see autoEscalate
		}
		to, err := assurance.Transition(o.Status, act, assurance.RoleSystem, moveInput(o))
		if err != nil {
			return nil, err
		}
		e := move(o, act, to, moveInput(o), system, now, "", nil)
		o.UpdatedAt = now.UTC()
		a.schedule(o)
		return []state.Event{e}, nil
	})
	switch {
	case errors.Is(err, errDisputeTimer):
		done, err := a.autoEscalate(ctx, t, now)
		if err == nil && !done {
			err = a.Store.Reschedule(ctx, t, time.Time{})
		}
		return done, err
	case errors.Is(err, errNotDue):
		return false, a.Store.Reschedule(ctx, t, due)
	case state.IsNotFound(err):
		return false, a.Store.Reschedule(ctx, t, time.Time{})
	case err != nil:
		return false, err
	}
	st, err := a.Store.Settings(ctx, t.Guild)
	if err != nil {
		return true, err
	}
	r := &Request{I: &discordgo.Interaction{GuildID: t.Guild}, Guild: t.Guild, Now: now, User: &discordgo.User{}, Msg: a.Cat.For(DefaultLanguage)}
	a.announce(ctx, r, st, o, evs, nil)
	return true, nil
}
