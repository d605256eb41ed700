package calllog

import (
	"encoding/json"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/problem"
)

// Fetch is what WebhookCall.fetch shows: the downloads through a delivery
// call's link (files.Service.RecordFetch writes them).
type Fetch struct {
	FirstAt      time.Time
	Count        int
	Bytes        int64
	LastComplete *bool
}

// FetchOf is the fetches of call c, nil if it has none.
func FetchOf(c *ent.WebhookCall) *Fetch {
	if c.FetchCount == 0 || c.FetchedFirstAt == nil {
		return nil
	}
	return &Fetch{FirstAt: *c.FetchedFirstAt, Count: c.FetchCount, Bytes: c.FetchedBytes, LastComplete: c.LastFetchComplete}
}

// MinNotFetchedFor is the shortest wait notFetchedFor takes.
const MinNotFetchedFor = time.Minute

// NotFetchedFor is the notFetchedFor filter of the call log: the delivery
// calls that SUCCEEDED at least raw (a Go duration) before now and whose
// link has not been fetched.
func NotFetchedFor(raw string, now time.Time) (predicate.WebhookCall, error) {
	d, err := time.ParseDuration(raw)
	if err != nil || d < MinNotFetchedFor {
		return nil, problem.Invalid("notFetchedFor", "%q: want a duration such as \"24h\" or \"90m\", at least %s", raw, MinNotFetchedFor)
	}
	return webhookcall.And(
		webhookcall.KindEQ(webhookcall.KindDELIVERY),
		webhookcall.StatusEQ(webhookcall.StatusSUCCEEDED),
		webhookcall.FetchCountEQ(0),
		webhookcall.CompletedAtLTE(now.Add(-d)),
	), nil
}

// notFetchedFilter is a notFetchedFor of a where input written as JSON: its
// value and where it was (the steps through and, or and not).
type notFetchedFilter struct {
	value any
	path  []pathStep
}

type pathStep struct {
	field string // "and", "or" or "not"
	index int
}

// takeNotFetched removes the notFetchedFor fields from v (a where input
// decoded as generic JSON; ent's input has no such field, GraphQL resolves
// it) and answers them, with where they were.
func takeNotFetched(v any, path []pathStep) []notFetchedFilter {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	var out []notFetchedFilter
	if x, ok := m["notFetchedFor"]; ok {
		delete(m, "notFetchedFor")
		if x != nil {
			out = append(out, notFetchedFilter{value: x, path: path})
		}
	}
	for _, field := range []string{"and", "or"} {
		if list, ok := m[field].([]any); ok {
			for i, x := range list {
				out = append(out, takeNotFetched(x, append(path[:len(path):len(path)], pathStep{field, i}))...)
			}
		}
	}
	if x, ok := m["not"]; ok {
		out = append(out, takeNotFetched(x, append(path[:len(path):len(path)], pathStep{field: "not"}))...)
	}
	return out
}

// applyNotFetched adds the filters fs, taken off the JSON w was decoded
// from, to w's where inputs they were in.
func applyNotFetched(w *ent.WebhookCallWhereInput, fs []notFetchedFilter, now time.Time) error {
	for _, f := range fs {
		s, ok := f.value.(string)
		if !ok {
			b, _ := json.Marshal(f.value)
			return problem.Invalid("where", "field \"notFetchedFor\" must be a string such as \"24h\", not %s", b)
		}
		p, err := NotFetchedFor(s, now)
		if err != nil {
			return err
		}
		at := w
		for _, step := range f.path {
			switch {
			case at == nil:
			case step.field == "and" && step.index < len(at.And):
				at = at.And[step.index]
			case step.field == "or" && step.index < len(at.Or):
				at = at.Or[step.index]
			case step.field == "not":
				at = at.Not
			default:
				at = nil
			}
		}
		if at == nil {
			return problem.Invalid("where", "notFetchedFor must be in a where input")
		}
		at.AddPredicates(p)
	}
	return nil
}
