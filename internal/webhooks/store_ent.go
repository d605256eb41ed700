package webhooks

import (
	"context"
	"fmt"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/folder"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/ent/webhookstat"
)

// entStore is the store (store.go) written through ent's builders, each
// change in a transaction of its own: what SQLite uses, and what pgStore
// hands a file its statement cannot decide.
type entStore struct {
	db    *ent.Client
	rules storeRules
	// dialect is the database's ent dialect, for the claim's statement.
	dialect string
	// locks, if not nil, locks rows inside transactions: pgStore gives
	// itself. SQLite needs none: its write transactions are serial.
	locks rowLocker
}

// rowLocker locks rows until the transaction that read them ends.
type rowLocker interface {
	lockOrdered(ctx context.Context, tx *ent.Tx, hooks []*ent.Webhook) error
	lockWebhook(q *ent.WebhookQuery) *ent.WebhookQuery
}

func (e *entStore) lockOrdered(ctx context.Context, tx *ent.Tx, hooks []*ent.Webhook) error {
	if e.locks == nil {
		return nil
	}
	return e.locks.lockOrdered(ctx, tx, hooks)
}

func (e *entStore) lockWebhook(q *ent.WebhookQuery) *ent.WebhookQuery {
	if e.locks == nil {
		return q
	}
	return e.locks.lockWebhook(q)
}

func (e *entStore) warmUp(context.Context) error { return nil }

// storeFile writes the File, what also writes, and the calls (createCalls)
// in one transaction.
func (e *entStore) storeFile(ctx context.Context, fol *ent.Folder, f storedFile, also func(tx *ent.Tx, file *ent.File) error) (file *ent.File, calls []*ent.WebhookCall, limited map[int]int, err error) {
	err = withTx(ctx, e.db, func(tx *ent.Tx) (err error) {
		file, err = tx.File.Create().SetCreatedAt(e.rules.now()).SetName(f.name).SetContentType(f.contentType).SetSizeBytes(f.size).
			SetStorageKey(f.key).SetSha256(f.sha256).SetFolder(fol).Save(ctx)
		if err != nil {
			return err
		}
		if also != nil {
			if err := also(tx, file); err != nil {
				return err
			}
		}
		calls, limited, err = e.createCalls(ctx, tx, file, fol)
		return err
	})
	return file, calls, limited, err
}

