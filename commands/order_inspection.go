package commands

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

func (a *App) orderInspectionSpec() Spec {
	return Spec{
		Command: "order", Sub: "inspection", Handle: a.orderInspection, Write: true, Autocomplete: a.orderSuggest,
		Options: []*discordgo.ApplicationCommandOption{
			orderOption(true),
			choiceOpt("result", true, choices("inspection.", inspectionResults...)),
			strOpt("note", true, maxNoteLen),
		},
	}
}

// orderInspection records the result of a pre-shipment inspection.
func (a *App) orderInspection(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := orderNumber(r, "order")
	if err != nil {
		return nil, err
	}
	result, err := r.Choice("result", inspectionResults...)
	if err != nil {
		return nil, err
	}
	if result == "" {
		return nil, Fail("error.field.required", "field", "result")
	}
	note, err := r.textOpt("note", true, maxNoteLen, true)
	if err != nil {
		return nil, err
	}
	oc, err := a.openOrder(ctx, r, n, nil)
	if err != nil {
		return nil, err
	}
	o, evs, err := a.write(ctx, r, oc, func(o *state.Order) ([]state.Event, error) {
		if o.Status.Terminal() {
			return nil, refusal(r.Msg, o, oc.role, &assurance.ChangeError{Status: o.Status, Role: oc.role, Code: assurance.CodeOrderClosed})
		}
		o.Inspection = &state.Inspection{Result: result, Note: note, By: r.User.ID, At: r.Now.UTC()}
		e := actor(r).event(evInspection, r.Now)
		e.Note, e.Args = note, map[string]string{"result": result}
		return []state.Event{e}, nil
	})
	if err != nil {
		return nil, err
	}
	a.announce(ctx, r, oc.st, o, evs, nil)
	text := r.Msg.T("inspection.recorded", "number", o.Number, "result", r.Msg.T("inspection."+result))
	if result == "fail" {
		text += "\n" + r.Msg.T("inspection.fail_advice")
	}
	return reply(false, text, nil, nil), nil
}

// needsAck reports whether the order has a failed inspection that the buyer has not yet accepted.
func needsAck(o *state.Order) bool {
	return o.Inspection != nil && o.Inspection.Result == "fail" && o.Inspection.Accepted.IsZero()
}

// Kinds of a move waiting for the buyer's confirmation after a failed inspection.
const (
	ackPay     = "pay"
	ackReceipt = "receipt"
)

// pendingAck is a command kept until the buyer confirms it (state.SavePending).
type pendingAck struct {
	Kind  string `json:"kind"`
	User  string `json:"user"`
	Order int64  `json:"order"`
	Data  string `json:"data"` // the payRequest or moveRequest as JSON
}

// askAck keeps the command and warns the buyer as POLICY.md section 5 (last paragraph) says, with a
// button to go on and one to stop.
func (a *App) askAck(ctx context.Context, r *Request, o *state.Order, kind, data string) (*discordgo.InteractionResponse, error) {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	rec, _ := json.Marshal(pendingAck{Kind: kind, User: r.User.ID, Order: o.Number, Data: data})
	if err := a.Store.SavePending(ctx, r.Guild, token, string(rec)); err != nil {
		return nil, err
	}
	p := r.Msg
	e := &discordgo.MessageEmbed{
		Title:       p.T("ack.title", "number", o.Number),
		Description: p.T("ack."+kind) + "\n\n" + p.T("ack.rule", "note", truncate(o.Inspection.Note, 500)),
		Color:       colorProblem,
	}
	rows := []discordgo.MessageComponent{row(
		button(p.T("ack.go."+kind), discordgo.DangerButton, CustomID{Flow: flowAck, Step: "go", ID: num(o.Number), Args: []string{token}}),
		button(p.T("ack.stop"), discordgo.SecondaryButton, CustomID{Flow: flowAck, Step: "stop", ID: num(o.Number)}),
	)}
	return reply(false, "", []*discordgo.MessageEmbed{e}, rows), nil
}

// ackRoutes are the buttons of the warning.
func (a *App) ackRoutes() []Route {
	return []Route{
		{Type: discordgo.InteractionMessageComponent, Path: flowAck + ":go", Handle: a.ackGo, Write: true},
		{Type: discordgo.InteractionMessageComponent, Path: flowAck + ":stop", Handle: a.ackStop},
	}
}

// ackGo carries out the kept command, now that the buyer has read the warning.
func (a *App) ackGo(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := customOrder(r)
	if err != nil {
		return nil, err
	}
	var raw *string
	oc, err := a.openOrder(ctx, r, n, func(b *state.Batch) { raw = b.Pending(r.Guild, r.Custom.Arg(0)) })
	if err != nil {
		return nil, err
	}
	var pa pendingAck
	if *raw == "" || json.Unmarshal([]byte(*raw), &pa) != nil || pa.Order != n {
		return nil, Fail("error.ack.expired")
	}
	if pa.User != r.User.ID {
		return nil, Fail("error.ack.not_yours")
	}
	var resp *discordgo.InteractionResponse
	switch pa.Kind {
	case ackPay:
		var req payRequest
		if err := json.Unmarshal([]byte(pa.Data), &req); err != nil {
			return nil, Fail("error.ack.expired")
		}
		resp, err = a.payOrder(ctx, r, oc, req, true)
	default:
		var req moveRequest
		if err := json.Unmarshal([]byte(pa.Data), &req); err != nil {
			return nil, Fail("error.ack.expired")
		}
		resp, err = a.moveOrder(ctx, r, oc, req, true)
	}
	if err != nil {
		return nil, err
	}
	return update("", resp.Data.Embeds, nil), nil
}

// ackStop leaves the order as it was.
func (a *App) ackStop(_ context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	return update(r.Msg.T("ack.stopped"), nil, nil), nil
}
