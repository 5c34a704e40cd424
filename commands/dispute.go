package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// The dispute walk-through (POLICY.md section 5) is a conversation stored in Redis (state.Conversation):
// every click and form names the conversation and the version it was drawn at,
// v1:dispute:<action>:<conversation id>:<version>[:<arg>...], so a stale or double click is detected and
// applied at most once, by whichever replica receives it.

// disputeFlow is the conversation flow name and the custom_id flow of every dispute component.
const disputeFlow = "dispute"

// disputeTTL is how long a dispute walk-through lives without a step.
const disputeTTL = 24 * time.Hour

// Steps of the walk-through.
const (
	stepIssue    = "issue"
	stepFacts    = "facts"
	stepEvidence = "evidence"
	stepRefund   = "refund"
	stepReview   = "review"
	stepEdit     = "edit"
	stepDone     = "done"
)

// Component actions (the custom_id step part).
const (
	actOpen     = "open"     // start the walk-through for an order (ID = order number); also the verdict's button
	actIssue    = "issue"    // select: what went wrong
	actAnswer   = "ans"      // button: answer the current question (args: fact, value)
	actForm     = "form"     // button: open the form of the current question (arg: fact)
	actFormSub  = "fsub"     // form submitted (arg: fact)
	actBack     = "back"     // previous step or question
	actStop     = "stop"     // abandon the walk-through
	actEvidence = "ev"       // select: evidence at hand
	actNext     = "next"     // evidence done
	actRefund   = "refund"   // button: full, quantity or amount
	actRefSub   = "rsub"     // refund form submitted (arg: quantity or amount)
	actEdit     = "edit"     // review: choose what to change
	actPick     = "pick"     // select: the step to change
	actConfirm  = "confirm"  // review: file the dispute
	actWithdraw = "withdraw" // /dispute cancel confirmed (ID = order, arg: dispute number)
	actKeep     = "keep"     // /dispute cancel declined (ID = order)
)

// Refund kinds of the walk-through's step 4.
const (
	refundFull     = "full"
	refundQuantity = "quantity"
	refundAmount   = "amount"
)

// maxLinkLen bounds evidence links (characters).
const maxLinkLen = 500

// Event types of dispute moves that leave the order's state as it is, and of evidence added.
const (
	evDispute  = "dispute"
	evEvidence = "evidence"
)

func (a *App) disputeSpecs() []Spec {
	order := orderOption(true)
	specs := []Spec{
		{Command: "dispute", Sub: "open", Handle: a.disputeOpen, Write: true, Options: []*discordgo.ApplicationCommandOption{order}},
		{Command: "dispute", Sub: "evidence", Handle: a.disputeEvidence, Write: true, Options: []*discordgo.ApplicationCommandOption{
			order,
			{Type: discordgo.ApplicationCommandOptionAttachment, Name: "file"},
			{Type: discordgo.ApplicationCommandOptionString, Name: "link", MaxLength: maxLinkLen},
			{Type: discordgo.ApplicationCommandOptionString, Name: "note", MaxLength: maxNoteLen},
			{Type: discordgo.ApplicationCommandOptionString, Name: "kind", Choices: a.evidenceChoices()},
		}},
		{Command: "dispute", Sub: "status", Handle: a.disputeStatus, Options: []*discordgo.ApplicationCommandOption{order}},
		{Command: "dispute", Sub: "update", Handle: a.disputeUpdate, Write: true, Options: []*discordgo.ApplicationCommandOption{
			order,
			{Type: discordgo.ApplicationCommandOptionString, Name: "stage", Required: true, Choices: moveChoices()},
			{Type: discordgo.ApplicationCommandOptionString, Name: "amount", MaxLength: 20},
			{Type: discordgo.ApplicationCommandOptionString, Name: "note", MaxLength: maxNoteLen},
		}},
		{Command: "dispute", Sub: "cancel", Handle: a.disputeCancel, Write: true, Options: []*discordgo.ApplicationCommandOption{order}},
		{Command: "dispute", Sub: "export", Handle: a.disputeExport, Options: []*discordgo.ApplicationCommandOption{order}},
	}
	for i := range specs {
		specs[i].Autocomplete = a.orderSuggest // the order option suggests the orders the member may see
	}
	return specs
}

