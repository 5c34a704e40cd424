package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/bot/discordfake"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

// The wire tests run discordgo v0.29.0 itself, unmodified, against the local fake Discord in bot/discordfake:
// the gateway handshake and dispatches over a real WebSocket, the answers over REST. Nothing sleeps: tests wait
// on the fake's record (or on channels) under a context deadline that is only a safety net.

// wireTimeout bounds every wait; reaching it means the test failed.
const wireTimeout = 30 * time.Second

func wireContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wireTimeout)
	t.Cleanup(cancel)
	return ctx
}

// fakeSession is a session made by NewSession (as the gateway and register commands make it) and pointed at f.
func fakeSession(t *testing.T, f *discordfake.Fake) *discordgo.Session {
	t.Helper()
	s, err := NewSession(discordfake.Token, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	f.Attach(s)
	return s
}

// testLog collects log lines and prints them if the test fails.
func testLog(t *testing.T) *slog.Logger {
	t.Helper()
	buf := &lockedBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", buf.String())
		}
	})
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// deferTimer is the router's deferral timer: it never fires by itself; a slow test route fires it, so deferral
// happens exactly when the test wants it. calls counts the timers the router started.
type deferTimer struct {
	fire  chan time.Time
	calls atomic.Int64
}

func (d *deferTimer) after(time.Duration) <-chan time.Time {
	d.calls.Add(1)
	return d.fire
}

// observed records the router's dispatch records (the metrics hook), which arrive once an interaction has
// been answered completely, so a test can check that nothing more was sent.
type observed struct {
	mu      sync.Mutex
	changed chan struct{}
	byPath  map[string][]string // path -> outcomes, "deferred " prefixed when deferred
}

func (o *observed) Observe(_, path, outcome string, _ float64, deferred bool) {
	if deferred {
		outcome = "deferred " + outcome
	}
	o.mu.Lock()
	o.byPath[path] = append(o.byPath[path], outcome)
	close(o.changed)
	o.changed = make(chan struct{})
	o.mu.Unlock()
}

// wait returns the outcome of the first dispatch on path.
func (o *observed) wait(ctx context.Context, path string) (string, error) {
	for {
		o.mu.Lock()
		got, changed := o.byPath[path], o.changed
		o.mu.Unlock()
		if len(got) > 0 {
			return got[0], nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return "", fmt.Errorf("no dispatch of %q finished: %w", path, ctx.Err())
		}
	}
}

// wire is one gateway session, run by Gateway.Run against the fake, answering through the bot's real router
// (real handlers over a real store) plus test routes for behaviour the bot's commands do not offer yet.
type wire struct {
	t          *testing.T
	ctx        context.Context // the safety deadline
	fake       *discordfake.Fake
	store      *state.Store
	app        *commands.App
	timer      *deferTimer
	observed   *observed
	rateLimits chan *discordgo.RateLimit
	holding    chan struct{} // closed when the "hold" command has started
	release    chan struct{} // closed by the test to let "hold" answer
	stop       context.CancelFunc
	done       chan struct{} // closed when Gateway.Run has returned
	runErr     error         // Gateway.Run's result, once done
}

