package webhooks_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// BenchmarkPruneAtScale measures the retention pass (Service.Prune) on a
// large call log: rows deleted per second, the tables' size and dead rows
// afterwards, and how writes at 500 calls/s (50 files/s to 10 webhooks: each
// file and its calls in one transaction, then each call's attempt and
// outcome) fare while it runs. It needs the database BenchmarkCallLogFirstPage
// filled (SCOOPA_BENCH_DATABASE_URL) and works on a copy of it, dropped at
// the end:
//
//	SCOOPA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/scoopa_bench_calllog?sslmode=disable \
//	  go test ./internal/webhooks -run '^$' -bench PruneAtScale -benchtime 1x -timeout 2h
//
// The clock is set one day past the newest call, with the default
// retention of 30 days: the first pass deletes the oldest day of the log
// with nothing else running; the second, two days later, two more days
// while the writes go on.
func BenchmarkPruneAtScale(b *testing.B) {
	src := os.Getenv("SCOOPA_BENCH_DATABASE_URL")
	if src == "" {
		b.Skip("SCOOPA_BENCH_DATABASE_URL is not set (see the comment of BenchmarkPruneAtScale)")
	}
	u, err := url.Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	srcName := strings.TrimPrefix(u.Path, "/")
	name := testenv.Name(srcName + "_copy_")
	admin, err := sql.Open("postgres", testenv.PostgresAdminURL())
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	start := time.Now()
	if _, err := admin.Exec(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY", name, srcName)); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		admin, err := sql.Open("postgres", testenv.PostgresAdminURL())
		if err != nil {
			b.Logf("drop %s: %v", name, err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			b.Logf("drop %s: %v", name, err)
		}
	})
	b.Logf("copied %s to %s in %s", srcName, name, time.Since(start).Round(time.Second))
	u.Path = "/" + name
	db, client, err := app.OpenPostgres(u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	var newest time.Time
	if err := db.QueryRow(`SELECT max(created_at) FROM webhook_calls`).Scan(&newest); err != nil {
		b.Fatal(err)
	}
	_, err = db.Exec(`CREATE EXTENSION IF NOT EXISTS pgstattuple`)
	stattuple := err == nil
	report := func(when string) {
		for _, table := range []string{"webhook_calls", "webhook_call_attempts"} {
			// The statistics collector is asynchronous; ANALYZE is not run
			// on purpose (it would update n_dead_tup the same way).
			time.Sleep(time.Second)
			line := fmt.Sprintf("%s: %s: %s", when, table, testenv.Sizes(b, db, table))
			if stattuple {
				var dead, free float64
				if err := db.QueryRow(`SELECT dead_tuple_percent, free_percent FROM pgstattuple($1)`, table).Scan(&dead, &free); err == nil {
					line += fmt.Sprintf("; pgstattuple: %.1f %% dead, %.1f %% free", dead, free)
				}
			}
			b.Log(line)
		}
	}
	// A batch query that starts from the oldest call again (as Prune did
	// before it walked on from the previous batch): what it reads tells how
	// many deleted index entries a pass leaves in front of the live ones.
	explain := func(when string, cutoff time.Time) {
		rows, err := db.Query(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) SELECT id FROM webhook_calls WHERE created_at < $1 LIMIT 1000`, cutoff)
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var l string
			rows.Scan(&l)
			plan = append(plan, l)
		}
		b.Logf("%s: a batch query from the oldest call:\n%s", when, strings.Join(plan, "\n"))
	}
	report("before")

	clock := testenv.NewClock(newest.Add(24 * time.Hour))
	svc, err := webhooks.New(webhooks.Config{SecretKey: []byte("0123456789abcdef0123456789abcdef")},
		webhooks.Deps{DB: client, Log: testenv.Logger(b, 4), Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	prune := func(when string) {
		start := time.Now()
		n, err := svc.Recovery().Prune(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		d := time.Since(start)
		b.Logf("%s: pruned %d calls in %s: %.0f calls/s", when, n, d.Round(time.Millisecond), float64(n)/d.Seconds())
		b.ReportMetric(float64(n)/d.Seconds(), when+"_calls/s")
	}
	after := func(when string) {
		explain(when, clock.Now().Add(-30*24*time.Hour))
		report("after " + when)
	}

	// 1. The oldest day alone.
	prune("prune_alone")
	after("prune_alone")

	// 2. Two days more, with writes at 500 calls/s.
	clock.Advance(48 * time.Hour)
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	var lat []time.Duration
	var written int
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for ctx.Err() == nil {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			t0 := time.Now()
			// Five files and their 50 calls in one transaction, as an upload
			// writes them; then the previous ones' attempts and outcomes, as
			// deliveries write them.
			if _, err := db.Exec(writeFiles, clock.Now()); err != nil {
				b.Error(err)
				return
			}
			if _, err := db.Exec(deliverCalls); err != nil {
				b.Error(err)
				return
			}
			mu.Lock()
			lat = append(lat, time.Since(t0))
			written += 50
			mu.Unlock()
		}
	}()
	time.Sleep(5 * time.Second) // the writes alone first
	mu.Lock()
	before := len(lat)
	alone := slices.Clone(lat)
	mu.Unlock()
	slices.Sort(alone)
	if len(alone) > 0 {
		b.Logf("writes alone: %d batches of 50 calls, per batch p50 %s, max %s", len(alone), alone[len(alone)/2].Round(time.Millisecond), alone[len(alone)-1].Round(time.Millisecond))
	}
	t0 := time.Now()
	prune("prune_with_writes")
	elapsed := time.Since(t0)
	mu.Lock()
	during := slices.Clone(lat[before:])
	mu.Unlock()
	stop()
	wg.Wait()
	slices.Sort(during)
	if len(during) > 0 {
		b.Logf("writes during the pass: %d batches of 50 calls (%.0f calls/s written; 500 asked), per batch p50 %s, p99 %s, max %s",
			len(during), float64(len(during)*50)/elapsed.Seconds(), during[len(during)/2].Round(time.Millisecond),
			during[len(during)*99/100].Round(time.Millisecond), during[len(during)-1].Round(time.Millisecond))
	}
	after("prune_with_writes")
	b.Logf("%d calls written in all", written)

	// 3. What a plain VACUUM (autovacuum's work) takes and leaves.
	for _, table := range []string{"webhook_calls", "webhook_call_attempts"} {
		start := time.Now()
		if _, err := db.Exec(`VACUUM ` + table); err != nil {
			b.Fatal(err)
		}
		b.Logf("VACUUM %s: %s", table, time.Since(start).Round(time.Millisecond))
	}
	report("after VACUUM")
	explain("after VACUUM", clock.Now().Add(-30*24*time.Hour))
}

// writeFiles writes five files, each with a call to every webhook, at $1.
const writeFiles = `WITH f AS (
	INSERT INTO files (name, content_type, size_bytes, storage_key, sha256, created_at, folder_files)
	SELECT 'new-' || md5(random()::text) || '.mov', 'video/quicktime', 5000000, md5(random()::text), md5(random()::text), $1, (SELECT min(id) FROM folders)
	FROM generate_series(1, 5)
	RETURNING id, name, created_at, folder_files)
INSERT INTO webhook_calls (kind, status, origin, target_url, webhook_name, webhook_id, folder_id, file_id, file_name, folder_name,
	payload, attempt_count, created_at, updated_at)
SELECT 'DELIVERY', 'PENDING', CASE WHEN w.all_folders THEN 'PLATFORM' ELSE 'FOLDER' END, w.url, w.name, w.id, f.folder_files, f.id, f.name, 'Inbox',
	'{"origin":"scoopa","platform":"mediapool","file_id":' || f.id || ',"file_name":"' || f.name || '","download_url":"https://scoopa.example/files/' || f.id || '/download?expires=1767225600&signature=0123456789abcdef0123456789abcdef"}',
	0, f.created_at, f.created_at
FROM f CROSS JOIN webhooks w`

// deliverCalls records the one successful attempt of the waiting calls.
const deliverCalls = `WITH c AS (
	UPDATE webhook_calls SET status = 'SUCCEEDED', attempt_count = 1, response_status = 200, updated_at = created_at + interval '1 second',
		completed_at = created_at + interval '1 second'
	WHERE status = 'PENDING' AND id IN (SELECT id FROM webhook_calls WHERE status = 'PENDING' ORDER BY created_at LIMIT 100)
	RETURNING id, created_at)
INSERT INTO webhook_call_attempts (call_id, number, started_at, duration_ms, response_status, response_body, request_headers)
SELECT id, 1, created_at, 25, 200, '{"ok":true}', '[{"name":"Content-Type","value":"application/json"}]'::jsonb FROM c`
