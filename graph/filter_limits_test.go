package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// nestedNot is a filter of n levels: n-1 `not` around a condition.
func nestedNot(n int) string {
	return strings.Repeat(`{"not": `, n-1) + `{"kind": "DELIVERY"}` + strings.Repeat("}", n-1)
}

// nestedAndOr is a filter of n levels alternating and and or, each a list
// of one filter.
func nestedAndOr(n int) string {
	var b strings.Builder
	for i := 1; i < n; i++ {
		b.WriteString(map[bool]string{true: `{"and": [`, false: `{"or": [`}[i%2 == 0])
	}
	b.WriteString(`{"kind": "DELIVERY"}`)
	b.WriteString(strings.Repeat("]}", n-1))
	return b.String()
}

// wideOr is a filter of n substring conditions in one or.
func wideOr(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"fileNameContains": "f%d"}`, i)
	}
	return `{"or": [` + strings.Join(items, ", ") + `]}`
}

const callsWhere = `query($w: WebhookCallWhereInput) { webhookCalls(first: 1, where: $w) { totalCount edges { node { id } } } }`

// postRaw sends a GraphQL request whose variable w is the JSON text where.
func postRaw(t *testing.T, s *testenv.Server, token, query, where string) (*testenv.Response, time.Duration) {
	t.Helper()
	q, _ := json.Marshal(query)
	body := `{"query": ` + string(q) + `, "variables": {"w": ` + where + `}}`
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	took := time.Since(start)
	var out testenv.Response
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	out.Status = resp.StatusCode
	return &out, took
}

// Every filter argument (a …WhereInput) nests at most 32 levels of not,
// and, or and has…With, whether in variables or in the query's text, over
// HTTP and websockets: deeper ones are refused with BAD_USER_INPUT naming
// the limit before any SQL is made of them, cheaply even at 8,000 levels
// (which made PostgreSQL answer "memory exhausted"). Wide filters are
// priced by the cost model and refused above its limit.
func TestFilterLimits(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		viewer := viewerToken(t, s)
		for _, tc := range []struct {
			name, where string
			code, want  string // want: in the message
		}{
			{"32 levels of not", nestedNot(32), "", ""},
			{"32 levels of and and or", nestedAndOr(32), "", ""},
			{"33 levels of not", nestedNot(33), "BAD_USER_INPUT", "the limit is 32 levels"},
			{"33 levels of and and or", nestedAndOr(33), "BAD_USER_INPUT", "the limit is 32 levels"},
			{"33 levels through hasWebhookWith", `{"hasWebhookWith": [` + strings.Replace(nestedNot(32), `{"kind": "DELIVERY"}`, `{"active": true}`, 1) + `]}`,
				"BAD_USER_INPUT", "the limit is 32 levels"},
			{"8000 levels of not", nestedNot(8000), "BAD_USER_INPUT", "the limit is"},
			{"4000 levels of and and or", nestedAndOr(4000), "BAD_USER_INPUT", "the limit is"},
			{"10 substring conditions", wideOr(10), "", ""},
			{"30 substring conditions", wideOr(30), "COMPLEXITY_LIMIT_EXCEEDED", "the limit of 5000"},
			{"1001 conditions", wideOr(1001), "BAD_USER_INPUT", "at most 1000"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r, took := postRaw(t, s, viewer, callsWhere, tc.where)
				if r.Code() != tc.code || (tc.want != "" && !strings.Contains(r.Errors[0].Message, tc.want)) {
					t.Fatalf("status %d, errors %+v; want %q naming %q", r.Status, r.Errors, tc.code, tc.want)
				}
				if r.Status >= 500 || took > 5*time.Second {
					t.Errorf("status %d after %v", r.Status, took)
				}
			})
		}
		// The same in the query's text (the token limit bounds it to a
		// few hundred levels).
		literal := func(n int) string {
			return `{ webhookCalls(first: 1, where: ` + strings.Repeat(`{not: `, n-1) + `{kind: DELIVERY}` + strings.Repeat("}", n-1) + `) { totalCount } }`
		}
		if r := s.DoAs(t, viewer, literal(32), nil); len(r.Errors) > 0 {
			t.Errorf("32 levels in the query: %+v", r.Errors)
		}
		if r := s.DoAs(t, viewer, literal(33), nil); r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "webhookCalls(where)") ||
			!strings.Contains(r.Errors[0].Message, "the limit is 32 levels") {
			t.Errorf("33 levels in the query: %+v", r.Errors)
		}
		// Over a websocket, whose variables do not pass the HTTP body's checks.
		c := dialWS(t, s, viewer)
		var deep map[string]any
		if err := json.Unmarshal([]byte(nestedNot(33)), &deep); err != nil {
			t.Fatal(err)
		}
		if got := c.do("1", callsWhere, map[string]any{"w": deep}); got.code != "BAD_USER_INPUT" {
			t.Errorf("websocket, 33 levels: %+v", got)
		}
	})
}