func startWire(t *testing.T) *wire {
	t.Helper()
	w := &wire{
		t: t, ctx: wireContext(t), fake: discordfake.New(t), store: statetest.New(t),
		timer: &deferTimer{fire: make(chan time.Time)}, observed: &observed{changed: make(chan struct{}), byPath: map[string][]string{}},
		rateLimits: make(chan *discordgo.RateLimit, 4),
		holding:    make(chan struct{}), release: make(chan struct{}), done: make(chan struct{}),
	}
	log := testLog(t)
	s := fakeSession(t, w.fake)
	s.AddHandler(func(_ *discordgo.Session, rl *discordgo.RateLimit) {
		select {
		case w.rateLimits <- rl:
		default:
		}
	})
	cat, err := commands.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	w.app = &commands.App{Store: w.store, Policy: assurance.Default(), Cat: cat, Announce: ChannelAnnouncer{Session: s}, Log: log}
	router, err := commands.NewRouter(cat, log, append(w.app.Routes(), w.routes()...),
		commands.WithDeduper(w.store), commands.WithTimer(w.timer.after), commands.WithObserver(w.observed))
	if err != nil {
		t.Fatal(err)
	}
	g := &Gateway{Session: s, Router: router, Log: log}

	runCtx, stop := context.WithCancel(context.Background())
	w.stop = stop
	waitCtx, runEnded := context.WithCancelCause(w.ctx)
	go func() {
		w.runErr = g.Run(runCtx)
		close(w.done)
		runEnded(w.runErr)
	}()
	t.Cleanup(func() { // a test that failed early still shuts the session down
		stop()
		select {
		case <-w.done:
		case <-time.After(wireTimeout):
		}
	})
	// Open has returned once the session heartbeats (its heartbeat loop starts after READY).
	err = w.fake.Wait(waitCtx, func(l *discordfake.Log) bool { return len(l.Heartbeats) > 0 && len(l.Dispatches) > 0 })
	if err != nil {
		t.Fatalf("gateway did not come up: %v", err)
	}
	return w
}

// routes are the test routes: a slow command, components, autocomplete, a modal and a command held until the
// test releases it.
func (w *wire) routes() []commands.Route {
	text := func(s string) *discordgo.InteractionResponse {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: s, Flags: discordgo.MessageFlagsEphemeral}}
	}
	return []commands.Route{
		{Type: discordgo.InteractionApplicationCommand, Path: "slow", Handle: func(_ context.Context, r *commands.Request) (*discordgo.InteractionResponse, error) {
			w.deferNow(r)
			return text("slow answer"), nil
		}},
		{Type: discordgo.InteractionMessageComponent, Path: "wire:pick", Handle: func(_ context.Context, r *commands.Request) (*discordgo.InteractionResponse, error) {
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: &discordgo.InteractionResponseData{
				Content: "picked " + strings.Join(r.Values(), ",") + " for " + r.Custom.ID, Components: []discordgo.MessageComponent{}}}, nil
		}},
		{Type: discordgo.InteractionMessageComponent, Path: "wire:later", Handle: func(_ context.Context, r *commands.Request) (*discordgo.InteractionResponse, error) {
			w.deferNow(r)
			return text("later answer"), nil
		}},
		{Type: discordgo.InteractionMessageComponent, Path: "wire:ack", Handle: func(_ context.Context, r *commands.Request) (*discordgo.InteractionResponse, error) {
			w.deferNow(r)
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, nil // nothing to change
		}},
		{Type: discordgo.InteractionApplicationCommandAutocomplete, Path: "lookup", Handle: func(_ context.Context, r *commands.Request) (*discordgo.InteractionResponse, error) {
			if r.Focused().StringValue() == "boom" {
				return nil, errors.New("supplier index unavailable")
			}
			var choices []*discordgo.ApplicationCommandOptionChoice
			for _, name := range []string{"Acme Tools", "Acme Textiles", "Bolt Parts"} {
				if strings.HasPrefix(strings.ToLower(name), strings.ToLower(r.Focused().StringValue())) {
					choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: name, Value: name})
				}
			}
			return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
				Data: &discordgo.InteractionResponseData{Choices: choices}}, nil
		}},
		{Type: discordgo.InteractionApplicationCommand, Path: "form", OpensModal: true, Handle: func(context.Context, *commands.Request) (*discordgo.InteractionResponse, error) {
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
				CustomID: commands.CustomID{Flow: "wire", Step: "form", ID: "7"}.String(), Title: "Wire form",
				Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
					discordgo.TextInput{CustomID: "note", Label: "Note", Style: discordgo.TextInputShort}}}},
			}}, nil
		}},
		{Type: discordgo.InteractionModalSubmit, Path: "wire:form", Handle: func(_ context.Context, r *commands.Request) (*discordgo.InteractionResponse, error) {
			return text("noted: " + r.Field("note") + " on form " + r.Custom.ID), nil
		}},
		{Type: discordgo.InteractionApplicationCommand, Path: "hold", Handle: func(context.Context, *commands.Request) (*discordgo.InteractionResponse, error) {
			close(w.holding)
			<-w.release
			return text("held answer"), nil
		}},
	}
}

