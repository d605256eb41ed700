// Package entstore is the store (internal/store) written through ent's
// builders, each change in a transaction of its own: what SQLite uses, and
// what pgstore hands a file its statement cannot decide.
package entstore

import (
	"context"
	"fmt"
	"strings"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/folder"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/ent/webhookstat"
	"github.com/scoopa/webhooks/internal/store"
)

// Store is the ent store.
type Store struct {
	db    *ent.Client
	rules store.Rules
	// dialect is the database's ent dialect, for the claim's statement.
	dialect string
	// locks, if not nil, locks rows inside transactions.
	locks RowLocker
}

// RowLocker locks rows until the transaction that read them ends.
type RowLocker interface {
	LockOrdered(ctx context.Context, tx *ent.Tx, hooks []*ent.Webhook) error
	LockWebhook(q *ent.WebhookQuery) *ent.WebhookQuery
}

// New returns the ent store of db, whose ent dialect is dialect, applying
// rules. locks, if not nil, locks rows in its transactions (pgstore gives
// its own); SQLite needs none: its write transactions are serial.
func New(db *ent.Client, dialect string, rules store.Rules, locks RowLocker) *Store {
	return &Store{db: db, rules: rules, dialect: dialect, locks: locks}
}

// LockOrdered locks the ordered webhooks among hooks with the row locker,
// if there is one.
func (e *Store) LockOrdered(ctx context.Context, tx *ent.Tx, hooks []*ent.Webhook) error {
	if e.locks == nil {
		return nil
	}
	return e.locks.LockOrdered(ctx, tx, hooks)
}

// LockWebhook makes q lock its rows with the row locker, if there is one.
func (e *Store) LockWebhook(q *ent.WebhookQuery) *ent.WebhookQuery {
	if e.locks == nil {
		return q
	}
	return e.locks.LockWebhook(q)
}

// WarmUp has nothing to prepare.
func (e *Store) WarmUp(context.Context) error { return nil }

// StoreFile writes the File, what a.Also writes, and the calls
// (createCalls) in one transaction.
func (e *Store) StoreFile(ctx context.Context, a store.Arrival) (file *ent.File, calls []*ent.WebhookCall, limited map[int]int, err error) {
	err = store.WithTx(ctx, e.db, func(tx *ent.Tx) (err error) {
		file, err = tx.File.Create().SetCreatedAt(e.rules.Now()).SetName(a.Name).SetContentType(a.ContentType).SetSizeBytes(a.Size).
			SetStorageKey(a.Key).SetSha256(a.Sha256).SetFolder(a.Folder).Save(ctx)
		if err != nil {
			return err
		}
		if a.Also != nil {
			if err := a.Also(tx, file); err != nil {
				return err
			}
		}
		calls, limited, err = e.createCalls(ctx, tx, file, a.Folder)
		return err
	})
	return file, calls, limited, err
}

// createCalls writes one call per webhook a new file fires (Rules.Applies).
func (e *Store) createCalls(ctx context.Context, tx *ent.Tx, file *ent.File, fol *ent.Folder) ([]*ent.WebhookCall, map[int]int, error) {
	hooks, err := tx.Webhook.Query().
		Where(webhook.Active(true), webhook.Or(webhook.AllFolders(true), webhook.HasFoldersWith(folder.ID(fol.ID)))).
		WithFolders(func(q *ent.FolderQuery) { q.Where(folder.ID(fol.ID)) }).
		Order(webhook.ByID()).
		All(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := e.LockOrdered(ctx, tx, hooks); err != nil {
		return nil, nil, err
	}
	var fired []*ent.Webhook
	bulk := make([]*ent.WebhookCallCreate, 0, len(hooks))
	for _, wh := range hooks {
		origin, ok := e.rules.Applies(wh, file)
		if !ok {
			continue
		}
		c, err := e.rules.NewCall(tx, wh, file, fol, origin)
		if err != nil {
			return nil, nil, err
		}
		bulk = append(bulk, c)
		fired = append(fired, wh)
	}
	if len(bulk) == 0 {
		return nil, nil, nil
	}
	calls, err := tx.WebhookCall.CreateBulk(bulk...).Save(ctx)
	if err != nil {
		return nil, nil, err
	}
	var limited map[int]int
	for i, wh := range fired {
		if wh.MaxRequestsPerSecond == nil {
			continue
		}
		if limited == nil {
			limited = map[int]int{}
		}
		limited[calls[i].ID] = *wh.MaxRequestsPerSecond
	}
	return calls, limited, nil
}

// PaceCalls writes each paced call's due time and wait reason.
func (e *Store) PaceCalls(ctx context.Context, paced []*ent.WebhookCall) error {
	for _, c := range paced {
		err := e.db.WebhookCall.Update().
			Where(webhookcall.ID(c.ID), webhookcall.StatusEQ(webhookcall.StatusPENDING), webhookcall.AttemptCount(0)).
			SetNillableNextAttemptAt(c.NextAttemptAt).SetNillableWaitReason(c.WaitReason).
			SetUpdatedAt(c.UpdatedAt). // as made: ent's update would stamp it with the real time
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("pace call %d: %w", c.ID, err)
		}
	}
	return nil
}