// evidenceChoices offers the policy's evidence kinds; choice names are catalog keys.
func (a *App) evidenceChoices() []*discordgo.ApplicationCommandOptionChoice {
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(a.Policy.EvidenceKinds))
	for _, k := range a.Policy.EvidenceKinds {
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: "dispute.evidence." + k, Value: k})
	}
	return out
}

// moveChoices offers the moves of /dispute update (cancellation has its own command).
func moveChoices() []*discordgo.ApplicationCommandOptionChoice {
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, m := range assurance.DisputeMoves {
		if m != assurance.MoveCancel {
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: "dispute.move." + string(m), Value: string(m)})
		}
	}
	return out
}

// disputeRoutes are the buttons, menus and forms of the dispute flow.
func (a *App) disputeRoutes() []Route {
	comp := func(act string, h Handler, modal bool) Route {
		return Route{Type: discordgo.InteractionMessageComponent, Path: disputeFlow + ":" + act, Handle: h, OpensModal: modal}
	}
	form := func(act string, h Handler) Route {
		return Route{Type: discordgo.InteractionModalSubmit, Path: disputeFlow + ":" + act, Handle: h}
	}
	return []Route{
		comp(actOpen, a.disputeOpenClick, false),
		comp(actIssue, a.disputeStep(a.onIssue), false),
		comp(actAnswer, a.disputeStep(a.onAnswer), false),
		comp(actForm, a.disputeStep(a.onForm), true),
		form(actFormSub, a.disputeStep(a.onFormSubmit)),
		comp(actBack, a.disputeStep(a.onBack), false),
		comp(actStop, a.disputeStep(a.onStop), false),
		comp(actEvidence, a.disputeStep(a.onEvidence), false),
		comp(actNext, a.disputeStep(a.onNext), false),
		comp(actRefund, a.disputeStep(a.onRefund), true),
		form(actRefSub, a.disputeStep(a.onRefundSubmit)),
		comp(actEdit, a.disputeStep(a.onEdit), false),
		comp(actPick, a.disputeStep(a.onPick), false),
		comp(actConfirm, a.disputeStep(a.onConfirm), false),
		comp(actWithdraw, a.disputeWithdraw, false),
		comp(actKeep, a.disputeKeep, false),
	}
}

// walk is one click or form of the walk-through: the conversation, its answers and the order.
type walk struct {
	r     *Request
	c     *state.Conversation
	d     *disputeData
	o     *state.Order
	st    state.Settings // the server's settings (updates channel, agent role)
	role  assurance.Role // the member's role for the order
	today assurance.Date
}

// id builds a custom_id of this walk-through at its current version.
func (w *walk) id(act string, args ...string) string {
	return CustomID{Flow: disputeFlow, Step: act, ID: w.c.ID, Args: append([]string{strconv.FormatInt(w.c.Version, 10)}, args...)}.String()
}

// stepHandler handles one action on a current, authorised walk-through. It changes w.d and returns the
// step to move to (the conversation is then advanced under compare-and-set and that step is shown), or a
// response of its own (a form, a refusal) with step "".
type stepHandler func(ctx context.Context, w *walk) (step string, resp *discordgo.InteractionResponse, err error)

// disputeStep wraps a step handler: it loads the conversation, answers an expired one with how to start
// again, refuses members other than its owner or a moderator, shows the current screen for a stale
// click (a double click, another device), and otherwise applies the step once.
func (a *App) disputeStep(h stepHandler) Handler {
	return func(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
		c, err := a.Store.Conversation(ctx, r.Guild, r.Custom.ID)
		if state.IsNotFound(err) || (err == nil && c.Flow != disputeFlow) {
			return update(r.Msg.T("dispute.expired", "order", convOrder(r.Custom.ID)), nil, nil), nil
		}
		if err != nil {
			return nil, err
		}
		if c.Owner != r.User.ID && !r.IsModerator() {
			return nil, Fail("dispute.not_yours", "owner", "<@"+c.Owner+">", "order", convOrder(c.ID))
		}
		w, err := a.loadWalk(ctx, r, c)
		if err != nil {
			return nil, err
		}
		if v, err := strconv.ParseInt(r.Custom.Arg(0), 10, 64); err != nil || v != c.Version || c.Step == stepDone {
			return a.screen(ctx, w, r.Msg.T("dispute.stale"), true)
		}
		step, resp, err := h(ctx, w)
		if err != nil || resp != nil || step == "" {
			return resp, err
		}
		data, err := w.d.encode()
		if err != nil {
			return nil, err
		}
		c.Step, c.Data = step, data
		switch err := a.Store.AdvanceConversation(ctx, c, r.Now, disputeTTL); {
		case state.IsConflict(err):
			return a.reshow(ctx, r, c.ID, r.Msg.T("dispute.stale"))
		case state.IsNotFound(err):
			return update(r.Msg.T("dispute.expired", "order", w.d.Order), nil, nil), nil
		case err != nil:
			return nil, err
		}
		return a.screen(ctx, w, "", true)
	}
}