// deferNow fires the router's deferral timer and returns once the fake has answered the deferral callback,
// so the handler's answer can only go out as an edit or a follow-up.
func (w *wire) deferNow(r *commands.Request) {
	select {
	case w.timer.fire <- time.Now():
	case <-w.ctx.Done():
		return
	}
	if _, err := w.fake.WaitRequests(w.ctx, discordfake.RouteCallback, r.I.ID, 1); err != nil {
		w.t.Errorf("deferral of %s: %v", r.Path, err)
	}
}

// interact delivers an interaction over the gateway.
func (w *wire) interact(in discordfake.Interaction) discordfake.Sent {
	w.t.Helper()
	sent, err := w.fake.Interact(in)
	if err != nil {
		w.t.Fatalf("deliver interaction: %v", err)
	}
	return sent
}

// command delivers a slash command written in console syntax, built from the bot's definitions.
func (w *wire) command(line string) discordfake.Sent {
	w.t.Helper()
	data, err := commands.ParseCommandLine(w.app.Definitions(), line, func(kind, name string) string { return name })
	if err != nil {
		w.t.Fatalf("%s: %v", line, err)
	}
	return w.interact(discordfake.Interaction{Type: discordgo.InteractionApplicationCommand, Data: data})
}

// testCommand delivers a command that only the test routes know.
func (w *wire) testCommand(name string, options ...map[string]any) discordfake.Sent {
	w.t.Helper()
	data := map[string]any{"id": "810000000000000001", "name": name, "type": int(discordgo.ChatApplicationCommand)}
	if options != nil {
		data["options"] = options
	}
	return w.interact(discordfake.Interaction{Type: discordgo.InteractionApplicationCommand, Data: data})
}

// autocomplete delivers an autocomplete interaction for the test command "lookup" with the supplier typed.
func (w *wire) autocomplete(typed string) discordfake.Sent {
	w.t.Helper()
	return w.interact(discordfake.Interaction{Type: discordgo.InteractionApplicationCommandAutocomplete, Data: map[string]any{
		"id": "810000000000000003", "name": "lookup", "type": int(discordgo.ChatApplicationCommand),
		"options": []map[string]any{{"name": "supplier", "type": int(discordgo.ApplicationCommandOptionString), "value": typed, "focused": true}},
	}})
}

// click delivers a component interaction on a message with one button and one select menu.
func (w *wire) click(customID string, values ...string) discordfake.Sent {
	w.t.Helper()
	data := map[string]any{"custom_id": customID, "component_type": int(discordgo.ButtonComponent)}
	if values != nil {
		data["component_type"], data["values"] = int(discordgo.SelectMenuComponent), values
	}
	msg := map[string]any{
		"id": "810000000000000002", "channel_id": discordfake.Channel, "content": "Pick one", "flags": 0,
		"components": []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "Later", Style: discordgo.PrimaryButton,
				CustomID: commands.CustomID{Flow: "wire", Step: "later", ID: "42"}.String()}}},
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
				CustomID: commands.CustomID{Flow: "wire", Step: "pick", ID: "42"}.String(),
				Options:  []discordgo.SelectMenuOption{{Label: "A", Value: "a"}, {Label: "B", Value: "b"}}}}},
		},
	}
	return w.interact(discordfake.Interaction{Type: discordgo.InteractionMessageComponent, Data: data, Message: msg})
}

