package graph_test

import (
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// hostileFields is the query of the attack: one field repeated n times,
// which gqlparser's overlapping-fields validation checks pairwise.
func hostileFields(n int) string {
	return "{ viewer { " + strings.Repeat("role ", n) + "} }"
}

// Queries too large to parse and validate cheaply are refused before
// either, over HTTP and over websockets alike.
func TestQuerySizeLimits(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_MAX_QUERY_BYTES": "20000", "SCOOPA_MAX_QUERY_TOKENS": "500"})
	viewer := viewerToken(t, s)
	for _, tc := range []struct{ name, query, want string }{
		{"too many tokens", hostileFields(3000), "the limit is 500 tokens"},
		{"too many bytes", "{ viewer { role } }" + strings.Repeat(" ", 20000), "the limit is 20000 bytes"},
		{"comments count as bytes", "#" + strings.Repeat("x", 20000) + "\n{ viewer { role } }", "the limit is 20000 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.DoAs(t, viewer, tc.query, nil)
			if r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, tc.want) {
				t.Errorf("HTTP: %+v, want BAD_USER_INPUT naming %q", r.Errors, tc.want)
			}
			c := dialWS(t, s, viewer)
			if got := c.do("1", tc.query); got.code != "BAD_USER_INPUT" {
				t.Errorf("websocket: %+v, want BAD_USER_INPUT", got)
			}
		})
	}
	if r := s.DoAs(t, viewer, hostileFields(400), nil); len(r.Errors) > 0 {
		t.Errorf("a query under both limits: %+v", r.Errors)
	}
}

// The default limits refuse the attack's query (30,000 fields, 150 KB) at
// once, and serve the console's largest query.
func TestQuerySizeDefaults(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	if r := s.Do(t, hostileFields(30000), nil); r.Code() != "BAD_USER_INPUT" {
		t.Errorf("the attack's query: %+v, want BAD_USER_INPUT", r.Errors)
	}
	if r := s.Do(t, hostileFields(900), nil); r.Code() != "" {
		t.Errorf("900 fields (under the token limit): %+v", r.Errors)
	}
}

// Counting every matching row, substring filters and big pages weigh in a
// query's complexity: 20 aliases of a filtered count are refused (the
// attack's 200 do not pass the token limit), the console's queries are
// served.
func TestComplexityPricesExpensiveFields(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	alias := func(n int, field string) string {
		var b strings.Builder
		b.WriteString("{ ")
		for i := range n {
			fmt.Fprintf(&b, "a%d: %s ", i, field)
		}
		return b.String() + "}"
	}
	for _, tc := range []struct{ name, query, want string }{
		{"20 filtered counts", alias(20, `webhookCalls(first: 1, where: {fileNameContains: "zz"}) { totalCount }`), "COMPLEXITY_LIMIT_EXCEEDED"},
		{"40 counts", alias(40, `webhookCalls(first: 1) { totalCount }`), "COMPLEXITY_LIMIT_EXCEEDED"},
		{"30 substring scans", alias(30, `webhookCalls(first: 1, where: {payloadContains: "zz"}) { edges { cursor } }`), "COMPLEXITY_LIMIT_EXCEEDED"},
		{"20 full pages", alias(20, `webhookCalls(first: 100) { edges { node { id status fileName error attempts { id error } } } }`), "COMPLEXITY_LIMIT_EXCEEDED"},
		{"5 full pages", alias(5, `webhookCalls(first: 100) { edges { node { id status fileName error attempts { id error } } } }`), ""},
		{"one filtered count", `{ webhookCalls(first: 25, where: {fileNameContains: "zz", statusIn: [FAILED]}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id kind status origin filter targetURL webhookName fileName folderName attemptCount nextAttemptAt responseStatus error createdAt completedAt webhook { id } } } } }`, ""},
		{"the console's webhook list", `{ webhooks(first: 100) { totalCount edges { node { id name url active allFolders filter validationStatus lastValidatedAt lastValidationError createdAt folders { id name } lastCall { id kind status createdAt error } callStats24h { pending running retrying succeeded failed canceled } } } } }`, ""},
		// As the console sends it: both kinds of calls apart, and graphcache's
		// __typename in every selection.
		{"the console's webhook list, deliveries and validations apart", `{ webhooks(first: 100, orderBy: {field: CREATED_AT, direction: ASC}) { __typename totalCount edges { __typename node { __typename id name url active allFolders filter validationStatus lastValidatedAt lastValidationError createdAt folders { __typename id name }
			lastDelivery: lastCall(kind: DELIVERY) { __typename id kind status createdAt error } lastValidation: lastCall(kind: VALIDATION) { __typename id kind status createdAt error }
			deliveries24h: callStats24h(kind: DELIVERY) { __typename pending running retrying succeeded failed canceled } validations24h: callStats24h(kind: VALIDATION) { __typename pending running retrying succeeded failed canceled } } } } }`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := s.Do(t, tc.query, nil); r.Code() != tc.want {
				t.Errorf("got %q %+v, want %q", r.Code(), r.Errors, tc.want)
			}
		})
	}
}

