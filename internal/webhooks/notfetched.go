package webhooks

import (
	"context"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/schema"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/files"
)

// With NotFetchedAfter set (SCOOPA_OPERATOR_NOT_FETCHED_AFTER), the
// operator webhook hears of each delivered file its receiver did not
// fetch in time: call.not_fetched. What happens:
//
//  1. A periodic task (TypeNotFetched, every NotFetchedScan) runs
//     NotFetched; with the setting off it is not scheduled, and does
//     nothing if run.
//  2. NotFetched looks, through the partial index webhookcall_not_fetched,
//     for the delivery calls that SUCCEEDED (not test calls: a test is
//     looked at by whoever sent it), whose link was never fetched
//     (files.Service.RecordFetch sets fetched_first_at), that were not
//     told of yet, and that were delivered (completed_at) between
//     NotFetchedLookback before the deadline and the deadline: now minus
//     the setting.
//  3. The store marks at most notFetchedBatch of them, those delivered
//     first first, in one conditional UPDATE (not_fetched_told_at, unset
//     and still unfetched), and answers only the calls that statement
//     marked: another worker's run at the same time, a second run, a fetch
//     that came first or a send again in between leave a call out.
//  4. Each marked call raises call.not_fetched, a queued operator event
//     (internal/operator). The mark comes first: a process that dies
//     between the two loses the event rather than sending it twice.
//
// Nothing of this is on the delivery path: no task, statement or column
// is written per delivered call beyond the partial index's entry.

// The bounds of NotFetchedAfter: a minute at least, and at most the
// validity of a delivery's download link (files.LinkValidity, 24h), after
// which the link cannot be fetched any more, so that waiting longer would
// only delay the news.
const (
	MinNotFetchedAfter = time.Minute
	MaxNotFetchedAfter = files.LinkValidity
)

// NotFetchedLookback is how far past its deadline a call unfetched is
// still told of. Older calls, such as those delivered long before the
// setting was turned on, are left alone (never told), so turning it on
// tells of a week at most, notFetchedBatch calls a run.
const NotFetchedLookback = 7 * 24 * time.Hour

// notFetchedBatch bounds the calls one run tells of; the rest are told of
// by the next runs, those delivered first first, until they pass the
// lookback.
const notFetchedBatch = 1000

// NotFetchedScan is how often the calls not fetched in time are looked
// for: a tenth of the setting, between 1 second and 1 minute; 0 when the
// setting is off (no task is scheduled).
func (s *Service) NotFetchedScan() time.Duration {
	if s.cfg.NotFetchedAfter == 0 || !s.operator.On() {
		return 0
	}
	return min(max(s.cfg.NotFetchedAfter/10, time.Second), time.Minute)
}

// notFetchedDue is the condition of the calls whose file was not fetched
// by deadline and that may still be told of: those of the partial index
// (schema.CallNotFetchedWhere, written as the index has it) delivered
// between NotFetchedLookback before deadline and deadline.
func notFetchedDue(deadline time.Time) predicate.WebhookCall {
	return webhookcall.And(
		func(sel *entsql.Selector) { sel.Where(entsql.ExprP(schema.CallNotFetchedWhere)) },
		webhookcall.CompletedAtGTE(deadline.Add(-NotFetchedLookback)),
		webhookcall.CompletedAtLTE(deadline),
	)
}

// NotFetched raises call.not_fetched for the delivered calls whose file
// was not fetched within NotFetchedAfter (at most notFetchedBatch a run),
// once per call, and returns how many it raised. With the setting or the
// operator webhook off it does nothing, not even a query.
func (s *Recovery) NotFetched(ctx context.Context) (int, error) {
	after := s.cfg.NotFetchedAfter
	if after == 0 || !s.operator.On() {
		return 0, nil
	}
	batch := notFetchedBatch
	if s.maxNotFetched > 0 {
		batch = s.maxNotFetched
	}
	now := s.now()
	calls, err := s.store.MarkNotFetched(ctx, notFetchedDue(now.Add(-after)), now, batch)
	if err != nil {
		return 0, fmt.Errorf("calls not fetched: %w", err)
	}
	for _, c := range calls {
		s.operator.CallNotFetched(ctx, c, after)
	}
	if len(calls) > 0 {
		s.log.InfoContext(ctx, "calls not fetched told", "count", len(calls), "not_fetched_after", after.String())
	}
	return len(calls), nil
}
