package commands_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/commands/commandstest"
	"github.com/tradeguard/tradeguard/state/statetest"
)

// testRouter builds a router over custom routes with a deferral timer the test controls.
func testRouter(t *testing.T, fire <-chan time.Time, timerCalls *int, routes ...commands.Route) (*commands.Router, *commandstest.Harness) {
	t.Helper()
	h := commandstest.New(t)
	cat, err := commands.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	after := func(time.Duration) <-chan time.Time {
		*timerCalls++
		return fire
	}
	r, err := commands.NewRouter(cat, slog.New(slog.NewTextHandler(io.Discard, nil)), routes,
		commands.WithDeduper(h.Store), commands.WithClock(h.Now), commands.WithTimer(after))
	if err != nil {
		t.Fatal(err)
	}
	return r, h
}

func command(name string) map[string]any {
	return map[string]any{"id": "1", "name": name, "type": 1}
}

func TestPanickingHandlerGetsErrorID(t *testing.T) {
	calls := 0
	r, h := testRouter(t, make(chan time.Time), &calls, commands.Route{
		Type: discordgo.InteractionApplicationCommand, Path: "boom",
		Handle: func(context.Context, *commands.Request) (*discordgo.InteractionResponse, error) { panic("kaboom") },
	})
	rec := commandstest.NewRecorder(t)
	in := h.Interaction(h.Buyer("alice"), discordgo.InteractionApplicationCommand, command("boom"), nil)
	if err := r.Dispatch(context.Background(), in, rec); err != nil {
		t.Fatal(err)
	}
	m := rec.Last()
	if !m.Ephemeral() || !strings.Contains(m.Content, "error ID `") || strings.Contains(m.Content, "kaboom") {
		t.Fatalf("panic answered with %+v", m)
	}
}

func TestSlowHandlerIsDeferredThenEdited(t *testing.T) {
	fire := make(chan time.Time)
	close(fire) // the budget is already spent
	calls := 0
	release := make(chan struct{})
	r, h := testRouter(t, fire, &calls, commands.Route{
		Type: discordgo.InteractionApplicationCommand, Path: "slow",
		Handle: func(context.Context, *commands.Request) (*discordgo.InteractionResponse, error) {
			<-release // finishes only after the router deferred
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "done"}}, nil
		},
	})
	rec := commandstest.NewRecorder(t)
	rec.Signal = make(chan commandstest.Call, 4)
	go func() {
		c := <-rec.Signal
		if c.Kind != "respond" || c.Response.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource ||
			c.Response.Data.Flags != discordgo.MessageFlagsEphemeral {
			t.Errorf("first call = %+v, want an ephemeral deferral", c)
		}
		close(release)
	}()
	in := h.Interaction(h.Buyer("alice"), discordgo.InteractionApplicationCommand, command("slow"), nil)
	if err := r.Dispatch(context.Background(), in, rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != 2 || rec.Calls[1].Kind != "edit" || *rec.Calls[1].Edit.Content != "done" {
		t.Fatalf("calls = %+v, want deferral then edit", rec.Calls)
	}
}

func TestModalHandlerIsNeverDeferred(t *testing.T) {
	fire := make(chan time.Time)
	close(fire)
	calls := 0
	r, h := testRouter(t, fire, &calls, commands.Route{
		Type: discordgo.InteractionApplicationCommand, Path: "form", OpensModal: true,
		Handle: func(context.Context, *commands.Request) (*discordgo.InteractionResponse, error) {
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
				CustomID: commands.CustomID{Flow: "t", Step: "form"}.String(), Title: "Form",
				Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
					discordgo.TextInput{CustomID: "x", Label: "X", Style: discordgo.TextInputShort}}}},
			}}, nil
		},
	})
	rec := commandstest.NewRecorder(t)
	in := h.Interaction(h.Buyer("alice"), discordgo.InteractionApplicationCommand, command("form"), nil)
	if err := r.Dispatch(context.Background(), in, rec); err != nil {
		t.Fatal(err)
	}
	if calls != 0 {
		t.Fatalf("a deferral timer was started for a modal handler")
	}
	if len(rec.Calls) != 1 || rec.Modal() == nil {
		t.Fatalf("calls = %+v, want exactly the modal", rec.Calls)
	}
}

func TestDuplicateDeliveryIsAnsweredOnce(t *testing.T) {
	calls, runs := 0, 0
	r, h := testRouter(t, make(chan time.Time), &calls, commands.Route{
		Type: discordgo.InteractionApplicationCommand, Path: "count",
		Handle: func(context.Context, *commands.Request) (*discordgo.InteractionResponse, error) {
			runs++
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "ok"}}, nil
		},
	})
	in := h.Interaction(h.Buyer("alice"), discordgo.InteractionApplicationCommand, command("count"), nil)
	first, second := commandstest.NewRecorder(t), commandstest.NewRecorder(t)
	_ = r.Dispatch(context.Background(), in, first)
	_ = r.Dispatch(context.Background(), in, second)
	if runs != 1 || len(first.Calls) != 1 || len(second.Calls) != 0 {
		t.Fatalf("runs=%d first=%d second=%d, want 1/1/0", runs, len(first.Calls), len(second.Calls))
	}
}

