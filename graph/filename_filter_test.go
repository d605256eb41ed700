package graph_test

import (
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// The file-name filter of the call log finds the same calls on both
// backends: fileNameContainsFold ignores case, and % and _ are literal
// characters, not wildcards.
func TestCallLogFileNameFilter(t *testing.T) {
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s, st := testenv.StartCountingServer(t, kind, map[string]string{"TEST_NO_WORKER": "1"})
			folder := createFolder(t, s, "inbox")
			createWebhook(t, s, map[string]any{"name": "hook", "url": "http://127.0.0.1:1/hook", "active": true, "allFolders": true})
			for _, name := range []string{"Clip-01.MOV", "clip-02.mov", "50%_off.pdf", "5000-off.pdf", "notes.txt"} {
				if r := s.Upload(t, folder, name, "application/octet-stream", []byte("x")); len(r.Errors) > 0 {
					t.Fatalf("upload %s: %+v", name, r.Errors)
				}
			}
			for _, tc := range []struct {
				filter, value string
				want          []string
			}{
				{"fileNameContainsFold", "clip", []string{"Clip-01.MOV", "clip-02.mov"}},
				{"fileNameContainsFold", "CLIP-0", []string{"Clip-01.MOV", "clip-02.mov"}},
				{"fileNameContainsFold", ".Mov", []string{"Clip-01.MOV", "clip-02.mov", "test.mov"}}, // test.mov: the validation
				{"fileNameContainsFold", "0%_", []string{"50%_off.pdf"}},
				{"fileNameContainsFold", "%", []string{"50%_off.pdf"}},
				{"fileNameContainsFold", "_", []string{"50%_off.pdf"}},
				{"fileNameContainsFold", "no-such-file", nil},
				{"fileNameContains", "clip-02", []string{"clip-02.mov"}},
				{"fileNameContains", "0%_", []string{"50%_off.pdf"}},
				{"fileNameContains", "off.pdf", []string{"50%_off.pdf", "5000-off.pdf"}},
				{"fileNameContains", "t", []string{"notes.txt", "test.mov"}},
			} {
				var out struct {
					WebhookCalls struct {
						Edges []struct{ Node struct{ FileName string } }
					}
				}
				st.Reset()
				s.MustDo(t, `query($v: String!) { webhookCalls(first: 50, where: {`+tc.filter+`: $v}) { edges { node { fileName } } } }`,
					map[string]any{"v": tc.value}, &out)
				var got []string
				for _, e := range out.WebhookCalls.Edges {
					got = append(got, e.Node.FileName)
				}
				slices.Sort(got)
				if !slices.Equal(got, tc.want) {
					t.Errorf("%s: %q: got %q, want %q", tc.filter, tc.value, got, tc.want)
				}
				if kind == testenv.Postgres && tc.value == "clip" {
					checkFileNamePlan(t, s, st.List())
				}
			}
		})
	}
}

// checkFileNamePlan explains, on PostgreSQL, the statement the API issued
// for the file-name filter, and requires the trigram index to answer it: a
// bitmap scan of webhookcall_file_name, not a scan of the whole table (the
// table of the test is small, so scans the index could replace are
// disabled; without a usable index the plan is a sequential scan).
func checkFileNamePlan(t *testing.T, s *testenv.Server, statements []string) {
	t.Helper()
	var query string
	for _, q := range statements {
		if q, ok := strings.CutPrefix(q, "query "); ok && strings.Contains(q, `"file_name" ILIKE`) && strings.Contains(q, "ORDER BY") {
			query = q
		}
	}
	if query == "" {
		t.Fatalf("no page statement filtering on file_name with ILIKE among:\n%s", strings.Join(statements, "\n"))
	}
	db, err := sql.Open("postgres", s.Env["SCOOPA_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A generic plan keeps the parameters as parameters: the values given
	// to EXECUTE only have to have the right types.
	placeholders := regexp.MustCompile(`\$[0-9]+`).FindAllString(query, -1)
	slices.Sort(placeholders)
	params := len(slices.Compact(placeholders))
	for _, q := range []string{
		`SET plan_cache_mode = force_generic_plan`, `SET enable_seqscan = off`, `SET enable_indexscan = off`,
		`PREPARE file_name_page AS ` + query,
	} {
		if _, err := conn.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	args := strings.Repeat("NULL, ", params)
	rows, err := conn.QueryContext(t.Context(), `EXPLAIN EXECUTE file_name_page(`+strings.TrimSuffix(args, ", ")+`)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "Bitmap Index Scan on webhookcall_file_name") {
		t.Errorf("the file-name filter does not use the trigram index:\n%s\n%s", query, strings.Join(plan, "\n"))
	}
}
