// Package pgstore is the store (internal/store) on PostgreSQL: each change
// of the hot path is one statement (no BEGIN and COMMIT round trips), the
// changes of the same moment go together (internal/groupcommit), and the
// statements are prepared (prepared.go):
//
//   - a file's arrival: files.go;
//   - the claim: ClaimTogether and claimNow;
//   - an attempt's outcome: RecordOne, RecordAll for many (attempts.go);
//   - the row locks of ordered delivery and of a webhook's edits.
//
// What its statements cannot decide goes through ent: an entstore whose
// row locks are these.
package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/groupcommit"
	"github.com/scoopa/webhooks/internal/store"
	"github.com/scoopa/webhooks/internal/store/entstore"
)

// Store is the PostgreSQL store.
type Store struct {
	db    *ent.Client
	rules store.Rules
	log   *slog.Logger
	// ent writes the files the statement leaves out (a webhook with a
	// filter that is not ASCII, or ordered), with these row locks.
	ent *entstore.Store
	// hot runs the statements of the hot path, prepared when the pool is
	// given (store_postgres_prepared.go).
	hot hotStatements
	// hotEnt is an ent client whose statements go through hot: the claim,
	// built by ent, is prepared too.
	hotEnt *ent.Client
	// fileIDs are file IDs reserved from the files' sequence.
	fileIDs fileIDs
	// files writes the files stored at the same moment together; nil
	// when each file is to be written by a statement of its own.
	files *groupcommit.Group[NewFile, FileCalls]
	// claims claims the calls of the tasks starting at the same moment
	// together.
	claims *groupcommit.Group[[]int, []*ent.WebhookCall]
	// records writes the attempts recorded at the same moment together.
	records *groupcommit.Group[store.Attempt, store.Fetches]
	// analyze counts the files stored, for the tables' first ANALYZE
	// (analyze.go).
	analyze earlyAnalyze
}

// New returns the PostgreSQL store of client, whose own pool is pool,
// applying rules; without pool (a test that wraps ent's driver to count
// statements) the statements go through client unprepared.
func New(client *ent.Client, pool *sql.DB, rules store.Rules, log *slog.Logger) *Store {
	p := &Store{db: client, rules: rules, log: log, hot: hotStatements{db: pool, fallback: client}}
	p.ent = entstore.New(client, dialect.Postgres, rules, p)
	p.hotEnt = ent.NewClient(ent.Driver(entsql.NewDriver(dialect.Postgres, entsql.Conn{ExecQuerier: &p.hot})))
	p.files = groupcommit.New(FileBatchMax, p.InsertFiles)
	p.claims = groupcommit.New(claimBatch, p.ClaimTogether)
	p.records = groupcommit.New(recordBatch, p.WriteAttempts)
	return p
}

