package state

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Answers is one /eligibility conversation: the member who asked, the order and issue asked
// about, and the answers given so far, as fact name -> text (the names of assurance facts,
// "evidence:<kind>" for evidence). It is a Redis hash with a sliding TTL, so any replica can
// continue it and an abandoned one disappears by itself. Each answer is its own hash field,
// so two clicks that answer different questions never overwrite each other.
type Answers struct {
	ID     string
	Owner  string // user ID of the member who asked
	Order  int64
	Issue  string
	Values map[string]string
}

// AnswersTTL is how long an /eligibility conversation lives after its last answer.
const AnswersTTL = 24 * time.Hour

// answer fields are stored under this prefix; the others are the conversation's metadata.
const answerField = "f:"

func (s *Store) answersKey(guild, id string) string { return s.guildKey(guild, "elig", id) }

// NewAnswers stores a new conversation with its metadata (and any first answers) and sets a.ID.
func (s *Store) NewAnswers(ctx context.Context, guild string, a *Answers) error {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("answers id: %w", err)
	}
	a.ID = hex.EncodeToString(b)
	key := s.answersKey(guild, a.ID)
	vals := []any{"owner", a.Owner, "order", strconv.FormatInt(a.Order, 10), "issue", a.Issue}
	for k, v := range a.Values {
		vals = append(vals, answerField+k, v)
	}
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, vals...)
		p.Expire(ctx, key, AnswersTTL)
		return nil
	})
	return wrap("save answers", err)
}

// GetAnswers loads a conversation; ErrNotFound when it expired or never existed.
func (s *Store) GetAnswers(ctx context.Context, guild, id string) (*Answers, error) {
	m, err := s.rdb.HGetAll(ctx, s.answersKey(guild, id)).Result()
	if err != nil {
		return nil, wrap("load answers", err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("answers %s: %w", id, ErrNotFound)
	}
	n, err := strconv.ParseInt(m["order"], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("answers %s: bad order %q", id, m["order"])
	}
	a := &Answers{ID: id, Owner: m["owner"], Order: n, Issue: m["issue"], Values: map[string]string{}}
	for k, v := range m {
		if name, ok := strings.CutPrefix(k, answerField); ok {
			a.Values[name] = v
		}
	}
	return a, nil
}

// setAnswersScript writes answers into an existing conversation and renews its TTL;
// it returns 0 when the conversation does not exist (expired).
var setAnswersScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`)

// SetAnswers records answers (fact name -> text) in a conversation and renews its TTL, in one
// atomic step; ErrNotFound when the conversation has expired.
func (s *Store) SetAnswers(ctx context.Context, guild, id string, values map[string]string) error {
	if len(values) == 0 {
		return nil
	}
	args := []any{AnswersTTL.Milliseconds()}
	for k, v := range values {
		args = append(args, answerField+k, v)
	}
	ok, err := setAnswersScript.Run(ctx, s.rdb, []string{s.answersKey(guild, id)}, args...).Int()
	if err != nil {
		return wrap("save answers", err)
	}
	if ok == 0 {
		return fmt.Errorf("answers %s: %w", id, ErrNotFound)
	}
	return nil
}
