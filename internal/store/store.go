// Package store is where the domain (internal/webhooks) writes the state
// changes of its hot path, each by one method of Store: a file's arrival
// with its calls (StoreFile), the due times of paced calls (PaceCalls), the
// claim (Claim), an attempt's outcome (Record), and the row locks of
// ordered delivery and of a webhook's edits (LockOrdered, LockWebhook), and
// the upkeep of calls: sent again (SendAgain), abandoned (FailAbandoned),
// told of as not fetched (MarkNotFetched), past their retention (Prune). The
// domain decides (which webhooks a file fires, what a call's body is, which
// calls a claim takes, what an attempt's outcome is, what it adds to the
// rollup); a store writes what was decided.
//
// There are two stores, and the domain picks one when it is built, never
// asking about it afterwards:
//
//   - pgstore: PostgreSQL, each change in one statement, the changes of the
//     same moment together (internal/groupcommit), prepared; what its
//     statement cannot decide (a webhook whose filter is not ASCII, one
//     with media filters, an ordered webhook) it hands to an entstore with its own row locks;
//   - entstore: ent's builders in transactions, on any database ent
//     speaks; what SQLite uses.
//
// One contract suite (internal/webhooks/store_contract_test.go) runs the
// same tests against both, on PostgreSQL and on SQLite, and compares what
// they wrote column for column.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/schema"
	"github.com/scoopa/webhooks/ent/webhookcall"
)

// Store writes the state changes of the hot path. Its errors are the
// database's (the domain translates them: problem.StoreError), and
// ErrNotRunning.
type Store interface {
	// StoreFile writes a stored file's row and one PENDING call per
	// webhook the file fires, atomically, with what a.Also writes in the
	// same transaction. It answers the file, its calls in ID order, and
	// the rate limits (requests per second) of the calls' webhooks that
	// have one, by call ID.
	StoreFile(ctx context.Context, a Arrival) (*ent.File, []*ent.WebhookCall, map[int]int, error)
	// PaceCalls writes the due times and wait reasons (NextAttemptAt,
	// WaitReason) of new calls whose rate slot was reserved, if they are
	// still PENDING and unattempted; their UpdatedAt stays.
	PaceCalls(ctx context.Context, paced []*ent.WebhookCall) error
	// Claim moves those of the calls ids that Rules.ClaimOrder takes to
	// RUNNING, with its lease, and answers them as they are now. One
	// worker wins a call.
	Claim(ctx context.Context, ids []int) ([]*ent.WebhookCall, error)
	// Record writes an attempt and its call's new state, atomically, with
	// the attempt's part of the rollup, and answers the call's fetches as
	// the write found them; nothing, and ErrNotRunning, if the call is no
	// longer RUNNING.
	Record(ctx context.Context, a Attempt) (Fetches, error)
	// LockOrdered locks, in ID order, the rows of the ordered webhooks
	// among hooks until tx ends, so that the calls of one ordered webhook
	// are numbered in the order their transactions commit.
	LockOrdered(ctx context.Context, tx *ent.Tx, hooks []*ent.Webhook) error
	// LockWebhook makes q lock the rows it reads until its transaction
	// ends, where the database needs it.
	LockWebhook(q *ent.WebhookQuery) *ent.WebhookQuery
	// WarmUp prepares what the first delivery after a start would wait
	// for. Nothing is written.
	WarmUp(ctx context.Context) error

	// SendAgain moves those of the calls ids that match where back to
	// PENDING, due now, their retry base at the attempts they have, through
	// db (the caller's transaction), and answers them in ID order: a retry,
	// a recovery, a file sent again.
	SendAgain(ctx context.Context, db *ent.Client, ids []int, where predicate.WebhookCall, now time.Time) ([]*ent.WebhookCall, error)
	// FailAbandoned marks FAILED, with reason, at most limit of the calls
	// that match stale (the sweeper's), and answers those it marked.
	FailAbandoned(ctx context.Context, stale predicate.WebhookCall, reason string, now time.Time, limit int) ([]*ent.WebhookCall, error)
	// MarkNotFetched sets not_fetched_told_at to now on at most limit of
	// the calls that match due and have it unset, those delivered first
	// first, in one conditional UPDATE, and answers, in ID order, the
	// calls that statement set: the operator is told of those
	// (call.not_fetched), and only whoever set a call's mark tells of it,
	// so each call is told once whatever else marks at the same time.
	MarkNotFetched(ctx context.Context, due predicate.WebhookCall, now time.Time, limit int) ([]*ent.WebhookCall, error)
	// Prune deletes the calls created before cutoff, with their attempts,
	// and the rollup's hours that ended before it (retention), and answers
	// how many calls it deleted.
	Prune(ctx context.Context, cutoff time.Time) (int, error)
}