// API statements run under SCOOPA_STATEMENT_TIMEOUT: a query waiting on a
// lock held elsewhere fails after it instead of holding its connection.
func TestStatementTimeout(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"SCOOPA_STATEMENT_TIMEOUT": "1s", "TEST_NO_WORKER": "1"})
	db, err := sql.Open("postgres", s.Env["SCOOPA_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`LOCK TABLE folders IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	// Held long enough to tell a timeout from a wait for the lock.
	hold := time.AfterFunc(20*time.Second, func() { _ = tx.Rollback() })
	r := s.Do(t, `{ folders { totalCount } }`, nil)
	if !hold.Stop() {
		t.Fatalf("the query waited for the lock (%+v): no statement timeout", r.Errors)
	}
	_ = tx.Rollback()
	if r.Code() != "INTERNAL_SERVER_ERROR" {
		t.Errorf("got %+v, want an internal error", r.Errors)
	}
	if !strings.Contains(s.Logs(), "statement timeout") {
		t.Error("the logs do not name the statement timeout")
	}
}

// Extreme delivery limits and retry schedules get field errors through the
// API, on create and on update alike, never an internal error.
func TestExtremeWebhookLimits(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	wh := createWebhook(t, s, map[string]any{"name": "limits", "url": "http://127.0.0.1:1/hook"})
	thousand := make([]string, 1000)
	for i := range thousand {
		thousand[i] = "1m"
	}
	for _, tc := range []struct {
		name  string
		in    map[string]any
		field string // in the error's text
	}{
		{"rate 0", map[string]any{"maxRequestsPerSecond": 0}, "maxRequestsPerSecond"},
		{"rate -1", map[string]any{"maxRequestsPerSecond": -1}, "maxRequestsPerSecond"},
		{"rate 10^9", map[string]any{"maxRequestsPerSecond": 1_000_000_000}, "maxRequestsPerSecond"},
		{"rate beyond Int", map[string]any{"maxRequestsPerSecond": 10_000_000_000}, "maxRequestsPerSecond"},
		{"concurrency 0", map[string]any{"maxConcurrent": 0}, "maxConcurrent"},
		{"timeout 10^9", map[string]any{"timeoutSeconds": 1_000_000_000}, "timeoutSeconds"},
		{"1,000 retry delays", map[string]any{"retryDelays": thousand}, "retryDelays"},
		{"9999999h", map[string]any{"retryDelays": []string{"9999999h"}}, "retryDelays.0"},
		{"1ns", map[string]any{"retryDelays": []string{"1ns"}}, "retryDelays.0"},
		{"empty delay", map[string]any{"retryDelays": []string{""}}, "retryDelays.0"},
		{"delays that overflow when added", map[string]any{"retryDelays": []string{"2562047h", "2562047h"}}, "retryDelays"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			create := map[string]any{"name": "x", "url": "http://127.0.0.1:1/hook"}
			for k, v := range tc.in {
				create[k] = v
			}
			r := s.Do(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": create})
			if code := r.Code(); r.Status == 500 || (code != "BAD_USER_INPUT" && code != "GRAPHQL_VALIDATION_FAILED") || !strings.Contains(errorsOf(r), tc.field) {
				t.Errorf("create: status %d, errors %s; want a field error naming %s", r.Status, errorsOf(r), tc.field)
			}
			r = s.Do(t, `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { id } }`, map[string]any{"id": wh.ID, "in": tc.in})
			if code := r.Code(); r.Status == 500 || (code != "BAD_USER_INPUT" && code != "GRAPHQL_VALIDATION_FAILED") || !strings.Contains(errorsOf(r), tc.field) {
				t.Errorf("update: status %d, errors %s; want a field error naming %s", r.Status, errorsOf(r), tc.field)
			}
		})
	}
}

// The introspection query of GraphiQL, graphql-js and the code generators
// (graphql-js's getIntrospectionQuery, in testdata) nests 14 levels: it is
// answered, though data may nest only 12; introspection nested deeper than
// 20 levels, or data deeper than 12 beside it, is still refused.
func TestIntrospectionDepth(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	standard, err := os.ReadFile("testdata/introspection_query.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Do(t, string(standard), nil); len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"queryType"`) {
		t.Errorf("the standard introspection query: %+v", r.Errors)
	}
	ofType := func(n int) string {
		return strings.Repeat("ofType { ", n) + "name" + strings.Repeat(" }", n)
	}
	deep := "{ __schema { types { fields { type { " + ofType(17) + " } } } } }" // 21 levels
	if r := s.Do(t, deep, nil); r.Code() != "DEPTH_LIMIT_EXCEEDED" || !strings.Contains(r.Errors[0].Message, "the limit is 20") {
		t.Errorf("introspection 21 levels deep: %+v, want DEPTH_LIMIT_EXCEEDED naming the limit of 20", r.Errors)
	}
	data := `{ __schema { queryType { name } } webhookCalls(first: 1) { edges { node { webhook { folders { files(first: 1) { edges { node { folder { files(first: 1) { edges { node { folder { name } } } } } } } } } } } } } }`
	if r := s.Do(t, data, nil); r.Code() != "DEPTH_LIMIT_EXCEEDED" {
		t.Errorf("data 13 levels deep beside introspection: %+v, want DEPTH_LIMIT_EXCEEDED", r.Errors)
	}
}