// callbacks waits for n answered callbacks of an interaction and decodes the last one.
func (w *wire) callbacks(sent discordfake.Sent, n int) ([]discordfake.Request, *discordfake.Callback) {
	w.t.Helper()
	reqs, err := w.fake.WaitRequests(w.ctx, discordfake.RouteCallback, sent.ID, n)
	if err != nil {
		w.t.Fatal(err)
	}
	cb, err := reqs[len(reqs)-1].Callback()
	if err != nil {
		w.t.Fatal(err)
	}
	return reqs, cb
}

// message waits for the first answered request on a message route (edit or follow-up) of an interaction.
func (w *wire) message(route discordfake.Route, sent discordfake.Sent) (discordfake.Request, *discordgo.Message) {
	w.t.Helper()
	reqs, err := w.fake.WaitRequests(w.ctx, route, sent.ID, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	m, err := reqs[0].Message()
	if err != nil {
		w.t.Fatal(err)
	}
	return reqs[0], m
}

// shutdown stops Gateway.Run and returns its error.
func (w *wire) shutdown() error {
	w.t.Helper()
	w.stop()
	select {
	case <-w.done:
		return w.runErr
	case <-w.ctx.Done():
		w.t.Fatal("Gateway.Run did not return after its context ended")
		return nil
	}
}

// TestWireGateway runs one gateway session through every scenario, in order, and shuts it down at the end
// (each session costs a second in discordgo's Close).
func TestWireGateway(t *testing.T) {
	w := startWire(t)
	f := w.fake

	t.Run("handshake identifies with the Guilds intent only", func(t *testing.T) {
		l := f.Log()
		if l.Connects != 1 || len(l.Identifies) != 1 || l.Resumes != 0 {
			t.Fatalf("connects=%d identifies=%d resumes=%d, want one fresh session", l.Connects, len(l.Identifies), l.Resumes)
		}
		id := l.Identifies[0]
		if id.Token != discordfake.Token || id.Intents != discordgo.IntentsGuilds || id.Shard != nil {
			t.Fatalf("identify = %+v, want the bot token, intents Guilds (1) only and no shard", id)
		}
		if id.Intents&(discordgo.IntentGuildMembers|discordgo.IntentGuildPresences|discordgo.IntentMessageContent) != 0 {
			t.Fatalf("privileged intents requested: %d", id.Intents)
		}
		if l.Dispatches[0].Event != "READY" || l.Dispatches[0].Seq != 1 {
			t.Fatalf("first dispatch = %+v, want READY with seq 1", l.Dispatches[0])
		}
		gw := l.Answered(discordfake.RouteGateway, "")
		if len(gw) != 1 || gw[0].Path != "/api/v9/gateway" {
			t.Fatalf("gateway URL requests = %+v, want one GET /api/v9/gateway", gw)
		}
	})

	t.Run("command answered in time", func(t *testing.T) {
		timers := w.timer.calls.Load()
		help := w.command("/help")
		_, cb := w.callbacks(help, 1)
		if cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Data == nil || len(cb.Data.Embeds) != 1 ||
			cb.Data.Embeds[0].Title != "TradeGuard" || !strings.Contains(cb.Data.Embeds[0].Description, "/order create") {
			t.Fatalf("/help answered %+v", cb)
		}
		if got := w.timer.calls.Load() - timers; got != 1 {
			t.Fatalf("router started %d deferral timers for /help, want 1 (raced, not fired)", got)
		}

		create := w.command(`/order create supplier:"Acme Tools" total:1250.50 currency:USD ship-date:2026-12-20`)
		_, cb = w.callbacks(create, 1)
		if cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Data.Flags&discordgo.MessageFlagsEphemeral == 0 ||
			len(cb.Data.Embeds) == 0 || cb.Data.Embeds[0].Title != "Order #1 created" {
			t.Fatalf("/order create answered %+v", cb)
		}
		o, err := w.store.GetOrder(w.ctx, discordfake.Guild, 1)
		if err != nil || o.Supplier != "Acme Tools" || o.Total.String() != "1250.5" || o.Buyer != "900000000000000001" {
			t.Fatalf("stored order = %+v, %v", o, err)
		}
	})

	t.Run("slow command deferred then edited", func(t *testing.T) {
		slow := w.testCommand("slow")
		edit, m := w.message(discordfake.RouteEditMessage, slow)
		reqs, cb := w.callbacks(slow, 1)
		if len(reqs) != 1 || cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource ||
			cb.Data == nil || cb.Data.Flags != discordgo.MessageFlagsEphemeral {
			t.Fatalf("callbacks = %d, last %+v; want one ephemeral deferral (type 5)", len(reqs), cb)
		}
		if edit.Method != "PATCH" || edit.MessageID != "@original" || m.Content != "slow answer" {
			t.Fatalf("edit = %s %s %q, want PATCH of @original with the answer", edit.Method, edit.Path, m.Content)
		}
		if !edit.At.After(reqs[0].At) {
			t.Fatalf("edit arrived at %v, before the deferral at %v", edit.At, reqs[0].At)
		}
	})

	t.Run("component click updates its message", func(t *testing.T) {
		pick := w.click(commands.CustomID{Flow: "wire", Step: "pick", ID: "42"}.String(), "b")
		_, cb := w.callbacks(pick, 1)
		if cb.Type != discordgo.InteractionResponseUpdateMessage || cb.Data.Content != "picked b for 42" || len(cb.Data.Components) != 0 {
			t.Fatalf("select answered %+v", cb)
		}
	})

	t.Run("slow component deferred then followed up", func(t *testing.T) {
		later := w.click(commands.CustomID{Flow: "wire", Step: "later", ID: "42"}.String())
		fu, m := w.message(discordfake.RouteFollowup, later)
		_, cb := w.callbacks(later, 1)
		if cb.Type != discordgo.InteractionResponseDeferredMessageUpdate {
			t.Fatalf("deferral of a component = type %d, want a deferred update (6)", cb.Type)
		}
		if fu.Query.Get("wait") != "true" || m.Content != "later answer" || m.Flags != discordgo.MessageFlagsEphemeral {
			t.Fatalf("follow-up = %s?%s %+v, want an ephemeral message", fu.Path, fu.Query.Encode(), m)
		}
		if n := len(f.Log().Answered(discordfake.RouteEditMessage, later.ID)); n != 0 {
			t.Fatalf("the clicked message was edited %d times; an error-style answer must leave it alone", n)
		}
	})

	t.Run("slow component that changes nothing leaves its message alone", func(t *testing.T) {
		ack := w.click(commands.CustomID{Flow: "wire", Step: "ack", ID: "42"}.String())
		outcome, err := w.observed.wait(w.ctx, "wire:ack")
		if err != nil || outcome != "deferred ok" {
			t.Fatalf("outcome %q, %v; want a deferred success", outcome, err)
		}
		l := f.Log()
		if cbs := l.Answered(discordfake.RouteCallback, ack.ID); len(cbs) != 1 {
			t.Fatalf("callbacks = %+v, want the deferral only", cbs)
		}
		if edits := l.Answered(discordfake.RouteEditMessage, ack.ID); len(edits) != 0 {
			t.Fatalf("the message was edited to %s; a deferred update needs no edit", edits[0].Body)
		}
	})

	t.Run("autocomplete answered with choices, never deferred", func(t *testing.T) {
		timers := w.timer.calls.Load()
		sent := w.autocomplete("ac")
		_, cb := w.callbacks(sent, 1)
		if cb.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(cb.Choices) != 2 ||
			cb.Choices[0].Name != "Acme Tools" || cb.Choices[1].Name != "Acme Textiles" {
			t.Fatalf("autocomplete answered %+v", cb)
		}
		if w.timer.calls.Load() != timers {
			t.Fatal("the router started a deferral timer for autocomplete")
		}
	})

	t.Run("failing autocomplete still answers with choices", func(t *testing.T) {
		sent := w.autocomplete("boom")
		reqs, cb := w.callbacks(sent, 1)
		if reqs[0].Status != 204 || cb.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(cb.Choices) != 0 {
			t.Fatalf("failing autocomplete answered %d %s; Discord accepts only type 8 for autocomplete", reqs[0].Status, reqs[0].Body)
		}
	})

	t.Run("modal opened, never deferred, then submitted", func(t *testing.T) {
		timers := w.timer.calls.Load()
		form := w.testCommand("form")
		reqs, cb := w.callbacks(form, 1)
		if len(reqs) != 1 || cb.Type != discordgo.InteractionResponseModal || cb.CustomID != "v1:wire:form:7" || cb.Title != "Wire form" {
			t.Fatalf("/form answered %+v", cb)
		}
		if w.timer.calls.Load() != timers {
			t.Fatal("the router started a deferral timer for a handler that opens a modal")
		}
		submit := w.interact(discordfake.Interaction{Type: discordgo.InteractionModalSubmit, Data: map[string]any{
			"custom_id": cb.CustomID,
			"components": []map[string]any{{"type": 1, "components": []map[string]any{
				{"type": int(discordgo.TextInputComponent), "custom_id": "note", "value": "  ship by Friday "}}}},
		}})
		_, cb = w.callbacks(submit, 1)
		if cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Data.Content != "noted: ship by Friday on form 7" {
			t.Fatalf("modal submit answered %+v", cb)
		}
	})

	t.Run("429 with Retry-After is honoured", func(t *testing.T) {
		const retryAfter = 50 * time.Millisecond
		f.RateLimitOnce(discordfake.RouteCallback, retryAfter)
		help := w.command("/help")
		reqs, cb := w.callbacks(help, 2)
		if reqs[0].Status != 429 || reqs[1].Status != 204 || cb.Type != discordgo.InteractionResponseChannelMessageWithSource {
			t.Fatalf("callback statuses %d then %d (type %d), want 429 then 204", reqs[0].Status, reqs[1].Status, cb.Type)
		}
		if gap := reqs[1].At.Sub(reqs[0].At); gap < retryAfter {
			t.Fatalf("retried %v after the 429, before the advertised %v", gap, retryAfter)
		}
		select {
		case rl := <-w.rateLimits:
			if rl.RetryAfter != retryAfter || !strings.HasSuffix(rl.URL, "/callback") {
				t.Fatalf("rate limit event = %+v (%s)", rl.TooManyRequests, rl.URL)
			}
		case <-w.ctx.Done():
			t.Fatal("discordgo emitted no RateLimit event")
		}
	})

	t.Run("heartbeats are acknowledged", func(t *testing.T) {
		// discordgo closes a connection whose heartbeats go unacknowledged for five intervals; eight heartbeats
		// on one connection show that it reads the ACKs.
		err := f.Wait(w.ctx, func(l *discordfake.Log) bool { return len(l.Heartbeats) >= 8 || len(l.Closes) > 0 })
		if err != nil {
			t.Fatal(err)
		}
		l := f.Log()
		if len(l.Closes) != 0 || l.Connects != 1 {
			t.Fatalf("closes = %+v, connects = %d: the session did not stay connected", l.Closes, l.Connects)
		}
		last := int64(0)
		for _, hb := range l.Heartbeats {
			if hb.Seq == nil || *hb.Seq < last {
				t.Fatalf("heartbeat sequence numbers %v go back", l.Heartbeats)
			}
			last = *hb.Seq
		}
		if final := l.Dispatches[len(l.Dispatches)-1].Seq; last > final {
			t.Fatalf("heartbeat acknowledges seq %d, beyond the last dispatch %d", last, final)
		}
	})

	t.Run("shutdown answers the interaction in flight", func(t *testing.T) {
		hold := w.testCommand("hold")
		select {
		case <-w.holding:
		case <-w.ctx.Done():
			t.Fatal("the held command did not start")
		}
		w.stop() // the process is told to stop while the command is still working
		close(w.release)
		if err := w.shutdown(); err != nil {
			t.Fatalf("Gateway.Run: %v", err)
		}
		l := f.Log()
		got := l.Answered(discordfake.RouteCallback, hold.ID)
		if len(got) != 1 || got[0].Status != 204 {
			t.Fatalf("callbacks of the held command = %+v, want its answer delivered before Run returned", got)
		}
		if cb, _ := got[0].Callback(); cb.Data == nil || cb.Data.Content != "held answer" {
			t.Fatalf("held command answered %+v", cb)
		}
		if len(l.Closes) != 1 || l.Closes[0].Code != 1000 || !l.Closes[0].ByClient {
			t.Fatalf("closes = %+v, want one normal close by the bot", l.Closes)
		}
	})

	// Every interaction was acknowledged exactly once, and nothing but the deliberate 429 failed.
	seen := map[string]int{}
	for _, r := range f.Log().Requests {
		ok := r.Status >= 200 && r.Status < 300
		if r.Status == 429 {
			continue
		}
		if !ok {
			t.Errorf("%s %s answered %d: %s", r.Method, r.Path, r.Status, r.Body)
		}
		if r.Route == discordfake.RouteCallback {
			seen[r.Interaction]++
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("interaction %s acknowledged %d times", id, n)
		}
	}
}

// TestWireRegister registers the bot's command definitions with the fake through bot.Registration: the first
// run sends them, a second run with the same definitions is skipped because the hash in Redis matches, and
// --force sends them again.
func TestWireRegister(t *testing.T) {
	ctx := wireContext(t)
	f := discordfake.New(t)
	store := statetest.New(t)
	s := fakeSession(t, f)
	app, _, err := NewRouter(store, assurance.Default(), ChannelAnnouncer{Session: s}, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	defs := app.Definitions()
	puts := func() []discordfake.Request { return f.Log().Answered(discordfake.RouteCommands, "") }

	guild := &Registration{Session: s, Store: store, AppID: discordfake.AppID, GuildID: discordfake.Guild}
	for i, step := range []struct {
		force, sent bool
		puts        int
	}{{false, true, 1}, {false, false, 1}, {true, true, 2}, {false, false, 2}} {
		sent, err := guild.Run(ctx, defs, step.force)
		if err != nil || sent != step.sent || len(puts()) != step.puts {
			t.Fatalf("step %d (force=%v): sent=%v err=%v puts=%d; want sent=%v puts=%d", i, step.force, sent, err, len(puts()), step.sent, step.puts)
		}
	}
	put := puts()[0]
	want := "/api/v9/applications/" + discordfake.AppID + "/guilds/" + discordfake.Guild + "/commands"
	if put.Method != "PUT" || put.Path != want || put.Status != 200 || put.Header.Get("Authorization") != discordfake.Token {
		t.Fatalf("bulk overwrite = %s %s (%d), want PUT %s with the bot token", put.Method, put.Path, put.Status, want)
	}
	cmds, err := put.Commands()
	if err != nil || len(cmds) != len(defs) {
		t.Fatalf("sent %d commands (%v), want %d", len(cmds), err, len(defs))
	}
	for i, c := range cmds {
		if c.Name != defs[i].Name || c.Description != defs[i].Description || len(c.Options) != len(defs[i].Options) {
			t.Fatalf("command %d sent as %+v, want %+v", i, c, defs[i])
		}
	}

	global := &Registration{Session: s, Store: store, AppID: discordfake.AppID}
	if sent, err := global.Run(ctx, defs, false); err != nil || !sent {
		t.Fatalf("global registration: sent=%v err=%v; the server's hash must not count for the global scope", sent, err)
	}
	last := puts()[len(puts())-1]
	if last.Path != "/api/v9/applications/"+discordfake.AppID+"/commands" || last.Guild != "" {
		t.Fatalf("global bulk overwrite went to %s", last.Path)
	}
}
