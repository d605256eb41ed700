package stats

import (
	"context"
	"fmt"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/ent/webhookcallattempt"
)

// lastFailureScan is how many of a range's newest failed attempts
// lastFailures reads at most: a kind of error not among them keeps no exact
// time (its LastSeen hour still says when).
const lastFailureScan = 1000

// lastFailures sets LastFailedAt, the time the newest failed attempt of its
// kind ended, on each of errs, from the attempts of webhook id that ended in
// [start, end) and are still kept (they go with their calls). The rollup
// keeps hours only; this reads the attempts themselves, newest first.
func (s *Reader) lastFailures(ctx context.Context, id int, start, end time.Time, errs map[string]*ErrorCount) error {
	if len(errs) == 0 {
		return nil
	}
	// An attempt counts in the hour it ended: it may have started a little before.
	rows, err := s.db.WebhookCallAttempt.Query().
		Where(
			webhookcallattempt.HasCallWith(webhookcall.WebhookID(id), webhookcall.KindEQ(webhookcall.KindDELIVERY)),
			webhookcallattempt.StartedAtGTE(start.Add(-2*time.Minute)), webhookcallattempt.StartedAtLT(end),
			webhookcallattempt.Or(webhookcallattempt.ErrorNotNil(), webhookcallattempt.ResponseStatusLT(200), webhookcallattempt.ResponseStatusGTE(300)),
		).
		Order(ent.Desc(webhookcallattempt.FieldStartedAt)).Limit(lastFailureScan).
		Select(webhookcallattempt.FieldStartedAt, webhookcallattempt.FieldDurationMs, webhookcallattempt.FieldResponseStatus, webhookcallattempt.FieldError).
		All(ctx)
	if err != nil {
		return fmt.Errorf("last failures of webhook %d: %w", id, err)
	}
	left := len(errs)
	for _, a := range rows {
		status, msg := 0, ""
		if a.ResponseStatus != nil {
			status = *a.ResponseStatus
		}
		if a.Error != nil {
			msg = *a.Error
		}
		e := errs[ErrorKind(status, msg)]
		ended := a.StartedAt.Add(time.Duration(a.DurationMs) * time.Millisecond).UTC()
		if e == nil || ended.Before(start) || !ended.Before(end) {
			continue
		}
		if e.LastFailedAt == nil {
			left--
		}
		if e.LastFailedAt == nil || ended.After(*e.LastFailedAt) {
			e.LastFailedAt = &ended
		}
		if left == 0 {
			break
		}
	}
	return nil
}
