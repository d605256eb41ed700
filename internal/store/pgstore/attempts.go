package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/lib/pq"

	"github.com/scoopa/webhooks/internal/groupcommit"
	"github.com/scoopa/webhooks/internal/store"
)

// On PostgreSQL the attempts that workers record at the same moment are
// written together (internal/groupcommit): one statement and one commit for up
// to recordBatch attempts, instead of one each. What one statement did for
// one attempt, recordBatchSQL does for many: the calls' new state only
// where they are still RUNNING, their attempts, and the webhooks' hours in
// the rollup (internal/stats). The rollup is where it pays most: every attempt of
// a webhook in the same hour updates the same row, so one attempt at a time
// means each statement waits for the one before it to commit (measured at
// 16 attempts in flight on one webhook: 17 ms per statement, nearly all of
// it waiting for that row). A batch adds its attempts to each row once.
//
// An attempt alone is written by RecordOne; a batch whose
// statement fails is written again one attempt at a time, so that one bad
// row costs only its own attempt.

// recordBatch is the most attempts one statement records.
const recordBatch = 64

// WriteAttempts is the group's write: one statement for the batch, or
// RecordOne's for an attempt alone or when the batch's fails.
func (p *Store) WriteAttempts(ctx context.Context, recs []store.Attempt) []groupcommit.Result[store.Fetches] {
	res := make([]groupcommit.Result[store.Fetches], len(recs))
	if len(recs) > 1 {
		written, err := p.RecordAll(ctx, recs)
		if err == nil {
			for i, r := range recs {
				if f, ok := written[r.CallID]; ok {
					res[i].Val = f
				} else {
					res[i].Err = store.NotRunning(r.CallID)
				}
			}
			return res
		}
		p.log.WarnContext(ctx, "attempts not recorded together; recording them one by one", "attempts", len(recs), "err", err)
	}
	for i, r := range recs {
		res[i].Val, res[i].Err = p.RecordOne(ctx, r)
	}
	return res
}

// recordBatchSQL records many attempts; its parameters are the columns of
// recordAll, one array each, and $23 the last bucket of the latency
// histogram. The rollup's rows are taken in (webhook, hour) order, so two
// batches cannot wait for each other's rows.
const recordBatchSQL = `WITH v AS (
	SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::bigint[], $7::text[],
		$8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::bigint[], $12::text[], $13::text[], $14::jsonb[],
		$15::bigint[], $16::bigint[], $17::timestamptz[], $18::bigint[], $19::bigint[], $20::bigint[], $21::int[], $22::text[])
	AS v(id, status, attempt_count, payload, updated_at, response_status, error,
		next_attempt_at, completed_at, started_at, duration_ms, attempt_error, response_body, request_headers,
		retry_after, hook, hour, succeeded, failed, retrying, latency, error_kind)
), u AS (
	UPDATE webhook_calls c SET status = v.status, attempt_count = v.attempt_count, payload = v.payload, updated_at = v.updated_at,
		response_status = v.response_status, error = v.error, next_attempt_at = v.next_attempt_at, completed_at = v.completed_at
	FROM v WHERE c.id = v.id AND c.status = 'RUNNING'
	RETURNING c.id, c.fetched_first_at, c.fetch_count, c.fetched_bytes, c.last_fetch_complete
), a AS (
	INSERT INTO webhook_call_attempts (call_id, number, started_at, duration_ms, response_status, error, response_body, request_headers, retry_after_seconds)
	SELECT v.id, v.attempt_count, v.started_at, v.duration_ms, v.response_status, v.attempt_error, v.response_body, v.request_headers, v.retry_after
	FROM v JOIN u ON u.id = v.id
), g AS (
	SELECT v.hook, v.hour, sum(v.succeeded) AS succeeded, sum(v.failed) AS failed, sum(v.retrying) AS retrying,
		array_agg(v.latency) AS latencies, array_agg(v.error_kind) FILTER (WHERE v.error_kind IS NOT NULL) AS kinds
	FROM v JOIN u ON u.id = v.id WHERE v.hook IS NOT NULL
	GROUP BY v.hook, v.hour
), stats AS (
	INSERT INTO webhook_stats AS s (webhook_id, hour, succeeded, failed, retrying, latency, errors)
	SELECT g.hook, g.hour, g.succeeded, g.failed, g.retrying,
		(SELECT jsonb_agg((SELECT count(*) FROM unnest(g.latencies) l WHERE l = i) ORDER BY i) FROM generate_series(0, $23::int) i),
		coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT k, count(*) AS n FROM unnest(g.kinds) k GROUP BY k) e), '{}'::jsonb)
	FROM g ORDER BY g.hook, g.hour
	ON CONFLICT (webhook_id, hour) DO UPDATE SET
		succeeded = s.succeeded + EXCLUDED.succeeded,
		failed = s.failed + EXCLUDED.failed,
		retrying = s.retrying + EXCLUDED.retrying,
		latency = CASE WHEN s.latency IS NULL THEN EXCLUDED.latency ELSE
			(SELECT jsonb_agg(coalesce((s.latency->>i)::bigint, 0) + coalesce((EXCLUDED.latency->>i)::bigint, 0) ORDER BY i)
			FROM generate_series(0, $23::int) i) END,
		errors = CASE WHEN EXCLUDED.errors = '{}'::jsonb THEN s.errors ELSE
			(SELECT jsonb_object_agg(k, n) FROM (SELECT key AS k, sum(value::bigint) AS n
				FROM (SELECT * FROM jsonb_each_text(coalesce(s.errors, '{}'::jsonb)) UNION ALL SELECT * FROM jsonb_each_text(EXCLUDED.errors)) x
				GROUP BY key) e) END
)
SELECT id, fetched_first_at, fetch_count, fetched_bytes, last_fetch_complete FROM u`

