package state_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

const convTTL = 24 * time.Hour

func convKey(s *state.Store, guild, id string) string {
	return s.Prefix() + ":{g" + guild + "}:conv:" + id
}

func startConv(t *testing.T, s *state.Store, key string) *state.Conversation {
	t.Helper()
	c := &state.Conversation{Guild: "42", Flow: "dispute", Step: "issue", Owner: "u1", Key: key, Data: []byte(`{"order":7}`)}
	if err := s.StartConversation(context.Background(), c, time.Now(), convTTL); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConversationStepsAreCompareAndSet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	c := startConv(t, s, "7:u1")
	if c.ID == "" || c.Version != 1 {
		t.Fatalf("started %+v", c)
	}
	got, err := s.Conversation(ctx, "42", c.ID)
	if err != nil || got.Step != "issue" || got.Owner != "u1" || got.Flow != "dispute" || string(got.Data) != `{"order":7}` || got.Version != 1 {
		t.Fatalf("loaded %+v, %v", got, err)
	}
	got.Step, got.Data = "facts", []byte(`{"order":7,"issue":"damaged"}`)
	if err := s.AdvanceConversation(ctx, got, time.Now(), convTTL); err != nil || got.Version != 2 {
		t.Fatalf("advance: %v, version %d", err, got.Version)
	}
	stale := *c // still at version 1: a second click on the same button
	stale.Step = "evidence"
	if err := s.AdvanceConversation(ctx, &stale, time.Now(), convTTL); !state.IsConflict(err) {
		t.Fatalf("stale advance: %v, want conflict", err)
	}
	now, _ := s.Conversation(ctx, "42", c.ID)
	if now.Step != "facts" || now.Version != 2 {
		t.Fatalf("after the stale click: %+v", now)
	}
	if _, err := s.Conversation(ctx, "43", c.ID); !state.IsNotFound(err) {
		t.Fatalf("another server sees the conversation: %v", err)
	}
}

func TestConversationConcurrentStepsApplyOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	c := startConv(t, s, "")
	const n = 20
	var wg sync.WaitGroup
	wins := make(chan int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := *c
			mine.Step = "facts"
			if err := s.AdvanceConversation(ctx, &mine, time.Now(), convTTL); err == nil {
				wins <- i
			} else if !state.IsConflict(err) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	close(wins)
	if len(wins) != 1 {
		t.Fatalf("%d concurrent advances from version 1 succeeded, want exactly 1", len(wins))
	}
	if got, _ := s.Conversation(ctx, "42", c.ID); got.Version != 2 {
		t.Fatalf("version %d, want 2", got.Version)
	}
}

func TestConversationExpirySlidesAndExpiredIsNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	c := startConv(t, s, "7:u1")
	key := convKey(s, "42", c.ID)
	if err := s.Client().PExpire(ctx, key, time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.AdvanceConversation(ctx, c, time.Now(), convTTL); err != nil {
		t.Fatal(err)
	}
	if ttl := s.Client().PTTL(ctx, key).Val(); ttl <= 23*time.Hour || ttl > convTTL {
		t.Fatalf("TTL after a step = %v, want it slid back to 24h", ttl)
	}
	if found, err := s.FindConversation(ctx, "42", "dispute", "7:u1"); err != nil || found.ID != c.ID {
		t.Fatalf("find: %+v, %v", found, err)
	}
	if err := s.Client().Del(ctx, key).Err(); err != nil { // what Redis does when the TTL runs out
		t.Fatal(err)
	}
	if _, err := s.Conversation(ctx, "42", c.ID); !state.IsNotFound(err) {
		t.Fatalf("expired: %v, want not found", err)
	}
	if err := s.AdvanceConversation(ctx, c, time.Now(), convTTL); !state.IsNotFound(err) {
		t.Fatalf("advance expired: %v, want not found", err)
	}
	if _, err := s.FindConversation(ctx, "42", "dispute", "7:u1"); !state.IsNotFound(err) {
		t.Fatalf("find expired: %v, want not found", err)
	}
}

func TestConversationRestartReplacesTheOldOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	old := startConv(t, s, "7:u1")
	fresh := startConv(t, s, "7:u1")
	if fresh.ID == old.ID {
		t.Fatal("two starts share an id")
	}
	if _, err := s.Conversation(ctx, "42", old.ID); !state.IsNotFound(err) {
		t.Fatalf("the replaced conversation still answers: %v", err)
	}
	if found, err := s.FindConversation(ctx, "42", "dispute", "7:u1"); err != nil || found.ID != fresh.ID {
		t.Fatalf("find: %+v, %v", found, err)
	}
	// Restarting under the same id keeps counting versions, so old buttons stay stale.
	again := &state.Conversation{Guild: "42", ID: fresh.ID, Flow: "dispute", Step: "issue", Owner: "u1", Key: "7:u1"}
	if err := s.StartConversation(ctx, again, time.Now(), convTTL); err != nil || again.Version != 2 {
		t.Fatalf("restart under the same id: version %d, %v", again.Version, err)
	}
	stale := *fresh
	if err := s.DeleteConversation(ctx, &stale); !state.IsConflict(err) {
		t.Fatalf("delete at a stale version: %v", err)
	}
	if err := s.DeleteConversation(ctx, again); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindConversation(ctx, "42", "dispute", "7:u1"); !state.IsNotFound(err) {
		t.Fatalf("find after delete: %v", err)
	}
}
