package commands

import (
	"context"
	"fmt"
	"strconv"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// serverRole is the member's standing in the server: moderator, agent, or a plain member (RoleNone).
func serverRole(st state.Settings, r *Request) assurance.Role {
	switch {
	case r.IsModerator():
		return assurance.RoleModerator
	case r.HasRole(st.AgentRole):
		return assurance.RoleAgent
	}
	return assurance.RoleNone
}

// memberRole is the member's standing in the server, read from the server's settings.
func (a *App) memberRole(ctx context.Context, r *Request) (assurance.Role, error) {
	if r.IsModerator() {
		return assurance.RoleModerator, nil
	}
	st, err := a.Store.Settings(ctx, r.Guild)
	if err != nil {
		return "", fmt.Errorf("member role: %w", err)
	}
	return serverRole(st, r), nil
}

// orderRole is the member's role for one order: buyer for their own order, else their server role.
// An agent or moderator who buys acts as the buyer on their own orders, so nobody confirms or marks
// funds arrived on their own purchase; a moderator may still force a state with a reason.
func orderRole(server assurance.Role, r *Request, o *state.Order) assurance.Role {
	if o.Buyer == r.User.ID {
		return assurance.RoleBuyer
	}
	if server == assurance.RoleModerator || server == assurance.RoleAgent {
		return server
	}
	return assurance.RoleNone
}

// orderCtx is what an order command knows after its one batched read: the server's settings, the
// order and the member's roles.
type orderCtx struct {
	st     state.Settings
	o      *state.Order
	server assurance.Role // the member's role in the server
	role   assurance.Role // the member's role for this order
}

// openOrder reads the server's settings and order n in one round trip (with whatever extra adds), and
// checks that the member may see the order. Anyone else gets the same "no such order" as for a number
// that does not exist.
func (a *App) openOrder(ctx context.Context, r *Request, n int64, extra func(*state.Batch)) (*orderCtx, error) {
	b := a.batch(r)
	st := b.Settings(r.Guild)
	or := b.Order(r.Guild, n)
	if extra != nil {
		extra(b)
	}
	if err := b.Exec(ctx); err != nil {
		return nil, err
	}
	oc := &orderCtx{st: *st, o: or.Order, server: serverRole(*st, r)}
	if oc.o == nil {
		return nil, Fail("error.order.not_found", "number", n)
	}
	if oc.role = orderRole(oc.server, r, oc.o); oc.role == assurance.RoleNone {
		return nil, Fail("error.order.not_found", "number", n)
	}
	return oc, nil
}

// orderNumber reads the order option.
func orderNumber(r *Request, name string) (int64, error) {
	n, ok, err := r.Int(name, 1, maxOrderNumber)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, Fail("error.field.required", "field", name)
	}
	return n, nil
}

// customOrder reads the order number a button or form carries in its custom_id.
func customOrder(r *Request) (int64, error) {
	n, err := strconv.ParseInt(r.Custom.ID, 10, 64)
	if err != nil || n < 1 || n > maxOrderNumber {
		return 0, Fail("error.unknown_interaction")
	}
	return n, nil
}

// loadOrder fetches an order the member may see, with their role for it. Anyone else gets the same
// "no such order" as for a number that does not exist.
func (a *App) loadOrder(ctx context.Context, r *Request, field string) (*state.Order, assurance.Role, error) {
	oc, err := a.openOrderOption(ctx, r, field)
	if err != nil {
		return nil, "", err
	}
	return oc.o, oc.role, nil
}

// openOrderOption is openOrder for the order a command's option names.
func (a *App) openOrderOption(ctx context.Context, r *Request, field string) (*orderCtx, error) {
	n, err := orderNumber(r, field)
	if err != nil {
		return nil, err
	}
	return a.openOrder(ctx, r, n, nil)
}