// Rules are the domain's rules that a store applies as it writes.
type Rules interface {
	// Applies reports whether a new file f fires wh (leaving aside whether
	// wh is active), and with what origin; wh's folders are loaded
	// restricted to f's folder. The filename rule lives here.
	Applies(wh *ent.Webhook, f *ent.File) (webhookcall.Origin, bool)
	// NewCall builds a PENDING delivery call of file f, in folder fol, to
	// wh, with the origin Applies gave it.
	NewCall(tx *ent.Tx, wh *ent.Webhook, f *ent.File, fol *ent.Folder, origin webhookcall.Origin) (*ent.WebhookCallCreate, error)
	// CallBody is the JSON body of the calls of file f in folder fol,
	// written at.
	CallBody(f *ent.File, fol *ent.Folder, at time.Time) (string, error)
	// DefaultSchedule is the retry schedule, as JSON, of a call of a
	// webhook without one of its own.
	DefaultSchedule() (string, error)
	// ClaimOrder is which calls a claim at this moment takes, and what it
	// writes.
	ClaimOrder() ClaimOrder
	// Now is the time of new rows.
	Now() time.Time
}

// Arrival is a file whose bytes are stored, to be written with its calls.
type Arrival struct {
	Folder                         *ent.Folder
	Name, ContentType, Key, Sha256 string
	Size                           int64
	// Also, if not nil, writes more in the file's transaction.
	Also func(tx *ent.Tx, file *ent.File) error
}

// ClaimOrder is what a claim writes and which calls it takes: those that
// match Where, made RUNNING at Now with the lease until Lease.
type ClaimOrder struct {
	Now, Lease time.Time
	Where      predicate.WebhookCall
}

// Attempt is one attempt's outcome: the call's ID and its new state (Out),
// when the attempt started, its error, what the receiver answered, its
// Retry-After in seconds, and what it adds to the rollup (nil: nothing,
// as for a validation).
type Attempt struct {
	CallID         int
	Out            *ent.WebhookCall
	Started        time.Time
	Err            *string
	Duration       time.Duration
	Body           string
	RequestHeaders []schema.RequestHeader
	RetryAfter     *int
	Stats          *StatsDelta
}

// Fetches are a call's fetch columns, which files.Service.RecordFetch
// writes, as an attempt's write found them: the attempt does not change
// them, but its receiver may have downloaded the file while the attempt was
// in flight, after the call was claimed. The write reads them back in its
// own statement (RETURNING), so the call announced after it is current.
type Fetches struct {
	FirstAt      *time.Time
	Count        int
	Bytes        int64
	LastComplete *bool
}

// FetchColumns are the columns of Fetches, in the order of Scan's
// destinations.
var FetchColumns = []string{webhookcall.FieldFetchedFirstAt, webhookcall.FieldFetchCount,
	webhookcall.FieldFetchedBytes, webhookcall.FieldLastFetchComplete}

// fetchRow is what a row of FetchColumns scans into.
type fetchRow struct {
	firstAt      sql.NullTime
	count, bytes int64
	lastComplete sql.NullBool
}

