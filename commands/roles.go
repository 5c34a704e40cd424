package commands

import (
	"context"
	"fmt"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// memberRole is the member's standing in the server: moderator, agent, or a plain member (RoleNone).
func (a *App) memberRole(ctx context.Context, r *Request) (assurance.Role, error) {
	if r.IsModerator() {
		return assurance.RoleModerator, nil
	}
	st, err := a.Store.Settings(ctx, r.Guild)
	if err != nil {
		return "", fmt.Errorf("member role: %w", err)
	}
	if r.HasRole(st.AgentRole) {
		return assurance.RoleAgent, nil
	}
	return assurance.RoleNone, nil
}

// orderRole is the member's role for one order: the server role, or buyer for their own order.
func orderRole(server assurance.Role, r *Request, o *state.Order) assurance.Role {
	if server == assurance.RoleModerator || server == assurance.RoleAgent {
		return server
	}
	if o.Buyer == r.User.ID {
		return assurance.RoleBuyer
	}
	return assurance.RoleNone
}

// loadOrder fetches an order the member may see, with their role for it. Anyone else gets the same
// "no such order" as for a number that does not exist.
func (a *App) loadOrder(ctx context.Context, r *Request, field string) (*state.Order, assurance.Role, error) {
	n, ok, err := r.Int(field, 1, maxOrderNumber)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "", Fail("error.field.required", "field", field)
	}
	return a.loadOrderNumber(ctx, r, n)
}

// loadOrderNumber is loadOrder for a number that does not come from an option (a button's custom_id).
func (a *App) loadOrderNumber(ctx context.Context, r *Request, n int64) (*state.Order, assurance.Role, error) {
	server, err := a.memberRole(ctx, r)
	if err != nil {
		return nil, "", err
	}
	o, err := a.Store.GetOrder(ctx, r.Guild, n)
	if state.IsNotFound(err) {
		return nil, "", Fail("error.order.not_found", "number", n)
	}
	if err != nil {
		return nil, "", err
	}
	role := orderRole(server, r, o)
	if role == assurance.RoleNone {
		return nil, "", Fail("error.order.not_found", "number", n)
	}
	return o, role, nil
}