func TestUnknownCommandAndRedisDown(t *testing.T) {
	calls := 0
	r, h := testRouter(t, make(chan time.Time), &calls)
	rec := commandstest.NewRecorder(t)
	in := h.Interaction(h.Buyer("alice"), discordgo.InteractionApplicationCommand, command("nope"), nil)
	_ = r.Dispatch(context.Background(), in, rec)
	if !strings.Contains(rec.Text(), "/help") {
		t.Fatalf("unknown command answered %q", rec.Text())
	}

	// A router whose Redis has gone away answers "temporarily unavailable".
	rdb := statetest.Client(t)
	_ = rdb.Close()
	cat, _ := commands.LoadCatalog()
	h2 := commandstest.New(t)
	down, err := commands.NewRouter(cat, slog.New(slog.NewTextHandler(io.Discard, nil)), h2.App.Routes(),
		commands.WithDeduper(stateOn(rdb)))
	if err != nil {
		t.Fatal(err)
	}
	rec = commandstest.NewRecorder(t)
	_ = down.Dispatch(context.Background(), h2.Interaction(h2.Buyer("a"), discordgo.InteractionApplicationCommand, command("help"), nil), rec)
	if !strings.Contains(rec.Text(), "temporarily unavailable") || !strings.Contains(rec.Text(), "Nothing was changed") {
		t.Fatalf("redis down answered %q", rec.Text())
	}
}

func TestWriteRateLimit(t *testing.T) {
	h := commandstest.New(t, commands.WithWriteLimit(3))
	alice, bob := h.Buyer("alice"), h.Buyer("bob")
	for i := 1; i <= 3; i++ {
		if text := h.Command(alice, `/order create supplier:"Acme" total:10`).Text(); !strings.Contains(text, "created") {
			t.Fatalf("write %d refused: %s", i, text)
		}
	}
	if text := h.Command(alice, `/order create supplier:"Acme" total:10`).Text(); !strings.Contains(text, "at most 3 changes a minute") {
		t.Fatalf("fourth write answered %q", text)
	}
	if text := h.Command(alice, "/order show order:3").Text(); !strings.Contains(text, "Order #3") {
		t.Fatalf("a read was rate limited: %s", text)
	}
	if text := h.Command(bob, `/order create supplier:"Acme" total:10`).Text(); !strings.Contains(text, "Order #4 created") {
		t.Fatalf("another member was limited: %s", text)
	}
}

func TestFailingAutocompleteAnswersWithNoChoices(t *testing.T) {
	calls := 0
	r, h := testRouter(t, make(chan time.Time), &calls, commands.Route{
		Type: discordgo.InteractionApplicationCommandAutocomplete, Path: "lookup",
		Handle: func(context.Context, *commands.Request) (*discordgo.InteractionResponse, error) {
			return nil, errors.New("index unavailable")
		},
	})
	rec := commandstest.NewRecorder(t)
	data := command("lookup")
	data["options"] = []map[string]any{{"name": "q", "type": 3, "value": "a", "focused": true}}
	in := h.Interaction(h.Buyer("alice"), discordgo.InteractionApplicationCommandAutocomplete, data, nil)
	if err := r.Dispatch(context.Background(), in, rec); err != nil {
		t.Fatal(err)
	}
	// Discord accepts only an autocomplete result (type 8) in answer to autocomplete.
	if len(rec.Calls) != 1 || rec.Initial().Type != discordgo.InteractionApplicationCommandAutocompleteResult {
		t.Fatalf("calls = %+v, want one autocomplete result", rec.Calls)
	}
}

func TestDeferredUpdateAfterDeferralSendsNothingMore(t *testing.T) {
	fire := make(chan time.Time)
	close(fire) // the budget is already spent
	calls := 0
	release := make(chan struct{})
	r, h := testRouter(t, fire, &calls, commands.Route{
		Type: discordgo.InteractionMessageComponent, Path: "t:ack",
		Handle: func(context.Context, *commands.Request) (*discordgo.InteractionResponse, error) {
			<-release
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, nil
		},
	})
	rec := commandstest.NewRecorder(t)
	rec.Signal = make(chan commandstest.Call, 4)
	go func() { <-rec.Signal; close(release) }()
	in := h.Interaction(h.Buyer("alice"), discordgo.InteractionMessageComponent,
		map[string]any{"custom_id": commands.CustomID{Flow: "t", Step: "ack"}.String(), "component_type": 2}, map[string]any{"id": "1"})
	if err := r.Dispatch(context.Background(), in, rec); err != nil {
		t.Fatal(err)
	}
	// An edit built from the empty answer would blank the message the button is on.
	if len(rec.Calls) != 1 || rec.Calls[0].Response.Type != discordgo.InteractionResponseDeferredMessageUpdate {
		t.Fatalf("calls = %+v, want the deferral only", rec.Calls)
	}
}
