package worker

import (
	"context"
	"fmt"
	"time"

	"github.com/scoopa/webhooks/ent/webhookcall"
)

// The database is the source of truth; Redis only holds tasks. The sweeper
// closes the gap between them: a call that wants an attempt but whose task
// never reached Redis (the process died between commit and enqueue), or was
// lost there (Redis restarted or was flushed), is enqueued again. The task
// ID makes this harmless when the task is in fact still queued, and the
// claim in Deliver makes a duplicate task do nothing.

// sweepBatch bounds the calls one sweep looks at.
const sweepBatch = 1000

// lostAfter is how long past its due time a waiting call is deemed to have
// lost its task even though Redis still knows the task's ID: six sweeps.
func (s *Service) lostAfter() time.Duration { return 6 * s.cfg.SweepAfter }

// Sweep enqueues the calls that wait longer than SweepAfter past their due
// time, and returns how many it looked at.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.now()
	late := now.Add(-s.cfg.SweepAfter)
	calls, err := s.db.WebhookCall.Query().
		Where(
			webhookcall.KindEQ(webhookcall.KindDELIVERY),
			webhookcall.Or(
				webhookcall.And(webhookcall.StatusEQ(webhookcall.StatusPENDING), webhookcall.UpdatedAtLT(late)),
				webhookcall.And(webhookcall.StatusEQ(webhookcall.StatusRETRYING), webhookcall.NextAttemptAtLT(late)),
				webhookcall.And(webhookcall.StatusEQ(webhookcall.StatusRUNNING), webhookcall.UpdatedAtLT(now.Add(-s.staleAfter()))),
			),
		).
		Select(webhookcall.FieldID, webhookcall.FieldAttemptCount, webhookcall.FieldStatus, webhookcall.FieldUpdatedAt, webhookcall.FieldNextAttemptAt).
		Limit(sweepBatch).
		All(ctx)
	if err != nil {
		return 0, fmt.Errorf("sweep: %w", err)
	}
	for _, c := range calls {
		taskID := deliveryTaskID(c.ID, c.AttemptCount+1)
		due := c.UpdatedAt
		if c.NextAttemptAt != nil {
			due = *c.NextAttemptAt
		}
		switch {
		case c.Status == webhookcall.StatusRUNNING:
			// The worker of this attempt died. Its task may still sit in
			// Redis under its lease for a while: a task ID of its own for this
			// stale episode gets the call going now; the claim keeps the old
			// task from running it twice.
			taskID = fmt.Sprintf("%s:stale:%d", taskID, c.UpdatedAt.Unix())
		case now.Sub(due) > s.lostAfter():
			// Still waiting long after its due time: Redis may have lost the
			// task but kept its ID (a partial loss, such as an eviction), which
			// would refuse the usual ID for ever. A new ID each minute; the
			// claim makes any duplicate task a no-op.
			taskID = fmt.Sprintf("%s:late:%d", taskID, now.Unix()/60)
		}
		if err := s.enqueueTask(ctx, c.ID, taskID, now); err != nil {
			return 0, fmt.Errorf("sweep: enqueue call %d: %w", c.ID, err)
		}
	}
	if len(calls) > 0 {
		s.log.InfoContext(ctx, "calls swept", "count", len(calls))
	}
	return len(calls), nil
}

// pruneBatch bounds the calls one delete statement removes, so no lock is
// held long.
const pruneBatch = 1000

// Prune deletes the calls older than CallRetention, in batches, and returns
// how many it deleted.
func (s *Service) Prune(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-s.cfg.CallRetention)
	total := 0
	for {
		ids, err := s.db.WebhookCall.Query().Where(webhookcall.CreatedAtLT(cutoff)).Limit(pruneBatch).IDs(ctx)
		if err != nil {
			return total, fmt.Errorf("prune calls: %w", err)
		}
		if len(ids) == 0 {
			break
		}
		n, err := s.db.WebhookCall.Delete().Where(webhookcall.IDIn(ids...)).Exec(ctx)
		if err != nil {
			return total, fmt.Errorf("prune calls: %w", err)
		}
		total += n
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
	if total > 0 {
		s.log.InfoContext(ctx, "calls pruned", "count", total)
	}
	return total, nil
}
