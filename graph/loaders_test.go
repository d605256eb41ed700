package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// listPageQueries are the console's list pages, with every per-row field it
// asks for (and the webhook's headers), for a page of $n rows.
var listPageQueries = map[string]string{
	"webhooks": `query($n: Int!) { webhooks(first: $n, orderBy: {field: CREATED_AT, direction: ASC}) { totalCount edges { node {
		id name url active activity inactiveReason allFolders filter validationStatus lastValidatedAt lastValidationError createdAt
		headers { id name value } folders { id name }
		lastCall { id kind status createdAt error }
		callStats24h { pending running retrying succeeded failed canceled }
		recentStats { start succeeded failed retrying latencyP50Ms } } } } }`,
	"webhookCalls": `query($n: Int!) { webhookCalls(first: $n, orderBy: {field: CREATED_AT, direction: DESC}) { totalCount
		pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node {
		id kind status origin filter targetURL webhookName fileName folderName attemptCount nextAttemptAt responseStatus error createdAt completedAt
		webhook { id name } file { id name downloadURL } folder { id name } attempts { id number durationMs } } } } }`,
	"folders": `query($n: Int!) { folders(first: $n, orderBy: {field: NAME, direction: ASC}) { totalCount edges { node {
		id name createdAt webhooks { id name } } } } }`,
	"files": `query($n: Int!) { files(first: $n, orderBy: {field: CREATED_AT, direction: DESC}) { totalCount edges { node {
		id name contentType sizeBytes createdAt downloadURL folder { id name } } } } }`,
}

// maxPageStatements bounds the statements of one list page: the page, its
// count, and one statement per per-row field.
const maxPageStatements = 8

// TestListPagesCostConstantStatements proves the per-row fields of the
// console's list pages load per page, not per row: a page of 100 costs the
// same few statements as a page of 10.
func TestListPagesCostConstantStatements(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s, st := testenv.StartCountingServer(t, kind, map[string]string{"TEST_NO_WORKER": "1"})
			hooks := seedPages(t, s, 100)
			for _, name := range []string{"webhooks", "webhookCalls", "folders", "files"} {
				t.Run(name, func(t *testing.T) {
					small := pageStatements(t, s, st, listPageQueries[name], 10)
					large := pageStatements(t, s, st, listPageQueries[name], 100)
					t.Logf("statements of a page: %d for 10 rows, %d for 100", len(small), len(large))
					if len(large) != len(small) || len(large) > maxPageStatements {
						t.Errorf("a page of 100 costs %d statements, a page of 10 %d; want the same, at most %d. Statements of the page of 100:\n%s",
							len(large), len(small), maxPageStatements, summarize(large))
					}
				})
			}
			checkWebhookPage(t, s, hooks)
		})
	}
}

// pageStatements returns the statements of one page of n rows, and checks
// the page has n rows.
func pageStatements(t *testing.T, s *testenv.Server, st *testenv.Statements, query string, n int) []string {
	t.Helper()
	st.Reset()
	r := s.Do(t, query, map[string]any{"n": n})
	if len(r.Errors) > 0 {
		t.Fatalf("page of %d: %+v", n, r.Errors)
	}
	if !strings.Contains(string(r.Data), `"edges"`) || strings.Count(string(r.Data), `"node"`) != n {
		t.Fatalf("page of %d has %d nodes, want %d", n, strings.Count(string(r.Data), `"node"`), n)
	}
	return st.List()
}

// summarize lists distinct statements (shortened) with their counts.
func summarize(stmts []string) string {
	var order []string
	count := map[string]int{}
	for _, q := range stmts {
		if len(q) > 160 {
			q = q[:100] + " … " + q[len(q)-57:]
		}
		if count[q] == 0 {
			order = append(order, q)
		}
		count[q]++
	}
	var b strings.Builder
	for _, q := range order {
		fmt.Fprintf(&b, "%4d × %s\n", count[q], q)
	}
	return b.String()
}

type seededHook struct {
	id, folder, call string
	index            int
}

