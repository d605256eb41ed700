package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"
)

// FillCallLog fills a PostgreSQL database with a platform's call log for
// benchmarks: n delivery calls, one per file and webhook of the database
// (its webhooks and folders must exist), the files arriving at an even pace
// over span up to end, each file's calls made at its arrival. About 98.5 %
// of the calls SUCCEEDED (2 % of those at the second attempt), 1 % FAILED
// after 4 attempts, and the calls of the last minute are PENDING or
// RETRYING; one validation call per webhook and day. Every attempt has its
// row, with headers and a response body as Deliver records them. Indexes
// are dropped during the fill and made again afterwards (much faster than
// keeping them up to date row by row), then the tables are analyzed.
func FillCallLog(tb testing.TB, db *sql.DB, n int, end time.Time, span time.Duration) {
	tb.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	exec := func(q string, args ...any) {
		tb.Helper()
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			tb.Fatalf("fill call log: %v\n%s", err, q)
		}
	}
	var hooks int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM webhooks`).Scan(&hooks); err != nil || hooks == 0 {
		tb.Fatalf("fill call log: no webhooks (%v)", err)
	}
	files := n / hooks
	exec(`SET synchronous_commit = off`)
	exec(`SET maintenance_work_mem = '512MB'`)

	// The indexes (not the primary keys), dropped and made again.
	rows, err := conn.QueryContext(ctx, `SELECT indexname, indexdef FROM pg_indexes
		WHERE tablename IN ('files', 'webhook_calls', 'webhook_call_attempts') AND indexname NOT LIKE '%pkey'`)
	if err != nil {
		tb.Fatal(err)
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			tb.Fatal(err)
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	for _, name := range names {
		exec(`DROP INDEX ` + name)
	}

	step := span / time.Duration(files)
	start := time.Now()
	const chunk = 100_000 // files per statement
	for lo := 1; lo <= files; lo += chunk {
		hi := min(lo+chunk-1, files)
		var prev int64
		if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM files`).Scan(&prev); err != nil {
			tb.Fatal(err)
		}
		// File k arrived k steps before end, in folder k mod folders.
		exec(`INSERT INTO files (name, content_type, size_bytes, storage_key, sha256, created_at, folder_files)
			SELECT 'clip-' || k || (ARRAY['.mov', '.mp4', '.jpg', '.pdf'])[k % 4 + 1], 'video/quicktime', 5000000 + k % 1000,
				md5(k::text), md5(k::text) || md5(k::text), $3::timestamptz - k * $4::interval, f.id
			FROM generate_series($1::int, $2::int) AS k
			JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i, count(*) OVER () AS c FROM folders) f ON f.i = k % f.c`,
			lo, hi, end, step.String())
		exec(`INSERT INTO webhook_calls (kind, status, origin, filter, target_url, webhook_name, webhook_id, folder_id,
				file_id, file_name, folder_name, payload, attempt_count, next_attempt_at, response_status, error,
				created_at, updated_at, completed_at)
			SELECT 'DELIVERY', s.status, CASE WHEN w.all_folders THEN 'PLATFORM' ELSE 'FOLDER' END, w.filter,
				w.url, w.name, w.id, f.folder_files, f.id, f.name, 'Inbox',
				'{"origin":"scoopa","platform":"mediapool","file_id":' || f.id || ',"file_name":"' || f.name ||
					'","file_type":"video/quicktime","file_size_in_bytes":' || f.size_bytes || ',"folder_id":' || f.folder_files ||
					',"folder_name":"Inbox","download_url":"https://scoopa.example/files/' || f.id || '/download?expires=1767225600&signature=' || f.sha256 || '"}',
				s.attempts, CASE WHEN s.status = 'RETRYING' THEN f.created_at + interval '1 minute' END,
				CASE s.status WHEN 'SUCCEEDED' THEN 200 WHEN 'FAILED' THEN 503 WHEN 'RETRYING' THEN 500 END,
				CASE WHEN s.status IN ('FAILED', 'RETRYING') THEN 'HTTP 503 Service Unavailable' END,
				f.created_at, f.created_at + interval '1 second' * s.attempts,
				CASE WHEN s.status IN ('SUCCEEDED', 'FAILED') THEN f.created_at + interval '1 second' * s.attempts END
			FROM files f
			CROSS JOIN webhooks w
			CROSS JOIN LATERAL (SELECT
				CASE WHEN f.created_at > $2::timestamptz - interval '1 minute' THEN (CASE WHEN (f.id + w.id) % 3 = 0 THEN 'RETRYING' ELSE 'PENDING' END)
					WHEN (f.id * 7 + w.id) % 100 = 3 THEN 'FAILED' ELSE 'SUCCEEDED' END AS status,
				CASE WHEN f.created_at > $2::timestamptz - interval '1 minute' THEN CASE WHEN (f.id + w.id) % 3 = 0 THEN 1 ELSE 0 END
					WHEN (f.id * 7 + w.id) % 100 = 3 THEN 4 WHEN (f.id * 7 + w.id) % 50 = 1 THEN 2 ELSE 1 END AS attempts) s
			WHERE f.id > $1`,
			prev, end)
		tb.Logf("fill call log: %d of %d files and their calls (%s)", hi, files, time.Since(start).Round(time.Second))
	}
	// One validation call per webhook and day.
	exec(`INSERT INTO webhook_calls (kind, status, target_url, webhook_name, webhook_id, payload, attempt_count,
			response_status, created_at, updated_at, completed_at)
		SELECT 'VALIDATION', 'SUCCEEDED', w.url, w.name, w.id, '{}', 1, 200, d, d, d
		FROM webhooks w CROSS JOIN generate_series($1::timestamptz - $2::interval, $1::timestamptz, interval '1 day') AS d`,
		end, span.String())
	exec(`INSERT INTO webhook_call_attempts (call_id, number, started_at, duration_ms, response_status, error, response_body, request_headers)
		SELECT c.id, a, c.created_at + (a - 1) * interval '1 second', 20 + c.id % 200,
			CASE WHEN a < c.attempt_count OR c.status <> 'SUCCEEDED' THEN 503 ELSE 200 END,
			CASE WHEN a < c.attempt_count OR c.status <> 'SUCCEEDED' THEN 'HTTP 503 Service Unavailable' END,
			CASE WHEN a < c.attempt_count OR c.status <> 'SUCCEEDED' THEN 'upstream unavailable' ELSE '{"ok":true}' END,
			'[{"name":"Content-Type","value":"application/json"},{"name":"User-Agent","value":"scoopa-webhooks/1"},{"name":"Authorization","value":"Bea…ked"}]'::jsonb
		FROM webhook_calls c CROSS JOIN LATERAL generate_series(1, c.attempt_count) AS a`)
	tb.Logf("fill call log: attempts (%s)", time.Since(start).Round(time.Second))
	for _, def := range defs {
		exec(def)
	}
	exec(`VACUUM ANALYZE files`)
	exec(`VACUUM ANALYZE webhook_calls`)
	exec(`VACUUM ANALYZE webhook_call_attempts`)
	tb.Logf("fill call log: %d calls, indexes made, vacuumed (%s)", n, time.Since(start).Round(time.Second))
}

// TableSizes tells a table's size on disk, with and without its indexes,
// and its dead rows, for benchmarks to report.
type TableSizes struct {
	Rows, DeadRows       int64
	Heap, Indexes, Toast int64 // bytes
}

func (s TableSizes) String() string {
	return fmt.Sprintf("%d rows (%d dead), heap %d MB, indexes %d MB, toast %d MB",
		s.Rows, s.DeadRows, s.Heap>>20, s.Indexes>>20, s.Toast>>20)
}

// Sizes reads TableSizes of table from the statistics (n_live_tup,
// n_dead_tup) and the relation sizes.
func Sizes(tb testing.TB, db *sql.DB, table string) TableSizes {
	tb.Helper()
	var s TableSizes
	err := db.QueryRow(`SELECT coalesce(st.n_live_tup, 0), coalesce(st.n_dead_tup, 0), pg_relation_size(c.oid),
			pg_indexes_size(c.oid), coalesce(pg_total_relation_size(c.reltoastrelid), 0)
		FROM pg_class c LEFT JOIN pg_stat_user_tables st ON st.relid = c.oid WHERE c.oid = $1::regclass`, table).
		Scan(&s.Rows, &s.DeadRows, &s.Heap, &s.Indexes, &s.Toast)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
