package commands

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/state"
)

// Handler answers one interaction by returning its response. Handlers never talk to Discord themselves,
// which makes them plain functions to call from tests.
type Handler func(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error)

// Route binds a handler to an interaction type and path, with the metadata the router needs.
type Route struct {
	Type       discordgo.InteractionType // command, component, autocomplete or modal submit
	Path       string                    // "order create" for commands, "<flow>:<step>" for custom_ids
	Handle     Handler
	OpensModal bool // may answer with a modal: never deferred (a modal must be the first response)
	Public     bool // a deferred answer is public; by default deferrals are ephemeral
	Write      bool // changes state: counts against the member's write rate limit
	// ReadOnly marks a handler that changes nothing: its interaction is claimed together with its first
	// read (App.batch) instead of in a round trip of its own, and a duplicate's answer is dropped.
	ReadOnly bool
}

// DefaultWriteLimit is how many writing commands one member may run per minute in one server.
const DefaultWriteLimit = 30

// DefaultBudget is how long a handler may run before the router defers: about 2 s of Discord's 3 s,
// measured from the interaction's snowflake time.
const DefaultBudget = 2 * time.Second

// Router dispatches interactions to routes and sends their answers through a Responder.
type Router struct {
	routes   map[string]Route
	cat      *Catalog
	log      *slog.Logger
	now      func() time.Time
	dedupe   Deduper
	observer Observer
	budget   time.Duration
	after    func(time.Duration) <-chan time.Time
	writes   int64 // per-member writes per minute; 0 = unlimited
}

// RouterOption configures a Router.
type RouterOption func(*Router)

// WithClock sets the router's clock (tests pass a fixed one).
func WithClock(now func() time.Time) RouterOption { return func(r *Router) { r.now = now } }

// WithDeduper makes the router drop duplicate deliveries of one interaction.
func WithDeduper(d Deduper) RouterOption { return func(r *Router) { r.dedupe = d } }

// WithObserver records every dispatch (metrics).
func WithObserver(o Observer) RouterOption { return func(r *Router) { r.observer = o } }

// WithTimer replaces the deferral timer (tests fire it on demand).
func WithTimer(after func(time.Duration) <-chan time.Time) RouterOption {
	return func(r *Router) { r.after = after }
}

// WithWriteLimit sets how many writing commands a member may run per minute (0 = unlimited).
func WithWriteLimit(n int64) RouterOption { return func(r *Router) { r.writes = n } }

// WithBudget changes the deferral budget (tests use a short one).
func WithBudget(d time.Duration) RouterOption { return func(r *Router) { r.budget = d } }

// NewRouter returns a router over the given routes.
func NewRouter(cat *Catalog, log *slog.Logger, routes []Route, opts ...RouterOption) (*Router, error) {
	r := &Router{routes: map[string]Route{}, cat: cat, log: log, now: time.Now, budget: DefaultBudget, after: time.After, writes: DefaultWriteLimit}
	for _, o := range opts {
		o(r)
	}
	for _, rt := range routes {
		k := routeKey(rt.Type, rt.Path)
		if _, dup := r.routes[k]; dup {
			return nil, fmt.Errorf("route %s registered twice", k)
		}
		r.routes[k] = rt
	}
	return r, nil
}

func routeKey(t discordgo.InteractionType, path string) string { return fmt.Sprintf("%d/%s", t, path) }

// kindName names an interaction type for logs and metrics.
func kindName(t discordgo.InteractionType) string {
	switch t {
	case discordgo.InteractionPing:
		return "ping"
	case discordgo.InteractionApplicationCommand:
		return "command"
	case discordgo.InteractionMessageComponent:
		return "component"
	case discordgo.InteractionApplicationCommandAutocomplete:
		return "autocomplete"
	case discordgo.InteractionModalSubmit:
		return "modal"
	}
	return "unknown"
}