// LockOrdered locks the ordered webhooks' rows, in ID order, so that two
// transactions making calls of one ordered webhook commit one after the
// other and the calls' IDs follow the order of the commits.
func (p *Store) LockOrdered(ctx context.Context, tx *ent.Tx, hooks []*ent.Webhook) error {
	var ids []int64
	for _, wh := range hooks {
		if wh.Ordered {
			ids = append(ids, int64(wh.ID))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM webhooks WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE`, pq.Array(ids)); err != nil {
		return fmt.Errorf("lock ordered webhooks: %w", err)
	}
	return nil
}

// LockWebhook makes q read its rows FOR UPDATE.
func (p *Store) LockWebhook(q *ent.WebhookQuery) *ent.WebhookQuery { return q.ForUpdate() }

// Claim claims the calls ids with those of the other tasks starting now.
func (p *Store) Claim(ctx context.Context, ids []int) ([]*ent.WebhookCall, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return p.claims.Do(ctx, ids)
}

// ClaimTogether is the claims group's write (internal/groupcommit): the calls of
// several tasks claimed in one statement, each task answered the calls of
// its own that were claimed. A call in two tasks (a retry's task and a
// file task swept again, say) goes to the first only, as if the second had
// lost the claim. If the statement fails, each task claims alone.
func (p *Store) ClaimTogether(ctx context.Context, tasks [][]int) []groupcommit.Result[[]*ent.WebhookCall] {
	o := p.rules.ClaimOrder()
	res := make([]groupcommit.Result[[]*ent.WebhookCall], len(tasks))
	if len(tasks) == 1 {
		res[0].Val, res[0].Err = p.claimNow(ctx, tasks[0], o)
		return res
	}
	var all []int
	for _, ids := range tasks {
		all = append(all, ids...)
	}
	claimed, err := p.claimNow(ctx, all, o)
	if err != nil {
		for i, ids := range tasks {
			res[i].Val, res[i].Err = p.claimNow(ctx, ids, o)
		}
		return res
	}
	byID := make(map[int]*ent.WebhookCall, len(claimed))
	for _, c := range claimed {
		byID[c.ID] = c
	}
	for i, ids := range tasks {
		for _, id := range ids {
			if c, ok := byID[id]; ok {
				res[i].Val = append(res[i].Val, c)
				delete(byID, id)
			}
		}
	}
	return res
}

// claimNow is the claim of o in one statement: an UPDATE … RETURNING read
// through a WITH, whose text is the same whatever the number of calls
// (idAny), so it is prepared once.
func (p *Store) claimNow(ctx context.Context, ids []int, o store.ClaimOrder) ([]*ent.WebhookCall, error) {
	update := store.ClaimUpdate(dialect.Postgres, idAny(ids), o)
	calls, err := p.hotEnt.WebhookCall.Query().Modify(func(sel *entsql.Selector) {
		sel.Prefix(entsql.Expr(`WITH "claimed" AS (`), update.Returning("*"), entsql.Expr(")")).
			From(entsql.Table("claimed").As(webhookcall.Table))
	}).All(ctx)
	if ent.IsConstraintError(err) || isUniqueViolation(err) {
		return store.ClaimEach(ctx, ids, func(ctx context.Context, ids []int) ([]*ent.WebhookCall, error) { return p.claimNow(ctx, ids, o) })
	} else if err != nil {
		return nil, fmt.Errorf("claim calls %v: %w", ids, err)
	}
	return calls, nil
}

// idAny selects the calls of ids with one array parameter (PostgreSQL's
// "= ANY"), where IDIn has one parameter per ID.
func idAny(ids []int) predicate.WebhookCall {
	arr := make([]int64, len(ids))
	for i, id := range ids {
		arr[i] = int64(id)
	}
	return func(sel *entsql.Selector) {
		sel.Where(entsql.P(func(b *entsql.Builder) {
			b.WriteString(sel.C(webhookcall.FieldID)).WriteString(" = ANY(").Arg(pq.Array(arr)).WriteString(")")
		}))
	}
}

// Record records an attempt with the others being recorded now.
func (p *Store) Record(ctx context.Context, r store.Attempt) (store.Fetches, error) {
	return p.records.Do(ctx, r)
}

// RecordOne writes an attempt and the call's new state in one statement:
// the attempt is inserted only if the call was still RUNNING. The
// statement answers the call's fetches as its update found them.
func (p *Store) RecordOne(ctx context.Context, r store.Attempt) (store.Fetches, error) {
	out := r.Out
	headers, err := json.Marshal(r.RequestHeaders)
	if err != nil {
		return store.Fetches{}, fmt.Errorf("request headers: %w", err)
	}
	stats, statsArgs := statsUpsert(r.Stats, 16, "u") // the webhook's hour in the rollup
	rows, err := p.hot.QueryContext(ctx, `WITH u AS (
			UPDATE webhook_calls SET status = $1, attempt_count = $2, payload = $3, updated_at = $4,
				response_status = $5, error = $6, next_attempt_at = $7, completed_at = $8
			WHERE id = $9 AND status = 'RUNNING' RETURNING id, `+fetchColumns+`)`+stats+`, a AS (
		INSERT INTO webhook_call_attempts (call_id, number, started_at, duration_ms, response_status, error, response_body, request_headers, retry_after_seconds)
		SELECT id, $2, $10::timestamptz, $11::bigint, $5, $12::text, $13::text, $14::jsonb, $15::bigint FROM u)
		SELECT `+fetchColumns+` FROM u`,
		append([]any{string(out.Status), out.AttemptCount, out.Payload, out.UpdatedAt,
			nullable(out.ResponseStatus), nullable(out.Error), nullable(out.NextAttemptAt), nullable(out.CompletedAt),
			r.CallID, r.Started, r.Duration.Milliseconds(), nullable(r.Err), r.Body, string(headers), nullable(r.RetryAfter)},
			statsArgs...)...)
	if err != nil {
		return store.Fetches{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return store.Fetches{}, err
		}
		return store.Fetches{}, store.NotRunning(r.CallID) // another worker took it over (it looked stale)
	}
	f, err := store.ScanFetches(rows)
	if err != nil {
		return store.Fetches{}, err
	}
	return f, rows.Close()
}

// fetchColumns are store.FetchColumns in SQL.
var fetchColumns = strings.Join(store.FetchColumns, ", ")

// statsUpsert is the data-modifying CTE that adds an attempt to the rollup
// inside recordOne's statement; first is the number of its first
// parameter, and rows (a CTE of that statement) gives it a row only if the
// attempt is recorded. It answers the SQL and its arguments, nothing if the
// attempt does not count.
func statsUpsert(d *store.StatsDelta, first int, rows string) (string, []any) {
	if d == nil {
		return "", nil
	}
	p := func(i int) string { return "$" + strconv.Itoa(first+i) }
	h := make([]string, d.Buckets)
	for i := range h {
		h[i] = "0"
	}
	h[d.Latency] = "1"
	var errs any // NULL: no error
	if d.ErrorKind != "" {
		errs = d.ErrorKind
	}
	q := `, stats AS (
		INSERT INTO webhook_stats AS s (webhook_id, hour, succeeded, failed, retrying, latency, errors)
		SELECT ` + p(0) + `::bigint, ` + p(1) + `::timestamptz, ` + p(2) + `::bigint, ` + p(3) + `::bigint, ` + p(4) + `::bigint,
			'[` + strings.Join(h, ",") + `]'::jsonb,
			CASE WHEN ` + p(6) + `::text IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(` + p(6) + `::text, 1) END
		FROM ` + rows + `
		ON CONFLICT (webhook_id, hour) DO UPDATE SET
			succeeded = s.succeeded + EXCLUDED.succeeded,
			failed = s.failed + EXCLUDED.failed,
			retrying = s.retrying + EXCLUDED.retrying,
			latency = CASE WHEN s.latency IS NULL THEN EXCLUDED.latency ELSE jsonb_set(s.latency, ARRAY[` + p(5) + `::text],
				to_jsonb(coalesce((s.latency->>` + p(5) + `::int)::bigint, 0) + 1)) END,
			errors = CASE WHEN ` + p(6) + `::text IS NULL THEN s.errors ELSE jsonb_set(coalesce(s.errors, '{}'::jsonb), ARRAY[` + p(6) + `::text],
				to_jsonb(coalesce((s.errors->>` + p(6) + `::text)::bigint, 0) + 1)) END)`
	return q, []any{d.WebhookID, d.Hour, d.Succeeded, d.Failed, d.Retrying, d.Latency, errs}
}

func nullable[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// isUniqueViolation reports whether err, from a statement run outside ent's
// builders, broke a unique index (PostgreSQL's 23505).
func isUniqueViolation(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "23505"
}

// claimBatch is the most tasks whose calls one statement claims.
const claimBatch = 32

// SendAgain is the entstore's: one statement already.
func (p *Store) SendAgain(ctx context.Context, db *ent.Client, ids []int, where predicate.WebhookCall, now time.Time) ([]*ent.WebhookCall, error) {
	return p.ent.SendAgain(ctx, db, ids, where, now)
}

// FailAbandoned is the entstore's: the sweeper's, not the hot path's.
func (p *Store) FailAbandoned(ctx context.Context, stale predicate.WebhookCall, reason string, now time.Time, limit int) ([]*ent.WebhookCall, error) {
	return p.ent.FailAbandoned(ctx, stale, reason, now, limit)
}

// MarkNotFetched is the entstore's: the periodic check's, not the hot
// path's.
func (p *Store) MarkNotFetched(ctx context.Context, due predicate.WebhookCall, now time.Time, limit int) ([]*ent.WebhookCall, error) {
	return p.ent.MarkNotFetched(ctx, due, now, limit)
}

// Prune is the entstore's: batches of one statement each.
func (p *Store) Prune(ctx context.Context, cutoff time.Time) (int, error) {
	return p.ent.Prune(ctx, cutoff)
}

// Ent is the entstore this store hands what its statements cannot decide,
// with its row locks: tests compare its writes with this store's.
func (p *Store) Ent() *entstore.Store { return p.ent }

// Prepared reports how many statements are prepared.
func (p *Store) Prepared() int { return p.hot.prepared() }

// Files is the group that writes the files stored at the same moment
// together; nil when each file has a statement of its own.
func (p *Store) Files() *groupcommit.Group[NewFile, FileCalls] { return p.files }

// SetFiles replaces the group that writes the files stored at the same
// moment together: nil writes each file alone; a test wraps the group's
// write to see or hold its batches. Not safe while files are stored.
func (p *Store) SetFiles(g *groupcommit.Group[NewFile, FileCalls]) { p.files = g }