// seedPages makes n folders, n active webhooks (each on its own folder and
// a shared one, with two headers whose values end in the webhook's index),
// and one file in each folder: n files, and 2n calls (a validation and a
// delivery per webhook).
func seedPages(t *testing.T, s *testenv.Server, n int) []seededHook {
	t.Helper()
	shared := createFolder(t, s, "shared")
	hooks := make([]seededHook, n)
	for i := range n {
		hooks[i].index = i
		hooks[i].folder = createFolder(t, s, fmt.Sprintf("folder-%03d", i))
		hooks[i].id = createWebhook(t, s, map[string]any{
			"name": fmt.Sprintf("hook-%03d", i), "url": "http://127.0.0.1:1/hook", "active": true,
			"folderIDs": []string{shared, hooks[i].folder},
			"headers": []map[string]any{
				{"name": "X-First", "value": fmt.Sprintf("first-secret-value-%04d", i)},
				{"name": "X-Second", "value": fmt.Sprintf("second-secret-value-%04d", i)},
			},
		}).ID
	}
	// Uploads in parallel, a few at a time: the seed is not what is measured.
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range hooks {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if r := s.Upload(t, hooks[i].folder, fmt.Sprintf("clip-%03d.mov", i), "video/quicktime", []byte("x")); len(r.Errors) > 0 {
				t.Errorf("upload %d: %+v", i, r.Errors)
			}
		}()
	}
	wg.Wait()
	for i := range hooks {
		var out struct {
			WebhookCalls struct {
				Edges []struct{ Node struct{ ID, Kind string } }
			}
		}
		s.MustDo(t, `query($w: ID!) { webhookCalls(first: 1, where: {webhookID: $w}) { edges { node { id kind } } } }`,
			map[string]any{"w": hooks[i].id}, &out)
		if len(out.WebhookCalls.Edges) != 1 || out.WebhookCalls.Edges[0].Node.Kind != "DELIVERY" {
			t.Fatalf("webhook %d: newest call %+v, want its delivery", i, out.WebhookCalls.Edges)
		}
		hooks[i].call = out.WebhookCalls.Edges[0].Node.ID
	}
	return hooks
}

// checkWebhookPage checks that the per-page loads give each webhook its own
// headers, folders, last call and statistics.
func checkWebhookPage(t *testing.T, s *testenv.Server, hooks []seededHook) {
	t.Helper()
	var out struct {
		Webhooks struct {
			Edges []struct {
				Node struct {
					ID       string
					Headers  []struct{ Name, Value string }
					Folders  []struct{ ID string }
					LastCall *struct{ ID, Kind string }
					Stats    map[string]int `json:"callStats24h"`
				}
			}
		}
	}
	r := s.Do(t, listPageQueries["webhooks"], map[string]any{"n": len(hooks)})
	if len(r.Errors) > 0 {
		t.Fatalf("webhooks page: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Webhooks.Edges) != len(hooks) {
		t.Fatalf("webhooks page has %d nodes, want %d", len(out.Webhooks.Edges), len(hooks))
	}
	for i, e := range out.Webhooks.Edges {
		h, n := hooks[i], e.Node
		if n.ID != h.id {
			t.Fatalf("node %d is webhook %s, want %s", i, n.ID, h.id)
		}
		want := fmt.Sprintf("%04d", h.index)
		if len(n.Headers) != 2 || n.Headers[0].Name != "X-First" || n.Headers[1].Name != "X-Second" ||
			!strings.HasSuffix(n.Headers[0].Value, want) || !strings.HasSuffix(n.Headers[1].Value, want) {
			t.Errorf("webhook %d headers = %+v, want X-First and X-Second, in order, masked values ending in %s", i, n.Headers, want)
		}
		if len(n.Folders) != 2 || (n.Folders[0].ID != h.folder && n.Folders[1].ID != h.folder) {
			t.Errorf("webhook %d folders = %+v, want the shared one and %s", i, n.Folders, h.folder)
		}
		if n.LastCall == nil || n.LastCall.ID != h.call {
			t.Errorf("webhook %d lastCall = %+v, want its delivery %s", i, n.LastCall, h.call)
		}
		total := 0
		for _, c := range n.Stats {
			total += c
		}
		if total != 1 {
			t.Errorf("webhook %d callStats24h = %v, want its one delivery", i, n.Stats)
		}
	}
}