// ScanFetches scans a row whose last columns are FetchColumns, those
// before them into dest.
func ScanFetches(rows *sql.Rows, dest ...any) (Fetches, error) {
	var r fetchRow
	if err := rows.Scan(append(dest, &r.firstAt, &r.count, &r.bytes, &r.lastComplete)...); err != nil {
		return Fetches{}, err
	}
	f := Fetches{Count: int(r.count), Bytes: r.bytes}
	if r.firstAt.Valid {
		f.FirstAt = &r.firstAt.Time
	}
	if r.lastComplete.Valid {
		f.LastComplete = &r.lastComplete.Bool
	}
	return f, nil
}

// On sets c's fetch fields to f.
func (f Fetches) On(c *ent.WebhookCall) {
	c.FetchedFirstAt, c.FetchCount, c.FetchedBytes, c.LastFetchComplete = f.FirstAt, f.Count, f.Bytes, f.LastComplete
}

// StatsDelta is what one attempt adds to its webhook's hour in the rollup.
type StatsDelta struct {
	WebhookID                   int
	Hour                        time.Time
	Succeeded, Failed, Retrying int
	// Latency is the attempt's bucket of the latency histogram, which has
	// Buckets buckets.
	Latency, Buckets int
	// ErrorKind is the kind of the attempt's error, "" for a success.
	ErrorKind string
}

// Histogram is a latency histogram with one 1, at d's bucket.
func (d StatsDelta) Histogram() []int {
	h := make([]int, d.Buckets)
	h[d.Latency] = 1
	return h
}

// ErrNotRunning is the error of an attempt whose call another worker took
// over (it looked stale) before the attempt was recorded.
var ErrNotRunning = errors.New("is no longer running here")

// NotRunning is ErrNotRunning for call callID.
func NotRunning(callID int) error { return fmt.Errorf("call %d %w", callID, ErrNotRunning) }

// ClaimUpdate is the claim's UPDATE in dialect d, of the calls idIn
// selects that match o.
func ClaimUpdate(d string, idIn predicate.WebhookCall, o ClaimOrder) *entsql.UpdateBuilder {
	where := entsql.Dialect(d).Select().From(entsql.Table(webhookcall.Table))
	webhookcall.And(idIn, o.Where)(where)
	return entsql.Dialect(d).Update(webhookcall.Table).
		Set(webhookcall.FieldStatus, string(webhookcall.StatusRUNNING)).
		Set(webhookcall.FieldLeaseUntil, o.Lease).
		SetNull(webhookcall.FieldNextAttemptAt).
		SetNull(webhookcall.FieldWaitReason).
		Set(webhookcall.FieldUpdatedAt, o.Now).
		Where(where.P())
}

// ClaimEach claims the calls ids one by one, after a claim of them all
// broke the unique index of RUNNING ordered calls: one statement claims
// all or nothing, and the call that broke it must wait while the others
// go. A call alone that breaks it is not claimed.
func ClaimEach(ctx context.Context, ids []int, claim func(ctx context.Context, ids []int) ([]*ent.WebhookCall, error)) ([]*ent.WebhookCall, error) {
	if len(ids) == 1 {
		return nil, nil
	}
	var calls []*ent.WebhookCall
	for _, id := range ids {
		c, err := claim(ctx, []int{id})
		if err != nil {
			return nil, err
		}
		calls = append(calls, c...)
	}
	return calls, nil
}

// Querier is a client, a transaction or a pool.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// QueryIDs runs a query whose rows are one integer each (IDs), and returns
// them in order.
func QueryIDs(ctx context.Context, q Querier, query string, args ...any) ([]int, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// WithTx runs fn in a transaction of db, committing when it returns nil.
func WithTx(ctx context.Context, db *ent.Client, fn func(tx *ent.Tx) error) error {
	tx, err := db.Tx(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return fmt.Errorf("%w (rollback: %v)", err, rerr)
		}
		return err
	}
	return tx.Commit()
}
