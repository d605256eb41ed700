package webhooks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/audit"
)

// The database is the source of truth; Redis only holds tasks. The sweeper
// closes the gap between them: a call that wants an attempt but whose task
// never reached Redis (the process died between commit and enqueue), or was
// lost there (Redis restarted or was flushed), is enqueued again. The task
// ID makes this harmless when the task is in fact still queued, and the
// claim in Deliver makes a duplicate task do nothing.
//
// A delivery call left RUNNING by a worker that died is enqueued again like
// a lost one (Deliver's claim takes over a stale RUNNING call). A call of
// another kind (a validation, never retried) left RUNNING past its deadline
// is failed instead: nothing else would ever end it.

// sweepBatch bounds the calls one sweep looks at.
const sweepBatch = 1000

// lostAfter is how long past its due time a waiting call is deemed to have
// lost its task even though Redis still knows the task's ID: six sweeps.
func (s *Recovery) lostAfter() time.Duration { return 6 * s.cfg.SweepAfter }

// Sweep enqueues the delivery calls that wait longer than SweepAfter past
// their due time, fails the calls of other kinds left RUNNING past their
// deadline, and returns how many calls it looked at.
func (s *Recovery) Sweep(ctx context.Context) (int, error) {
	abandoned, err := s.failAbandoned(ctx)
	if err != nil {
		return 0, err
	}
	n, err := s.sweepDeliveries(ctx)
	return abandoned + n, err
}

// failAbandoned fails the calls other than deliveries (validations) that are
// still RUNNING past their deadline: the process making them died. They are
// never retried, so nobody else would ever end them. The webhook keeps its
// validation status; one never validated is picked up again by the
// periodic revalidation scan (its last_validated_at is still unset).
func (s *Recovery) failAbandoned(ctx context.Context) (int, error) {
	now := s.now()
	deadline := s.validations.validationDeadline()
	stale := webhookcall.And(
		webhookcall.KindNEQ(webhookcall.KindDELIVERY),
		webhookcall.StatusEQ(webhookcall.StatusRUNNING),
		// A little slack over the deadline, for clocks of other processes.
		webhookcall.UpdatedAtLT(now.Add(-deadline-5*time.Second)),
	)
	calls, err := s.store.FailAbandoned(ctx, stale,
		fmt.Sprintf("abandoned: no result within %s (the process making the call stopped)", deadline), now, sweepBatch)
	if err != nil {
		return 0, fmt.Errorf("sweep abandoned calls: %w", err)
	}
	if len(calls) == 0 {
		return 0, nil
	}
	n := len(calls)
	s.publish(ctx, calls...)
	s.log.WarnContext(ctx, "abandoned calls failed", "count", n)
	return n, nil
}

// sweepDeliveries enqueues the delivery calls that wait longer than
// SweepAfter past their due time, and returns how many it looked at.
func (s *Recovery) sweepDeliveries(ctx context.Context) (int, error) {
	now := s.now()
	late := now.Add(-s.cfg.SweepAfter)
	calls, err := s.db.WebhookCall.Query().
		Where(
			webhookcall.KindEQ(webhookcall.KindDELIVERY),
			webhookcall.Or(
				webhookcall.And(webhookcall.StatusEQ(webhookcall.StatusPENDING), webhookcall.NextAttemptAtIsNil(), webhookcall.UpdatedAtLT(late)),
				// A call waiting for a delivery limit is due at its next_attempt_at.
				webhookcall.And(webhookcall.StatusEQ(webhookcall.StatusPENDING), webhookcall.NextAttemptAtLT(late)),
				webhookcall.And(webhookcall.StatusEQ(webhookcall.StatusRETRYING), webhookcall.NextAttemptAtLT(late)),
				s.deliveries.stale(now),
			),
			// Of an ordered webhook, only the call whose turn it is: the
			// others are released in turn (order.go).
			mayGo(),
		).
		Select(webhookcall.FieldID, webhookcall.FieldAttemptCount, webhookcall.FieldStatus, webhookcall.FieldUpdatedAt, webhookcall.FieldNextAttemptAt,
			webhookcall.FieldFileID, webhookcall.FieldTest).
		Limit(sweepBatch).
		All(ctx)
	if err != nil {
		return 0, fmt.Errorf("sweep: %w", err)
	}
	files := map[string]DeliverFilePayload{} // by task ID
	for _, c := range calls {
		taskID := deliveryTaskID(c.ID, c.AttemptCount+1)
		due := c.UpdatedAt
		if c.NextAttemptAt != nil {
			due = *c.NextAttemptAt
		}
		// A new file's calls that went at once had one task for all of them
		// (fanout.go): they get it again, under its ID, so that a task only
		// late, still queued, is not doubled.
		fileTask := c.Status == webhookcall.StatusPENDING && c.AttemptCount == 0 && c.NextAttemptAt == nil && c.FileID != nil && !c.Test
		if fileTask {
			taskID = fileTaskID(*c.FileID)
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
		if fileTask {
			p := files[taskID]
			p.FileID, p.CallIDs = *c.FileID, append(p.CallIDs, c.ID)
			files[taskID] = p
			continue
		}
		if err := s.enqueueTask(ctx, DeliverPayload{CallID: c.ID}, taskID, now); err != nil {
			return 0, fmt.Errorf("sweep: enqueue call %d: %w", c.ID, err)
		}
	}
	for taskID, p := range files {
		if err := s.enqueueFile(ctx, p, taskID); err != nil {
			return 0, fmt.Errorf("sweep: enqueue the calls of file %d: %w", p.FileID, err)
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

// Prune deletes the calls older than CallRetention, with their attempts,
// and the hours of the delivery stats that ended before the same cutoff
// (the store's Prune), and returns how many calls it deleted. The entries
// of the audit log older than AuditRetention go too.
func (s *Recovery) Prune(ctx context.Context) (int, error) {
	total, err := s.store.Prune(ctx, s.now().Add(-s.cfg.CallRetention))
	if total > 0 {
		s.log.InfoContext(ctx, "calls pruned", "count", total)
	}
	n, aerr := audit.Prune(ctx, s.db, s.now().Add(-s.cfg.AuditRetention))
	if n > 0 {
		s.log.InfoContext(ctx, "audit log entries pruned", "count", n)
	}
	return total, errors.Join(err, aerr)
}