// reshow reloads a conversation another click changed first and shows where it stands.
func (a *App) reshow(ctx context.Context, r *Request, id, notice string) (*discordgo.InteractionResponse, error) {
	c, err := a.Store.Conversation(ctx, r.Guild, id)
	if state.IsNotFound(err) {
		return update(r.Msg.T("dispute.expired", "order", convOrder(id)), nil, nil), nil
	}
	if err != nil {
		return nil, err
	}
	w, err := a.loadWalk(ctx, r, c)
	if err != nil {
		return nil, err
	}
	return a.screen(ctx, w, notice, true)
}

// loadWalk decodes a conversation's answers and loads its order, which the member must still see.
func (a *App) loadWalk(ctx context.Context, r *Request, c *state.Conversation) (*walk, error) {
	d, err := decodeDisputeData(c.Data)
	if err != nil {
		return nil, fmt.Errorf("conversation %s: %w", c.ID, err)
	}
	oc, err := a.openOrder(ctx, r, d.Order, nil)
	if err != nil {
		return nil, err
	}
	return &walk{r: r, c: c, d: d, o: oc.o, st: oc.st, role: oc.role, today: assurance.DateOf(r.Now)}, nil
}

// convID is the id of a new walk-through for an order: the order number and a random part, so an
// expired conversation's buttons can still say which order to start again.
func convID(order int64) string {
	return strconv.FormatInt(order, 10) + "-" + state.NewConversationID()
}

// convOrder returns the order number of a walk-through id ("?" when it has none).
func convOrder(id string) string {
	n, _, ok := strings.Cut(id, "-")
	if !ok || n == "" {
		return "?"
	}
	return n
}

// convKey is the lookup name of a member's walk-through for an order: one at a time.
func convKey(order int64, user string) string { return strconv.FormatInt(order, 10) + ":" + user }

// activeDispute returns the dispute in force on an order (open, or refund pending), or nil.
func (a *App) activeDispute(ctx context.Context, o *state.Order) (*state.Dispute, error) {
	if o.Dispute == 0 {
		return nil, nil
	}
	return a.Store.Dispute(ctx, o.Guild, o.Number, o.Dispute)
}

// writeDispute applies change to the order and its dispute under compare-and-set, with what every order
// change shares (see write): change requests past their expiry dropped, the update time set, the
// state's timer scheduled. Returns the order, the dispute and every event written.
func (a *App) writeDispute(ctx context.Context, r *Request, o *state.Order, change state.DisputeChange, items ...state.EvidenceItem) (*state.Order, *state.Dispute, []state.Event, error) {
	n := o.Number
	o, d, evs, err := a.Store.ChangeDispute(ctx, r.Guild, n, o, func(o *state.Order) (*state.Dispute, []state.Event, error) {
		expired := a.expireChanges(o, r.Now)
		d, evs, err := change(o)
		if err != nil {
			return nil, nil, err
		}
		o.UpdatedAt = r.Now.UTC()
		a.schedule(o)
		return d, append(expired, evs...), nil
	}, items...)
	if state.IsConflict(err) {
		return nil, nil, nil, Fail("error.busy", "number", n)
	}
	return o, d, evs, err
}

// disputeArgs are the details of a dispute event: the dispute, its issue, the move and an amount.
func disputeArgs(d *state.Dispute, m assurance.DisputeMove, amount *decimal.Decimal) map[string]string {
	args := map[string]string{"dispute": strconv.FormatInt(d.Number, 10), "issue": d.Issue}
	if m != "" {
		args["move"] = string(m)
	}
	if amount != nil {
		args["refund"] = assurance.FormatMoney(*amount, d.Currency)
	}
	return args
}

// stamp formats a time for members: "2026-11-27 12:00 UTC".
func stamp(t time.Time) string { return t.UTC().Format(timeLayout) }
