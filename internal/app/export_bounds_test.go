package app_test

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scoopa/webhooks/ent/apitoken"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/testenv"
)

type exportResult struct {
	status          int
	body            string
	rows            int
	truncated, stop string
	took            time.Duration
}

func export(t *testing.T, base, token, file string, params url.Values) exportResult {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/exports/"+file+"?"+params.Encode(), nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := exportResult{status: resp.StatusCode, body: string(b), took: time.Since(start),
		truncated: resp.Trailer.Get("X-Export-Truncated"), stop: resp.Trailer.Get("X-Export-Stopped")}
	for sc := bufio.NewScanner(strings.NewReader(r.body)); sc.Scan(); {
		r.rows++
	}
	return r
}

func nestedNot(n int) string {
	return strings.Repeat(`{"not": `, n-1) + `{"kind": "DELIVERY"}` + strings.Repeat("}", n-1)
}

func wideOr(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"fileNameContains": "f%d"}`, i)
	}
	return `{"or": [` + strings.Join(items, ", ") + `]}`
}

// The export's filter passes the limits of /graphql's filters: too deep
// (even 8,000 levels, answered at once) or too costly, it is refused with
// 400 naming the limit, before any SQL is made of it.
func TestExportFilterLimits(t *testing.T) {
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, nil)
			var tok struct{ CreateAPIToken struct{ Secret string } }
			s.MustDo(t, `mutation { createApiToken(input: {name: "reader", role: VIEWER}) { secret } }`, nil, &tok)
			viewer := tok.CreateAPIToken.Secret
			for _, tc := range []struct {
				name, where string
				status      int
				want        string
			}{
				{"32 levels", nestedNot(32), 200, ""},
				{"33 levels", nestedNot(33), 400, "the limit is 32 levels"},
				{"8000 levels", nestedNot(8000), 400, "the limit is 32 levels"},
				{"20 substring conditions", wideOr(20), 200, ""},
				{"30 substring conditions", wideOr(30), 400, "the limit is 5000"},
				{"1001 conditions", wideOr(1001), 400, "the limit is 1000 items"},
				{"5001 conditions (the attack's)", wideOr(5001), 400, "the limit is 1000 items"},
				{"70,000 bytes", `{"fileNameContains": "` + strings.Repeat("x", 70_000) + `"}`, 400, "the limit is 65536 bytes"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					for _, file := range []string{"calls.ndjson", "calls.csv"} {
						r := export(t, s.URL, viewer, file, url.Values{"where": {tc.where}})
						if r.status != tc.status || !strings.Contains(r.body, tc.want) {
							t.Errorf("%s: status %d: %.300s; want %d naming %q", file, r.status, r.body, tc.status, tc.want)
						}
						if r.took > 5*time.Second {
							t.Errorf("%s: answered after %v", file, r.took)
						}
					}
				})
			}
		})
	}
}

// scriptedLimiter answers each Allow with the next of its waits (0: allowed);
// past the script it allows.
type scriptedLimiter struct {
	mu    sync.Mutex
	waits []time.Duration
	keys  []string
}

func (l *scriptedLimiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, key)
	if len(l.waits) == 0 {
		return true, 0
	}
	w := l.waits[0]
	l.waits = l.waits[1:]
	return w == 0, w
}

// One export is bounded as a whole: each page after the first counts
// against the token's rate limit (waiting for it while the export's time
// allows, stopping otherwise), and the export stops at its time limit;
// either way the rows sent end cleanly, the trailers saying that rows were
// left out and which bound stopped them. An export that cannot read its
// first page in time gets 503 naming SCOOPA_EXPORT_TIMEOUT.
func TestExportBounds(t *testing.T) {
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, nil)
			var folder struct{ CreateFolder struct{ ID string } }
			s.MustDo(t, `mutation { createFolder(input: {name: "Inbox"}) { id } }`, nil, &folder)
			rc := testenv.NewReceiver(t)
			s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`,
				map[string]any{"in": map[string]any{"name": "hook", "url": rc.URL, "folderIDs": []string{folder.CreateFolder.ID}, "active": true}}, nil)
			for i := range 5 {
				if r := s.Upload(t, folder.CreateFolder.ID, fmt.Sprintf("f%d.txt", i), "text/plain", []byte("x")); len(r.Errors) > 0 {
					t.Fatalf("upload: %+v", r.Errors)
				}
			}
			svc := s.Service()
			svc.Calls().SetExportPage(2)
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			serve := func(timeout time.Duration, limiter *scriptedLimiter) string {
				mux := http.NewServeMux()
				h := app.ExportHandler(svc, 1000, timeout, limiter, log)
				mux.Handle("/exports/{file}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					ctx := auth.WithPrincipal(r.Context(), &auth.Principal{Role: apitoken.RoleVIEWER, TokenName: "reader", TokenID: 7})
					h.ServeHTTP(w, r.WithContext(ctx))
				}))
				srv := httptest.NewServer(mux)
				t.Cleanup(srv.Close)
				return srv.URL
			}
			deliveries := url.Values{"where": {`{"kind": "DELIVERY"}`}}

			// Allowed throughout: 5 calls in pages of 2, pages 2 and 3
			// counted against token 7.
			all := &scriptedLimiter{}
			r := export(t, serve(time.Minute, all), "", "calls.ndjson", deliveries)
			if r.status != 200 || r.rows != 5 || r.truncated != "false" || r.stop != "" {
				t.Fatalf("allowed: status %d, %d rows, truncated %q, stopped %q: %s", r.status, r.rows, r.truncated, r.stop, r.body)
			}
			if fmt.Sprint(all.keys) != "[7 7]" {
				t.Errorf("rate limit asked for %v; want token 7 for each page after the first", all.keys)
			}

			// A short wait for the rate limit: the export waits, and ends.
			paced := &scriptedLimiter{waits: []time.Duration{20 * time.Millisecond}}
			if r := export(t, serve(time.Minute, paced), "", "calls.ndjson", deliveries); r.rows != 5 || r.truncated != "false" {
				t.Errorf("paced: %d rows, truncated %q, stopped %q", r.rows, r.truncated, r.stop)
			}

			// A wait beyond the export's time: it stops after its first page.
			held := &scriptedLimiter{waits: []time.Duration{time.Hour}}
			r = export(t, serve(time.Minute, held), "", "calls.csv", deliveries)
			if r.status != 200 || r.rows != 1+2 || r.truncated != "true" || !strings.Contains(r.stop, "SCOOPA_RATE_LIMIT") {
				t.Errorf("held by the rate limit: status %d, %d lines, truncated %q, stopped %q", r.status, r.rows, r.truncated, r.stop)
			}
			if r.took > 5*time.Second {
				t.Errorf("held by the rate limit: answered after %v", r.took)
			}

			// The time limit, reached while waiting for the rate limit.
			slow := &scriptedLimiter{waits: []time.Duration{150 * time.Millisecond, 0, 150 * time.Millisecond, 0, 150 * time.Millisecond}}
			r = export(t, serve(200*time.Millisecond, slow), "", "calls.ndjson", deliveries)
			if r.status != 200 || r.rows < 2 || r.rows >= 5 || r.truncated != "true" || !strings.Contains(r.stop, "SCOOPA_EXPORT_TIMEOUT") {
				t.Errorf("time limit: status %d, %d rows, truncated %q, stopped %q", r.status, r.rows, r.truncated, r.stop)
			}

			// No time to read even the first page.
			r = export(t, serve(time.Nanosecond, &scriptedLimiter{}), "", "calls.ndjson", deliveries)
			if r.status != 503 || !strings.Contains(r.body, "SCOOPA_EXPORT_TIMEOUT") {
				t.Errorf("no time: status %d: %s", r.status, r.body)
			}
		})
	}
}
