package graph_test

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// BenchmarkCallLogFirstPage measures the first page (50 calls) of the call
// log with a million calls in PostgreSQL, through the real GraphQL server,
// for the console's filters. SCOOPA_BENCH_CALLS changes the row count.
//
//	go test ./graph -run '^$' -bench CallLogFirstPage -benchtime 30x
func BenchmarkCallLogFirstPage(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("SCOOPA_BENCH_CALLS")); err == nil {
		n = v
	}
	s := testenv.StartServer(b, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1", "SCOOPA_LOG_LEVEL": "error"})
	folder := createFolderB(b, s)
	var hooks []string
	for i := range 10 {
		var out struct{ CreateWebhook struct{ ID string } }
		s.MustDo(b, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": fmt.Sprintf("hook-%d", i), "url": "http://127.0.0.1:1/", "folderIDs": []string{folder}}}, &out)
		hooks = append(hooks, out.CreateWebhook.ID)
	}
	db, err := sql.Open("postgres", s.Env["SCOOPA_DATABASE_URL"])
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	// Ten webhooks, one folder, 30 days; 98% SUCCEEDED, 1% FAILED, 0.5%
	// RETRYING, 0.5% VALIDATION calls.
	_, err = db.Exec(`
		INSERT INTO webhook_calls (kind, status, origin, filter, target_url, webhook_name, webhook_id, folder_id,
			file_name, folder_name, payload, attempt_count, created_at, updated_at, completed_at, response_status, error)
		SELECT CASE WHEN i % 200 = 7 THEN 'VALIDATION' ELSE 'DELIVERY' END,
			CASE WHEN i % 100 = 3 THEN 'FAILED' WHEN i % 200 = 5 THEN 'RETRYING' ELSE 'SUCCEEDED' END,
			CASE WHEN i % 2 = 0 THEN 'FOLDER' ELSE 'PLATFORM' END,
			NULL, 'https://receiver.example/hook', 'hook-' || (i % 10), w.id, $2::bigint,
			'file-' || i || '.mov', 'Inbox',
			'{"origin":"scoopa","platform":"test","file_id":' || i || ',"file_name":"file-' || i || '.mov","file_type":"video/quicktime","file_size_in_bytes":5007,"folder_id":1,"folder_name":"Inbox","download_url":"https://scoopa.example/files/1/download?expires=1&signature=x"}',
			1, now() - (i * interval '2.592 second'), now(), now(), 200, NULL
		FROM generate_series(1, $1::int) AS i
		JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM webhooks) w ON w.k = i % 10`, n, folder)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`VACUUM ANALYZE webhook_calls`); err != nil {
		b.Fatal(err)
	}
	b.Logf("filled %d calls in %s", n, time.Since(start).Round(time.Second))
	b.Run("baseline_viewer_query", func(b *testing.B) {
		for b.Loop() {
			s.Do(b, `{ viewer { role } }`, nil)
		}
	})
	b.Run("baseline_sql_first_page", func(b *testing.B) {
		for b.Loop() {
			rows, err := db.Query(`SELECT id, status, file_name, target_url, created_at, origin, filter, error, webhook_name FROM webhook_calls ORDER BY created_at DESC, id DESC LIMIT 51`)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
			}
			rows.Close()
		}
	})
	day := time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	const page = `edges { node { id status fileName targetURL createdAt origin filter error webhookName } } pageInfo { endCursor hasNextPage }`
	for _, bc := range []struct {
		name, where string
		count       bool
	}{
		{"all", ``, false},
		{"all_with_totalCount", ``, true},
		{"by_webhook", `webhookID: "` + hooks[3] + `"`, false},
		{"by_webhook_with_totalCount", `webhookID: "` + hooks[3] + `"`, true},
		{"hasWebhookWith", `hasWebhookWith: [{id: "` + hooks[3] + `"}]`, false},
		{"hasWebhookWith_with_totalCount", `hasWebhookWith: [{id: "` + hooks[3] + `"}]`, true},
		{"status_FAILED", `status: FAILED`, false},
		{"status_FAILED_with_totalCount", `status: FAILED`, true},
		{"statusIn_FAILED_RETRYING_delivery", `statusIn: [FAILED, RETRYING], kind: DELIVERY`, false},
		{"kind_VALIDATION", `kind: VALIDATION`, false},
		{"origin_PLATFORM", `origin: PLATFORM`, false},
		{"by_folder", `folderID: "` + folder + `"`, false},
		{"last_24h", `createdAtGTE: "` + day + `"`, false},
		{"file_name_contains_rare", `fileNameContains: "file-424242."`, false},
		{"webhook_and_status", `webhookID: "` + hooks[3] + `", status: FAILED`, false},
		{"webhook_and_status_with_totalCount", `webhookID: "` + hooks[3] + `", status: FAILED`, true},
	} {
		q := `{ webhookCalls(first: 50, where: {` + bc.where + `}) { ` + page
		if bc.count {
			q += ` totalCount`
		}
		q += ` } }`
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				r := s.Do(b, q, nil)
				if len(r.Errors) > 0 {
					b.Fatal(r.Errors)
				}
			}
		})
	}
}

func createFolderB(b *testing.B, s *testenv.Server) string {
	var out struct{ CreateFolder struct{ ID string } }
	s.MustDo(b, `mutation { createFolder(input: {name: "Inbox"}) { id } }`, nil, &out)
	return out.CreateFolder.ID
}
