package webhooks

import (
	"context"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/webhookcall"
)

// The store is where the hot path's state changes are written, each by one
// method: a file's arrival with its calls (storeFile), the due times of
// paced calls (paceCalls), the claim (claim), an attempt's outcome
// (record), and the row locks of ordered delivery and of a webhook's edits
// (lockOrdered, lockWebhook). The domain decides (which webhooks a file
// fires, what a call's body is, which calls may be claimed, what an
// attempt's outcome is); the store writes what was decided.
//
// There are two stores, chosen once when the Service is built (newStore),
// never asked about afterwards:
//
//   - entStore (store_ent.go) writes through ent's builders in
//     transactions: any database ent speaks; what SQLite uses.
//   - pgStore (store_postgres.go) writes each change in one PostgreSQL
//     statement, the changes of the same moment together, prepared; where
//     its statement cannot decide (a webhook whose filter is not ASCII, an
//     ordered webhook) it hands the file to its entStore.
//
// The contract suite (store_contract_test.go) runs the same tests against
// both, on PostgreSQL and on SQLite, and compares what they wrote.
type store interface {
	// storeFile writes a stored file's row and one PENDING call per
	// webhook the file fires, atomically, and, if also is not nil, what
	// also writes in the same transaction. It answers the file, its calls
	// in ID order, and the rate limits (requests per second) of the calls'
	// webhooks that have one, by call ID.
	storeFile(ctx context.Context, fol *ent.Folder, f storedFile, also func(tx *ent.Tx, file *ent.File) error) (*ent.File, []*ent.WebhookCall, map[int]int, error)
	// paceCalls writes the due times and wait reasons of new calls whose
	// rate slot was reserved, if they are still PENDING and unattempted.
	paceCalls(ctx context.Context, paced []*ent.WebhookCall) error
	// claim moves those of the calls ids that the domain's claimOrder
	// takes to RUNNING, with its lease, and answers them as they are now.
	// One worker wins a call.
	claim(ctx context.Context, ids []int) ([]*ent.WebhookCall, error)
	// record writes an attempt and its call's new state, atomically, and
	// adds the attempt to the webhook's hour in the rollup; nothing if the
	// call is no longer RUNNING (notRunningHere).
	record(ctx context.Context, r attemptRecord) error
	// lockOrdered locks, in ID order, the rows of the ordered webhooks
	// among hooks until tx ends (order.go).
	lockOrdered(ctx context.Context, tx *ent.Tx, hooks []*ent.Webhook) error
	// lockWebhook makes q lock the rows it reads until its transaction
	// ends, where the database needs it.
	lockWebhook(q *ent.WebhookQuery) *ent.WebhookQuery
	// warmUp prepares what the first delivery after a start would wait for.
	warmUp(ctx context.Context) error
}

// storeRules are the domain's rules that a store applies as it writes.
// *Service is one.
type storeRules interface {
	// newCall builds a PENDING delivery call of file f, in folder fol, to
	// wh, with the origin the file's arrival gave it.
	newCall(tx *ent.Tx, wh *ent.Webhook, f *ent.File, fol *ent.Folder, origin webhookcall.Origin) (*ent.WebhookCallCreate, error)
	// callBody is the JSON body of the calls of file f in folder fol,
	// written at.
	callBody(f *ent.File, fol *ent.Folder, at time.Time) (string, error)
	// defaultSchedule is the retry schedule, as JSON, of a call of a
	// webhook without one of its own.
	defaultSchedule() (string, error)
	// claimOrder is which calls a claim at this moment takes, and what it
	// writes.
	claimOrder() claimOrder
	// now is the time of new rows.
	now() time.Time
}

// claimOrder is what a claim writes and which calls it takes: those that
// match where, made RUNNING at now with the lease until lease.
type claimOrder struct {
	now, lease time.Time
	where      predicate.WebhookCall
}

// claimUpdate is the claim's UPDATE in dialect d, of the calls idIn selects
// that match o.
func claimUpdate(d string, idIn predicate.WebhookCall, o claimOrder) *entsql.UpdateBuilder {
	where := entsql.Dialect(d).Select().From(entsql.Table(webhookcall.Table))
	webhookcall.And(idIn, o.where)(where)
	return entsql.Dialect(d).Update(webhookcall.Table).
		Set(webhookcall.FieldStatus, string(webhookcall.StatusRUNNING)).
		Set(webhookcall.FieldLeaseUntil, o.lease).
		SetNull(webhookcall.FieldNextAttemptAt).
		SetNull(webhookcall.FieldWaitReason).
		Set(webhookcall.FieldUpdatedAt, o.now).
		Where(where.P())
}

// claimEach claims the calls ids one by one, after a claim of them all
// broke the unique index of RUNNING ordered calls (order.go): one statement
// claims all or nothing, and the call that broke it must wait while the
// others go. A call alone that breaks it is not claimed.
func claimEach(ctx context.Context, ids []int, claim func(ctx context.Context, ids []int) ([]*ent.WebhookCall, error)) ([]*ent.WebhookCall, error) {
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

// newStore returns the store of d's database: pgStore on PostgreSQL,
// entStore elsewhere.
func newStore(d Deps, rules storeRules, log *slog.Logger) store {
	if d.DB == nil {
		return nil
	}
	if d.Dialect == dialect.Postgres {
		return newPGStore(d.DB, d.SQL, rules, log)
	}
	return &entStore{db: d.DB, rules: rules, dialect: d.Dialect}
}
