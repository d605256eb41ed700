package graph_test

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/stats"
	"github.com/scoopa/webhooks/internal/testenv"
)

// BenchmarkWebhookStats measures webhookStats (the charts of a webhook's
// page, 24 hours and 7 days by hour) and the overview's sparklines through
// the real GraphQL server, on a call log of a million calls
// (testenv.FillCallLog: 10 webhooks, 30 days, so 100,000 calls per webhook,
// 23,000 in its last 7 days), next to the index-backed aggregate of the same
// 7 days over the calls and their attempts that the rollup replaces.
// FillCallLog writes rows directly, not through Deliver, so the rollup is
// built from the attempts afterwards, as Deliver would have kept it.
// SCOOPA_BENCH_CALLS changes the row count:
//
//	go test ./graph -run '^$' -bench WebhookStats -benchtime 20x -timeout 1h
func BenchmarkWebhookStats(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("SCOOPA_BENCH_CALLS")); err == nil {
		n = v
	}
	s := testenv.StartServer(b, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1", "SCOOPA_LOG_LEVEL": "error", "SCOOPA_STATEMENT_TIMEOUT": "0"})
	db, err := sql.Open("postgres", s.Env["SCOOPA_DATABASE_URL"])
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s.MustDo(b, `mutation { createFolder(input: {name: "inbox"}) { id } }`, nil, nil)
	for i := range 10 {
		in := map[string]any{"name": fmt.Sprintf("hook-%d", i), "url": "https://receiver.example/hook", "active": true, "allFolders": true}
		s.MustDo(b, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": in}, nil)
	}
	if _, err := db.Exec(`DELETE FROM webhook_calls`); err != nil { // the validations of the new webhooks
		b.Fatal(err)
	}
	start := time.Now()
	testenv.FillCallLog(b, db, n, time.Now(), 30*24*time.Hour)
	b.Logf("filled %d calls in %s", n, time.Since(start).Round(time.Second))
	start = time.Now()
	if _, err := db.Exec(rollupFromAttempts()); err != nil {
		b.Fatal(err)
	}
	var rows, calls int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM webhook_stats), (SELECT count(*) FROM webhook_calls)`).Scan(&rows, &calls); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d calls; rollup of %d rows built in %s", calls, rows, time.Since(start).Round(time.Millisecond))
	if _, err := db.Exec(`ANALYZE webhook_stats`); err != nil {
		b.Fatal(err)
	}
	var hook int64
	if err := db.QueryRow(`SELECT min(id) FROM webhooks`).Scan(&hook); err != nil {
		b.Fatal(err)
	}
	id := strconv.FormatInt(hook, 10)
	now := time.Now().UTC()
	const stats = `query($id: ID!, $from: Time!, $to: Time!) { webhookStats(id: $id, from: $from, to: $to) {
		successRate total { succeeded failed retrying latencyP50Ms latencyP95Ms }
		buckets { start succeeded failed retrying latencyP50Ms latencyP95Ms } errors { kind count lastSeen } } }`
	for _, r := range []struct {
		name string
		span time.Duration
	}{{"rollup_24h", 24 * time.Hour}, {"rollup_7d", 7 * 24 * time.Hour}} {
		vars := map[string]any{"id": id, "from": now.Add(-r.span).Format(time.RFC3339), "to": now.Format(time.RFC3339)}
		s.MustDo(b, stats, vars, nil)
		b.Run(r.name, func(b *testing.B) {
			for b.Loop() {
				s.MustDo(b, stats, vars, nil)
			}
		})
	}
	var ids []string
	qr, err := db.Query(`SELECT id FROM webhooks ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	for qr.Next() {
		var i int64
		qr.Scan(&i)
		ids = append(ids, strconv.FormatInt(i, 10))
	}
	qr.Close()
	b.Run("sparklines_10_webhooks", func(b *testing.B) {
		for b.Loop() {
			s.MustDo(b, `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Webhook { recentStats { start succeeded failed retrying } } } }`, map[string]any{"ids": ids}, nil)
		}
	})
	// What the 7 days would cost without the rollup: the same counts and
	// percentiles aggregated from the webhook's calls (webhook_id,
	// created_at index) and their attempts (call_id index).
	b.Run("direct_sql_7d", func(b *testing.B) {
		for b.Loop() {
			rs, err := db.Query(`SELECT date_trunc('hour', a.started_at),
					count(*) FILTER (WHERE a.error IS NULL),
					count(*) FILTER (WHERE a.error IS NOT NULL AND c.status = 'FAILED' AND a.number = c.attempt_count),
					count(*) FILTER (WHERE a.error IS NOT NULL AND NOT (c.status = 'FAILED' AND a.number = c.attempt_count)),
					percentile_cont(0.5) WITHIN GROUP (ORDER BY a.duration_ms),
					percentile_cont(0.95) WITHIN GROUP (ORDER BY a.duration_ms)
				FROM webhook_calls c JOIN webhook_call_attempts a ON a.call_id = c.id
				WHERE c.webhook_id = $1 AND c.created_at >= $2 AND c.kind = 'DELIVERY'
				GROUP BY 1`, hook, now.Add(-7*24*time.Hour))
			if err != nil {
				b.Fatal(err)
			}
			for rs.Next() {
			}
			rs.Close()
		}
	})
}

// rollupFromAttempts is the statement that builds webhook_stats from the
// attempts recorded, as Deliver keeps it one attempt at a time (errors all
// counted as "HTTP 500", which FillCallLog's are).
func rollupFromAttempts() string {
	var hist []string
	lo := "-1"
	for _, hi := range stats.LatencyBounds {
		h := strconv.FormatInt(hi, 10)
		hist = append(hist, fmt.Sprintf("count(*) FILTER (WHERE a.duration_ms > %s AND a.duration_ms <= %s)", lo, h))
		lo = h
	}
	hist = append(hist, fmt.Sprintf("count(*) FILTER (WHERE a.duration_ms > %s)", lo))
	return `INSERT INTO webhook_stats (webhook_id, hour, succeeded, failed, retrying, latency, errors)
		SELECT c.webhook_id, date_trunc('hour', a.started_at + a.duration_ms * interval '1 millisecond'),
			count(*) FILTER (WHERE a.error IS NULL),
			count(*) FILTER (WHERE a.error IS NOT NULL AND c.status = 'FAILED' AND a.number = c.attempt_count),
			count(*) FILTER (WHERE a.error IS NOT NULL AND NOT (c.status = 'FAILED' AND a.number = c.attempt_count)),
			jsonb_build_array(` + strings.Join(hist, ", ") + `),
			CASE WHEN count(*) FILTER (WHERE a.error IS NOT NULL) = 0 THEN '{}'::jsonb
				ELSE jsonb_build_object('HTTP 500', count(*) FILTER (WHERE a.error IS NOT NULL)) END
		FROM webhook_call_attempts a JOIN webhook_calls c ON c.id = a.call_id
		WHERE c.kind = 'DELIVERY' AND c.webhook_id IS NOT NULL
		GROUP BY 1, 2`
}