// createCalls writes one call per webhook a new file fires (appliesTo).
func (e *entStore) createCalls(ctx context.Context, tx *ent.Tx, file *ent.File, fol *ent.Folder) ([]*ent.WebhookCall, map[int]int, error) {
	hooks, err := tx.Webhook.Query().
		Where(webhook.Active(true), webhook.Or(webhook.AllFolders(true), webhook.HasFoldersWith(folder.ID(fol.ID)))).
		WithFolders(func(q *ent.FolderQuery) { q.Where(folder.ID(fol.ID)) }).
		Order(webhook.ByID()).
		All(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := e.lockOrdered(ctx, tx, hooks); err != nil { // order.go
		return nil, nil, err
	}
	var fired []*ent.Webhook
	bulk := make([]*ent.WebhookCallCreate, 0, len(hooks))
	for _, wh := range hooks {
		origin, ok := appliesTo(wh, file)
		if !ok {
			continue
		}
		c, err := e.rules.newCall(tx, wh, file, fol, origin)
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

// paceCalls writes each paced call's due time and wait reason.
func (e *entStore) paceCalls(ctx context.Context, paced []*ent.WebhookCall) error {
	for _, c := range paced {
		err := e.db.WebhookCall.Update().
			Where(webhookcall.ID(c.ID), webhookcall.StatusEQ(webhookcall.StatusPENDING), webhookcall.AttemptCount(0)).
			SetNillableNextAttemptAt(c.NextAttemptAt).SetNillableWaitReason(c.WaitReason).
			SetUpdatedAt(c.UpdatedAt). // as made: ent's update would stamp it with the real time
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("pace call %d: %w", c.ID, StoreError(err))
		}
	}
	return nil
}

// claim runs the claim's update, which answers the IDs it claimed, and
// reads those calls (SQLite has no UPDATE inside a WITH). A claim that
// broke the unique index of RUNNING ordered calls is made call by call.
func (e *entStore) claim(ctx context.Context, ids []int) ([]*ent.WebhookCall, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	query, args := claimUpdate(e.dialect, webhookcall.IDIn(ids...), e.rules.claimOrder()).Returning(webhookcall.FieldID).Query()
	claimed, err := queryIDs(ctx, e.db, query, args...)
	if isUniqueViolation(err) {
		return claimEach(ctx, ids, e.claim)
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

// record writes the attempt, the call's new state and the rollup's hour in
// a transaction.
func (e *entStore) record(ctx context.Context, r attemptRecord) error {
	out := r.out
	return withTx(ctx, e.db, func(tx *ent.Tx) error {
		err := tx.WebhookCallAttempt.Create().
			SetCallID(r.callID).
			SetNumber(out.AttemptCount).
			SetStartedAt(r.started).
			SetDurationMs(r.resp.Duration.Milliseconds()).
			SetResponseBody(r.resp.Body).
			SetRequestHeaders(r.resp.RequestHeaders).
			SetNillableResponseStatus(out.ResponseStatus).
			SetNillableError(r.attemptErr).
			SetNillableRetryAfterSeconds(r.retryAfter).
			Exec(ctx)
		if err != nil {
			return err
		}
		u := tx.WebhookCall.Update().
			Where(webhookcall.ID(r.callID), webhookcall.StatusEQ(webhookcall.StatusRUNNING)).
			SetStatus(out.Status).
			SetAttemptCount(out.AttemptCount).
			SetPayload(out.Payload).
			SetUpdatedAt(out.UpdatedAt)
		if out.ResponseStatus == nil {
			u.ClearResponseStatus()
		} else {
			u.SetResponseStatus(*out.ResponseStatus)
		}
		if out.Error == nil {
			u.ClearError()
		} else {
			u.SetError(*out.Error)
		}
		if out.NextAttemptAt == nil {
			u.ClearNextAttemptAt()
		} else {
			u.SetNextAttemptAt(*out.NextAttemptAt)
		}
		if out.CompletedAt == nil {
			u.ClearCompletedAt()
		} else {
			u.SetCompletedAt(*out.CompletedAt)
		}
		n, err := u.Save(ctx)
		if err == nil && n == 0 {
			err = notRunningHere(r.callID) // another worker took it over (it looked stale)
		}
		if err != nil {
			return err
		}
		return recordStatsTx(ctx, tx, out, r.resp)
	})
}

// recordStatsTx adds an attempt to its webhook's hour in the rollup inside
// record's transaction. Its read and write of the row are safe on SQLite,
// where writers are serialized; on PostgreSQL pgStore's statement does it.
func recordStatsTx(ctx context.Context, tx *ent.Tx, out *ent.WebhookCall, resp Response) error {
	d, ok := attemptStats(out, resp)
	if !ok {
		return nil
	}
	row, err := tx.WebhookStat.Query().Where(webhookstat.WebhookID(d.webhookID), webhookstat.Hour(d.hour)).Only(ctx)
	if ent.IsNotFound(err) {
		errs := map[string]int{}
		if d.errorKind != "" {
			errs[d.errorKind] = 1
		}
		return tx.WebhookStat.Create().SetWebhookID(d.webhookID).SetHour(d.hour).
			SetSucceeded(d.succeeded).SetFailed(d.failed).SetRetrying(d.retrying).
			SetLatency(histogram(d.latency)).SetErrors(errs).Exec(ctx)
	} else if err != nil {
		return err
	}
	lat := row.Latency
	if len(lat) != len(LatencyBounds)+1 {
		lat = make([]int, len(LatencyBounds)+1)
	}
	lat[d.latency]++
	errs := row.Errors
	if errs == nil {
		errs = map[string]int{}
	}
	if d.errorKind != "" {
		errs[d.errorKind]++
	}
	return tx.WebhookStat.UpdateOne(row).AddSucceeded(d.succeeded).AddFailed(d.failed).AddRetrying(d.retrying).
		SetLatency(lat).SetErrors(errs).Exec(ctx)
}
