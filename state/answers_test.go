package state_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tradeguard/tradeguard/state"
	"github.com/tradeguard/tradeguard/state/statetest"
)

func TestAnswersRoundTripAndTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	a := &state.Answers{Owner: "u1", Order: 12, Issue: "damaged", Values: map[string]string{"supplier_ta": "true"}}
	if err := s.NewAnswers(ctx, "42", a); err != nil {
		t.Fatal(err)
	}
	if len(a.ID) != 16 {
		t.Fatalf("id %q", a.ID)
	}
	if err := s.SetAnswers(ctx, "42", a.ID, map[string]string{"received_on": "2026-11-01", "evidence:photos": "yes"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetAnswers(ctx, "42", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := "u1 12 damaged map[evidence:photos:yes received_on:2026-11-01 supplier_ta:true]"
	if s := fmt.Sprint(got.Owner, " ", got.Order, " ", got.Issue, " ", got.Values); s != want {
		t.Fatalf("got %s\nwant %s", s, want)
	}
	keys, err := statetest.Keys(ctx, s.Client(), s.Prefix()+":*elig*")
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %v %v", keys, err)
	}
	ttl, err := s.Client().TTL(ctx, keys[0]).Result()
	if err != nil || ttl <= 0 || ttl > state.AnswersTTL {
		t.Fatalf("ttl %v %v, want (0, %v]", ttl, err, state.AnswersTTL)
	}
	if _, err := s.GetAnswers(ctx, "43", a.ID); !state.IsNotFound(err) {
		t.Fatalf("another server reads the conversation: %v", err)
	}

	// An expired conversation (its key gone) is not found and not brought back by an answer.
	if err := s.Client().Del(ctx, keys[0]).Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAnswers(ctx, "42", a.ID, map[string]string{"spec_in_order": "true"}); !state.IsNotFound(err) {
		t.Fatalf("answer to an expired conversation: %v, want not found", err)
	}
	if _, err := s.GetAnswers(ctx, "42", a.ID); !state.IsNotFound(err) {
		t.Fatalf("expired conversation: %v, want not found", err)
	}
}

func TestAnswersConcurrentClicksKeepEveryAnswer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := statetest.New(t)
	a := &state.Answers{Owner: "u1", Order: 1, Issue: "quality_mismatch"}
	if err := s.NewAnswers(ctx, "42", a); err != nil {
		t.Fatal(err)
	}
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.SetAnswers(ctx, "42", a.ID, map[string]string{fmt.Sprintf("q%d", i): "true"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := s.GetAnswers(ctx, "42", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Values) != n {
		t.Fatalf("%d answers kept of %d: %v", len(got.Values), n, got.Values)
	}
}

func TestAnswersUnavailable(t *testing.T) {
	t.Parallel()
	rdb := statetest.Client(t)
	s := state.New(rdb, statetest.Prefix(t, rdb))
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	if _, err := s.GetAnswers(ctx, "42", "abc"); !state.IsUnavailable(err) {
		t.Fatalf("expired context: %v, want unavailable", err)
	}
}
