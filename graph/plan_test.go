package graph_test

import (
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// checkTrigramPlan explains, on PostgreSQL, the page statement the API
// issued that contains match, and requires the trigram index to answer it:
// a bitmap scan of index, not a scan of the whole table (the test's tables
// are small, so scans the index could replace are disabled; without a
// usable index the plan is a sequential scan). The statement is explained
// as a generic plan, so the parameters stay parameters.
func checkTrigramPlan(t *testing.T, s *testenv.Server, statements []string, match, index string) {
	t.Helper()
	var query string
	for _, q := range statements {
		if q, ok := strings.CutPrefix(q, "query "); ok && strings.Contains(q, match) && strings.Contains(q, "ORDER BY") {
			query = q
		}
	}
	if query == "" {
		t.Fatalf("no page statement with %s among:\n%s", match, strings.Join(statements, "\n"))
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
	placeholders := regexp.MustCompile(`\$[0-9]+`).FindAllString(query, -1)
	slices.Sort(placeholders)
	params := len(slices.Compact(placeholders))
	for _, q := range []string{
		`SET plan_cache_mode = force_generic_plan`, `SET enable_seqscan = off`, `SET enable_indexscan = off`,
		`PREPARE trigram_page AS ` + query,
	} {
		if _, err := conn.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rows, err := conn.QueryContext(t.Context(), `EXPLAIN EXECUTE trigram_page(`+strings.TrimSuffix(strings.Repeat("NULL, ", params), ", ")+`)`)
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
	if !strings.Contains(strings.Join(plan, "\n"), "Bitmap Index Scan on "+index) {
		t.Errorf("the statement does not use the trigram index %s:\n%s\n%s", index, query, strings.Join(plan, "\n"))
	}
}