// Claim runs the claim's update, which answers the IDs it claimed, and
// reads those calls (SQLite has no UPDATE inside a WITH). A claim that
// broke the unique index of RUNNING ordered calls is made call by call.
func (e *Store) Claim(ctx context.Context, ids []int) ([]*ent.WebhookCall, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	query, args := store.ClaimUpdate(e.dialect, webhookcall.IDIn(ids...), e.rules.ClaimOrder()).Returning(webhookcall.FieldID).Query()
	claimed, err := store.QueryIDs(ctx, e.db, query, args...)
	if ent.IsConstraintError(err) || (err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")) {
		return store.ClaimEach(ctx, ids, e.Claim)
	} else if err != nil {
		return nil, fmt.Errorf("claim calls %v: %w", ids, err)
	}
	if len(claimed) == 0 {
		return nil, nil
	}
	calls, err := e.db.WebhookCall.Query().Where(webhookcall.IDIn(claimed...)).Order(webhookcall.ByID()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim calls %v: %w", ids, err)
	}
	return calls, nil
}

// Record writes the attempt, the call's new state and the rollup's hour in
// a transaction. The call's update answers its fetches (RETURNING, which
// ent's update builders do not have: the statement is built as the
// claim's is).
func (e *Store) Record(ctx context.Context, r store.Attempt) (fetched store.Fetches, err error) {
	out := r.Out
	err = store.WithTx(ctx, e.db, func(tx *ent.Tx) error {
		err := tx.WebhookCallAttempt.Create().
			SetCallID(r.CallID).
			SetNumber(out.AttemptCount).
			SetStartedAt(r.Started).
			SetDurationMs(r.Duration.Milliseconds()).
			SetResponseBody(r.Body).
			SetRequestHeaders(r.RequestHeaders).
			SetNillableResponseStatus(out.ResponseStatus).
			SetNillableError(r.Err).
			SetNillableRetryAfterSeconds(r.RetryAfter).
			Exec(ctx)
		if err != nil {
			return err
		}
		query, args := entsql.Dialect(e.dialect).Update(webhookcall.Table).
			Set(webhookcall.FieldStatus, string(out.Status)).
			Set(webhookcall.FieldAttemptCount, out.AttemptCount).
			Set(webhookcall.FieldPayload, out.Payload).
			Set(webhookcall.FieldUpdatedAt, out.UpdatedAt).
			Set(webhookcall.FieldResponseStatus, nullable(out.ResponseStatus)).
			Set(webhookcall.FieldError, nullable(out.Error)).
			Set(webhookcall.FieldNextAttemptAt, nullable(out.NextAttemptAt)).
			Set(webhookcall.FieldCompletedAt, nullable(out.CompletedAt)).
			Where(entsql.And(entsql.EQ(webhookcall.FieldID, r.CallID), entsql.EQ(webhookcall.FieldStatus, string(webhookcall.StatusRUNNING)))).
			Returning(store.FetchColumns...).
			Query()
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		if !rows.Next() {
			if err := rows.Err(); err != nil {
				return err
			}
			return store.NotRunning(r.CallID) // another worker took it over (it looked stale)
		}
		if fetched, err = store.ScanFetches(rows); err != nil {
			return err
		}
		if err := rows.Close(); err != nil {
			return err
		}
		return recordStats(ctx, tx, r.Stats)
	})
	return fetched, err
}

// nullable is *p, or NULL.
func nullable[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// recordStats adds an attempt's delta to its webhook's hour in the rollup
// inside Record's transaction. Its read and write of the row are safe on
// SQLite, where writers are serialized; on PostgreSQL pgstore's statement
// does it.
func recordStats(ctx context.Context, tx *ent.Tx, d *store.StatsDelta) error {
	if d == nil {
		return nil
	}
	row, err := tx.WebhookStat.Query().Where(webhookstat.WebhookID(d.WebhookID), webhookstat.Hour(d.Hour)).Only(ctx)
	if ent.IsNotFound(err) {
		errs := map[string]int{}
		if d.ErrorKind != "" {
			errs[d.ErrorKind] = 1
		}
		return tx.WebhookStat.Create().SetWebhookID(d.WebhookID).SetHour(d.Hour).
			SetSucceeded(d.Succeeded).SetFailed(d.Failed).SetRetrying(d.Retrying).
			SetLatency(d.Histogram()).SetErrors(errs).Exec(ctx)
	} else if err != nil {
		return err
	}
	lat := row.Latency
	if len(lat) != d.Buckets {
		lat = make([]int, d.Buckets)
	}
	lat[d.Latency]++
	errs := row.Errors
	if errs == nil {
		errs = map[string]int{}
	}
	if d.ErrorKind != "" {
		errs[d.ErrorKind]++
	}
	return tx.WebhookStat.UpdateOne(row).AddSucceeded(d.Succeeded).AddFailed(d.Failed).AddRetrying(d.Retrying).
		SetLatency(lat).SetErrors(errs).Exec(ctx)
}