// Dispatch handles one interaction end to end: de-duplication, routing, the handler under panic recovery
// and the deadline, and the answer through resp. It returns an error only when the answer could not be sent.
func (r *Router) Dispatch(ctx context.Context, in *discordgo.Interaction, resp Responder) error {
	start := r.now()
	kind := kindName(in.Type)
	if in.Type == discordgo.InteractionPing {
		return resp.Respond(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
	}
	req := r.request(in, start)
	rt, ok := r.routes[routeKey(in.Type, req.Path)]
	lazy := ok && rt.ReadOnly && r.dedupe != nil
	observe := func(outcome string, deferred bool) {
		if r.observer == nil {
			return
		}
		path := req.Path
		if !ok {
			path = "unknown" // paths of unknown routes come from the client: never a metric label
		}
		r.observer.Observe(kind, path, outcome, r.now().Sub(start).Seconds(), deferred)
	}
	if r.dedupe != nil && !lazy {
		first, writes, err := r.claim(ctx, rt, ok, in, req)
		if err != nil {
			r.log.Error("claim interaction", "interaction", in.ID, "err", err)
			observe("unavailable", false)
			if in.Type == discordgo.InteractionApplicationCommandAutocomplete {
				return resp.Respond(ctx, autocompleteResult(nil))
			}
			return resp.Respond(ctx, r.message(req, req.Msg.T("error.unavailable"), true))
		}
		if !first {
			observe("duplicate", false)
			return nil
		}
		if r.writes > 0 && writes > r.writes {
			observe("rate_limited", false)
			return resp.Respond(ctx, r.message(req, req.Msg.T("error.rate_limited", "limit", r.writes), true))
		}
	}
	if !ok {
		observe("unknown", false)
		if in.Type == discordgo.InteractionApplicationCommandAutocomplete {
			return resp.Respond(ctx, autocompleteResult(nil))
		}
		return resp.Respond(ctx, r.message(req, req.Msg.T("error.unknown_interaction"), true))
	}
	if lazy {
		req.claim = &pendingClaim{}
	}
	outcome, deferred, err := r.run(ctx, rt, req, in, resp)
	observe(outcome, deferred)
	return err
}

// pendingClaim is the idempotency claim of a read-only interaction, made by the handler's first batch.
type pendingClaim struct {
	first *bool // set once the claim went out with a batch
}

// settleClaim finishes a read-only interaction's claim: it reports whether to answer (false for a
// duplicate) and an error when the claim could not be made.
func (r *Router) settleClaim(ctx context.Context, req *Request) (bool, error) {
	if req.claim == nil {
		return true, nil
	}
	if req.claim.first != nil {
		return *req.claim.first, nil
	}
	return r.dedupe.ClaimInteraction(ctx, req.I.ID)
}

// claim records the interaction ID (duplicates are dropped) and, for a writing command, counts the
// member's writes in the same round trip.
func (r *Router) claim(ctx context.Context, rt Route, known bool, in *discordgo.Interaction, req *Request) (bool, int64, error) {
	if wl, ok := r.dedupe.(WriteLimiter); ok && known && rt.Write && in.GuildID != "" {
		return wl.ClaimWrite(ctx, in.ID, in.GuildID, req.User.ID)
	}
	first, err := r.dedupe.ClaimInteraction(ctx, in.ID)
	return first, 0, err
}

// request builds the handler's view of the interaction.
func (r *Router) request(in *discordgo.Interaction, now time.Time) *Request {
	req := &Request{I: in, Guild: in.GuildID, Member: in.Member, User: in.User, Now: now, Msg: r.cat.For(in.Locale)}
	if in.Member != nil && in.Member.User != nil {
		req.User = in.Member.User
	}
	if req.User == nil {
		req.User = &discordgo.User{}
	}
	switch in.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		req.Path, req.options = commandPath(in.ApplicationCommandData())
	case discordgo.InteractionMessageComponent:
		req.Custom, _ = ParseCustomID(in.MessageComponentData().CustomID)
		req.Path = req.Custom.Path()
	case discordgo.InteractionModalSubmit:
		d := in.ModalSubmitData()
		req.Custom, _ = ParseCustomID(d.CustomID)
		req.Path = req.Custom.Path()
		req.fields = modalFields(d)
	}
	return req
}

type result struct {
	resp    *discordgo.InteractionResponse
	err     error
	errorID string // set when the handler panicked
}

// run executes the handler, deferring when it outlives the budget, and delivers its answer.
func (r *Router) run(ctx context.Context, rt Route, req *Request, in *discordgo.Interaction, resp Responder) (outcome string, deferred bool, err error) {
	done := make(chan result, 1)
	go func() { done <- r.call(ctx, rt, req) }()

	var res result
	if rt.OpensModal || in.Type == discordgo.InteractionApplicationCommandAutocomplete {
		res = <-done
	} else {
		select {
		case res = <-done:
		case <-r.after(r.remaining(in)):
			deferred = true
			if err := resp.Respond(ctx, r.deferral(rt, in)); err != nil {
				r.log.Error("defer interaction", "path", req.Path, "err", err)
			}
			res = <-done
		}
	}
	if !state.IsUnavailable(res.err) {
		first, err := r.settleClaim(ctx, req)
		if err != nil {
			res = result{err: err}
		} else if !first {
			return "duplicate", deferred, nil
		}
	}
	answer, outcome := r.answer(req, in, res)
	if !deferred {
		return outcome, false, resp.Respond(ctx, answer)
	}
	return outcome, true, r.deliverLate(ctx, in, answer, resp)
}

// remaining is the time left in the budget, measured from the interaction's creation time.
func (r *Router) remaining(in *discordgo.Interaction) time.Duration {
	created, err := discordgo.SnowflakeTimestamp(in.ID)
	if err != nil || created.IsZero() {
		return r.budget
	}
	left := created.Add(r.budget).Sub(r.now())
	if left > r.budget {
		left = r.budget // a clock ahead of Discord's must not stretch the budget
	}
	return max(left, 0)
}

