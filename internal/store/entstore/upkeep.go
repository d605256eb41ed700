package entstore

import (
	"context"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/ent/webhookstat"
	"github.com/scoopa/webhooks/internal/store"
)

// SendAgain moves those of the calls ids that match where back to PENDING,
// due now, their retry base at the attempts they have, through db (the
// caller's transaction), and answers them in ID order.
func (e *Store) SendAgain(ctx context.Context, db *ent.Client, ids []int, where predicate.WebhookCall, now time.Time) ([]*ent.WebhookCall, error) {
	again := webhookcall.And(webhookcall.IDIn(ids...), where)
	n, err := db.WebhookCall.Update().Where(again).
		SetStatus(webhookcall.StatusPENDING).
		ClearNextAttemptAt().
		ClearCompletedAt().
		SetUpdatedAt(now).
		Modify(func(u *entsql.UpdateBuilder) {
			u.Set(webhookcall.FieldRetryBase, entsql.Expr(webhookcall.FieldAttemptCount))
		}).
		Save(ctx)
	if err != nil || n == 0 {
		return nil, err
	}
	// In the caller's transaction: the rows stay locked (or writes
	// serial) until it ends, so no worker claims a call in between.
	return db.WebhookCall.Query().
		Where(webhookcall.IDIn(ids...), webhookcall.StatusEQ(webhookcall.StatusPENDING), webhookcall.UpdatedAt(now)).
		Order(ent.Asc(webhookcall.FieldID)).All(ctx)
}

// FailAbandoned marks FAILED, with reason, at most limit of the calls that
// match stale, and answers those it marked.
func (e *Store) FailAbandoned(ctx context.Context, stale predicate.WebhookCall, reason string, now time.Time, limit int) ([]*ent.WebhookCall, error) {
	ids, err := e.db.WebhookCall.Query().Where(stale).Limit(limit).IDs(ctx)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	if _, err := e.db.WebhookCall.Update().Where(webhookcall.IDIn(ids...), stale).
		SetStatus(webhookcall.StatusFAILED).
		SetError(reason).
		SetCompletedAt(now).
		SetUpdatedAt(now).
		Save(ctx); err != nil {
		return nil, err
	}
	return e.db.WebhookCall.Query().
		Where(webhookcall.IDIn(ids...), webhookcall.StatusEQ(webhookcall.StatusFAILED), webhookcall.UpdatedAt(now)).
		All(ctx)
}

// MarkNotFetched reads the IDs of at most limit of the calls that match due
// and are not marked, oldest completed_at first, then marks those that
// still match, in one UPDATE whose RETURNING answers the ones it marked:
// a call marked meanwhile by another process, fetched, or sent again is
// not among them. Both databases re-check the condition on the row they
// update (PostgreSQL after waiting for a concurrent writer; SQLite's
// writes are serial), so two markers never both mark a call.
func (e *Store) MarkNotFetched(ctx context.Context, due predicate.WebhookCall, now time.Time, limit int) ([]*ent.WebhookCall, error) {
	unmarked := webhookcall.And(due, webhookcall.NotFetchedToldAtIsNil())
	ids, err := e.db.WebhookCall.Query().Where(unmarked).
		Order(webhookcall.ByCompletedAt(), webhookcall.ByID()).
		Limit(limit).IDs(ctx)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	where := entsql.Dialect(e.dialect).Select().From(entsql.Table(webhookcall.Table))
	webhookcall.And(webhookcall.IDIn(ids...), unmarked)(where)
	query, args := entsql.Dialect(e.dialect).Update(webhookcall.Table).
		Set(webhookcall.FieldNotFetchedToldAt, now).
		Where(where.P()).
		Returning(webhookcall.FieldID).
		Query()
	marked, err := store.QueryIDs(ctx, e.db, query, args...)
	if err != nil || len(marked) == 0 {
		return nil, err
	}
	return e.db.WebhookCall.Query().Where(webhookcall.IDIn(marked...)).Order(webhookcall.ByID()).All(ctx)
}

// pruneBatch is how many calls Prune deletes in one statement.
const pruneBatch = 1000

// Prune deletes the calls created before cutoff (their attempts go with
// them), batch by batch in the order they were created, and the rollup's
// hours that ended before it. It answers how many calls it deleted; an
// error leaves what was deleted deleted. It walks the (created_at, id)
// index forward from where the previous batch ended, oldest first: a batch
// that started from the beginning again would step over the index entries
// of every call deleted before it (they stay until VACUUM), so that a pass
// would cost the square of the calls it deletes.
func (e *Store) Prune(ctx context.Context, cutoff time.Time) (int, error) {
	total := 0
	var after *ent.WebhookCall
	for {
		q := e.db.WebhookCall.Query().Where(webhookcall.CreatedAtLT(cutoff))
		if after != nil {
			q = q.Where(func(sel *entsql.Selector) {
				sel.Where(entsql.CompositeGT([]string{sel.C(webhookcall.FieldCreatedAt), sel.C(webhookcall.FieldID)}, after.CreatedAt, after.ID))
			})
		}
		calls, err := q.Order(webhookcall.ByCreatedAt(), webhookcall.ByID()).
			Select(webhookcall.FieldID, webhookcall.FieldCreatedAt).
			Limit(pruneBatch).
			All(ctx)
		if err != nil {
			return total, fmt.Errorf("prune calls: %w", err)
		}
		if len(calls) == 0 {
			break
		}
		ids := make([]int, len(calls))
		for i, c := range calls {
			ids[i] = c.ID
		}
		n, err := e.db.WebhookCall.Delete().Where(webhookcall.IDIn(ids...)).Exec(ctx)
		if err != nil {
			return total, fmt.Errorf("prune calls: %w", err)
		}
		total += n
		after = calls[len(calls)-1]
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
	if _, err := e.db.WebhookStat.Delete().Where(webhookstat.HourLTE(cutoff.Add(-time.Hour))).Exec(ctx); err != nil {
		return total, fmt.Errorf("prune webhook stats: %w", err)
	}
	return total, nil
}
