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
// log in PostgreSQL, through the real GraphQL server, for the console's and
// the API's filters. It fills a fresh database with a million calls
// (testenv.FillCallLog: 10 webhooks, half on one of 100 folders each, half
// on all folders; 30 days). SCOOPA_BENCH_CALLS changes the row count.
// SCOOPA_BENCH_DATABASE_URL names a database of your own to use instead
// (created empty beforehand; filled on the first run, reused afterwards, never
// dropped), so that 10 million calls are filled once:
//
//	go test ./graph -run '^$' -bench CallLogFirstPage -benchtime 30x
//	createdb -h 127.0.0.1 -U postgres scoopa_bench_calllog
//	SCOOPA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/scoopa_bench_calllog?sslmode=disable \
//	  SCOOPA_BENCH_CALLS=10000000 go test ./graph -run '^$' -bench CallLogFirstPage -benchtime 30x -timeout 2h
func BenchmarkCallLogFirstPage(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("SCOOPA_BENCH_CALLS")); err == nil {
		n = v
	}
	env := map[string]string{"TEST_NO_WORKER": "1", "SCOOPA_LOG_LEVEL": "error", "SCOOPA_STATEMENT_TIMEOUT": "0"}
	if u := os.Getenv("SCOOPA_BENCH_DATABASE_URL"); u != "" {
		env["SCOOPA_DATABASE_URL"] = u
	}
	s := testenv.StartServer(b, testenv.Postgres, env)
	db, err := sql.Open("postgres", s.Env["SCOOPA_DATABASE_URL"])
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var calls int
	if err := db.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM webhook_calls LIMIT 1000) c`).Scan(&calls); err != nil {
		b.Fatal(err)
	}
	if calls < 1000 {
		// 100 folders; webhooks 0-4 on folder 0-4, webhooks 5-9 on all folders.
		for i := range 100 {
			s.MustDo(b, `mutation($n: String!) { createFolder(input: {name: $n}) { id } }`, map[string]any{"n": fmt.Sprintf("folder-%02d", i)}, nil)
		}
		var folders struct {
			Folders struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		s.MustDo(b, `{ folders(first: 5, orderBy: {field: CREATED_AT, direction: ASC}) { edges { node { id } } } }`, nil, &folders)
		for i := range 10 {
			in := map[string]any{"name": fmt.Sprintf("hook-%d", i), "url": "https://receiver.example/hook", "active": true}
			if i < 5 {
				in["folderIDs"] = []string{folders.Folders.Edges[i].Node.ID}
			} else {
				in["allFolders"] = true
			}
			s.MustDo(b, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": in}, nil)
		}
		if _, err := db.Exec(`DELETE FROM webhook_calls`); err != nil { // the validations of the new webhooks
			b.Fatal(err)
		}
		testenv.FillCallLog(b, db, n, time.Now(), 30*24*time.Hour)
	}
	var hook, folder, platformHook int64
	if err := db.QueryRow(`SELECT min(id) FILTER (WHERE NOT all_folders), min(id) FILTER (WHERE all_folders) FROM webhooks`).Scan(&hook, &platformHook); err != nil {
		b.Fatal(err)
	}
	if err := db.QueryRow(`SELECT min(id) FROM folders`).Scan(&folder); err != nil {
		b.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM webhook_calls`).Scan(&calls); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d calls", calls)
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
	var folderHook, anyHook string
	// Global IDs as the API shows them: the row IDs are already global.
	folderHook, anyHook = strconv.FormatInt(hook, 10), strconv.FormatInt(platformHook, 10)
	folderID := strconv.FormatInt(folder, 10)
	day := time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	const page = `edges { node { id status fileName targetURL createdAt origin filter error webhookName } } pageInfo { endCursor hasNextPage }`
	for _, bc := range []struct {
		name, where string
		count       bool
	}{
		{"all", ``, false},
		{"all_with_totalCount", ``, true},
		{"by_webhook", `webhookID: "` + folderHook + `"`, false},
		{"by_webhook_with_totalCount", `webhookID: "` + folderHook + `"`, true},
		{"by_platform_webhook", `webhookID: "` + anyHook + `"`, false},
		{"hasWebhookWith", `hasWebhookWith: [{id: "` + folderHook + `"}]`, false},
		{"status_FAILED", `status: FAILED`, false},
		{"status_FAILED_with_totalCount", `status: FAILED`, true},
		{"status_RETRYING", `status: RETRYING`, false},
		{"statusIn_FAILED_RETRYING_delivery", `statusIn: [FAILED, RETRYING], kind: DELIVERY`, false},
		{"kind_VALIDATION", `kind: VALIDATION`, false},
		{"origin_PLATFORM", `origin: PLATFORM`, false},
		{"by_folder", `folderID: "` + folderID + `"`, false},
		{"by_folder_and_webhook", `folderID: "` + folderID + `", webhookID: "` + folderHook + `"`, false},
		{"last_24h", `createdAtGTE: "` + day + `"`, false},
		{"file_name_contains_common", `fileNameContains: ".mov"`, false},
		{"file_name_contains_rare", `fileNameContains: "clip-424242."`, false},
		{"file_name_contains_none", `fileNameContains: "no-such-file"`, false},
		{"file_name_contains_fold_rare", `fileNameContainsFold: "CLIP-424242."`, false}, // the console's filter
		{"file_name_contains_fold_rare_with_totalCount", `fileNameContainsFold: "CLIP-424242."`, true},
		{"webhook_and_status", `webhookID: "` + folderHook + `", status: FAILED`, false},
		{"webhook_and_status_with_totalCount", `webhookID: "` + folderHook + `", status: FAILED`, true},
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