// deferral is the "thinking..." response: a deferred update for components, a deferred message otherwise.
func (r *Router) deferral(rt Route, in *discordgo.Interaction) *discordgo.InteractionResponse {
	if in.Type == discordgo.InteractionMessageComponent {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	}
	d := &discordgo.InteractionResponseData{}
	if !rt.Public {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: d}
}

// call runs the handler, turning a panic into a logged error with an error ID.
func (r *Router) call(ctx context.Context, rt Route, req *Request) (res result) {
	defer func() {
		if p := recover(); p != nil {
			id := newErrorID()
			r.log.Error("handler panic", "error_id", id, "path", req.Path, "panic", fmt.Sprint(p))
			res = result{errorID: id}
		}
	}()
	resp, err := rt.Handle(ctx, req)
	return result{resp: resp, err: err}
}

// answer turns a handler result into the response to send, and names the outcome. Autocomplete is answered
// with choices (none when the handler failed) whatever happened: Discord accepts no other answer to it.
func (r *Router) answer(req *Request, in *discordgo.Interaction, res result) (*discordgo.InteractionResponse, string) {
	resp, outcome := r.outcomeOf(req, res)
	if in.Type == discordgo.InteractionApplicationCommandAutocomplete && resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
		if outcome == "ok" {
			r.log.Error("autocomplete answered with another response type", "path", req.Path, "type", int(resp.Type))
			outcome = "error"
		}
		return autocompleteResult(nil), outcome
	}
	return resp, outcome
}

// outcomeOf turns a handler result into a response and names the outcome.
func (r *Router) outcomeOf(req *Request, res result) (*discordgo.InteractionResponse, string) {
	if res.errorID != "" {
		return r.message(req, req.Msg.T("error.internal", "id", res.errorID), true), "panic"
	}
	if res.err != nil {
		var ue *UserError
		if errors.As(res.err, &ue) {
			return r.message(req, req.Msg.T(ue.Key, ue.Args...), true), "user_error"
		}
		if state.IsUnavailable(res.err) {
			r.log.Warn("store unavailable", "path", req.Path, "err", res.err)
			return r.message(req, req.Msg.T("error.unavailable"), true), "unavailable"
		}
		id := newErrorID()
		r.log.Error("handler error", "error_id", id, "path", req.Path, "err", res.err)
		return r.message(req, req.Msg.T("error.internal", "id", id), true), "error"
	}
	if res.resp == nil {
		id := newErrorID()
		r.log.Error("handler returned no response", "error_id", id, "path", req.Path)
		return r.message(req, req.Msg.T("error.internal", "id", id), true), "error"
	}
	return res.resp, "ok"
}

// deliverLate sends the answer of a deferred interaction as an edit of the original response,
// or as an ephemeral follow-up for errors on components (whose original message must stay).
// A deferred update as the answer means "nothing to change": the deferral already said it all.
func (r *Router) deliverLate(ctx context.Context, in *discordgo.Interaction, answer *discordgo.InteractionResponse, resp Responder) error {
	d := answer.Data
	if d == nil {
		d = &discordgo.InteractionResponseData{}
	}
	switch answer.Type {
	case discordgo.InteractionResponseModal:
		r.log.Error("modal after deferral", "interaction", in.ID)
		return nil
	case discordgo.InteractionResponseDeferredMessageUpdate:
		return nil
	}
	if in.Type == discordgo.InteractionMessageComponent && answer.Type == discordgo.InteractionResponseChannelMessageWithSource {
		return resp.Followup(ctx, &discordgo.WebhookParams{
			Content: d.Content, Embeds: d.Embeds, Components: d.Components, Files: d.Files, Flags: d.Flags,
		})
	}
	content := d.Content
	edit := &discordgo.WebhookEdit{Content: &content, Embeds: &d.Embeds, Components: &d.Components, Files: d.Files}
	if d.Embeds == nil {
		edit.Embeds = &[]*discordgo.MessageEmbed{}
	}
	if d.Components == nil {
		edit.Components = &[]discordgo.MessageComponent{}
	}
	return resp.Edit(ctx, edit)
}

// message is a plain text answer; components get a new ephemeral message so the original stays.
func (r *Router) message(req *Request, text string, ephemeral bool) *discordgo.InteractionResponse {
	d := &discordgo.InteractionResponseData{Content: text}
	if ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: d}
}

func autocompleteResult(choices []*discordgo.ApplicationCommandOptionChoice) *discordgo.InteractionResponse {
	if choices == nil {
		choices = []*discordgo.ApplicationCommandOptionChoice{}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}
}

// newErrorID returns a short random ID that links a member's error message to the log line.
func newErrorID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