// RecordAll writes recs in one statement and answers the calls it
// recorded (those still RUNNING) with their fetches as it found them.
func (p *Store) RecordAll(ctx context.Context, recs []store.Attempt) (map[int]store.Fetches, error) {
	var (
		ids, counts, durations             []int64
		statuses, payloads                 []string
		updated, started                   []string
		respStatus, retryAfter             []sql.NullInt64
		errs, next, completed, attemptErrs []sql.NullString
		bodies, headers                    []string
		hooks, succ, fail, retr            []sql.NullInt64
		hours, kinds                       []sql.NullString
		latencies                          []int64
		last                               int // the histogram's last bucket
	)
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
	nullTime := func(t *time.Time) sql.NullString {
		if t == nil {
			return sql.NullString{}
		}
		return sql.NullString{String: ts(*t), Valid: true}
	}
	nullString := func(p *string) sql.NullString {
		if p == nil {
			return sql.NullString{}
		}
		return sql.NullString{String: *p, Valid: true}
	}
	nullInt := func(p *int) sql.NullInt64 {
		if p == nil {
			return sql.NullInt64{}
		}
		return sql.NullInt64{Int64: int64(*p), Valid: true}
	}
	for _, r := range recs {
		h, err := json.Marshal(r.RequestHeaders)
		if err != nil {
			return nil, fmt.Errorf("request headers: %w", err)
		}
		o := r.Out
		ids = append(ids, int64(r.CallID))
		statuses = append(statuses, string(o.Status))
		counts = append(counts, int64(o.AttemptCount))
		payloads = append(payloads, o.Payload)
		updated = append(updated, ts(o.UpdatedAt))
		respStatus = append(respStatus, nullInt(o.ResponseStatus))
		errs = append(errs, nullString(o.Error))
		next = append(next, nullTime(o.NextAttemptAt))
		completed = append(completed, nullTime(o.CompletedAt))
		started = append(started, ts(r.Started))
		durations = append(durations, r.Duration.Milliseconds())
		attemptErrs = append(attemptErrs, nullString(r.Err))
		bodies = append(bodies, r.Body)
		headers = append(headers, string(h))
		retryAfter = append(retryAfter, nullInt(r.RetryAfter))
		var d store.StatsDelta
		counted := r.Stats != nil
		if counted {
			d, last = *r.Stats, r.Stats.Buckets-1
		}
		hooks = append(hooks, sql.NullInt64{Int64: int64(d.WebhookID), Valid: counted})
		hours = append(hours, sql.NullString{String: ts(d.Hour), Valid: counted})
		succ = append(succ, sql.NullInt64{Int64: int64(d.Succeeded), Valid: counted})
		fail = append(fail, sql.NullInt64{Int64: int64(d.Failed), Valid: counted})
		retr = append(retr, sql.NullInt64{Int64: int64(d.Retrying), Valid: counted})
		latencies = append(latencies, int64(d.Latency))
		kinds = append(kinds, sql.NullString{String: d.ErrorKind, Valid: counted && d.ErrorKind != ""})
	}
	rows, err := p.hot.QueryContext(ctx, recordBatchSQL,
		pq.Array(ids), pq.Array(statuses), pq.Array(counts), pq.Array(payloads), pq.Array(updated),
		pq.Array(respStatus), pq.Array(errs), pq.Array(next), pq.Array(completed), pq.Array(started),
		pq.Array(durations), pq.Array(attemptErrs), pq.Array(bodies), pq.Array(headers), pq.Array(retryAfter),
		pq.Array(hooks), pq.Array(hours), pq.Array(succ), pq.Array(fail), pq.Array(retr), pq.Array(latencies), pq.Array(kinds),
		strconv.Itoa(last))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	written := make(map[int]store.Fetches, len(recs))
	for rows.Next() {
		var id int
		f, err := store.ScanFetches(rows, &id)
		if err != nil {
			return nil, err
		}
		written[id] = f
	}
	return written, rows.Err()
}
