package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// callFetch is WebhookCall.fetch as the tests read it.
type callFetch struct {
	FirstAt      string
	Count        int
	Bytes        int64
	LastComplete *bool
}

const callFetchQuery = `query($id: ID!) { node(id: $id) { ... on WebhookCall { status fetch { firstAt count bytes lastComplete } } } }`

// TestFetchTracking: the link a delivery call hands out names the call, and
// the downloads through it are counted against it, on both backends: full,
// again, cut short; a link whose call was changed is refused and counts
// nothing; the validation sample and HEAD count nothing; a partner sees its
// call's fetches, live too; notFetchedFor finds the delivered files nobody
// fetched, in the call log and in exports.
func TestFetchTracking(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			clock := testenv.NewClock(time.Now())
			testFetchTracking(t, testenv.StartServerWith(t, kind, testenv.Options{Clock: clock}), clock)
		})
	}
}

func testFetchTracking(t *testing.T, s *testenv.Server, clock *testenv.Clock) {
	rc := testenv.NewReceiver(t)
	folder := createFolder(t, s, "Fetches")
	wh := createWebhook(t, s, map[string]any{"name": "fetcher", "url": rc.URL, "folderIDs": []string{folder}, "active": true})
	var tok struct{ CreateApiToken struct{ Secret string } }
	s.MustDo(t, `mutation($in: CreateApiTokenInput!) { createApiToken(input: $in) { secret } }`, map[string]any{"in": map[string]any{
		"name": "partner", "role": "PARTNER", "webhookIDs": []string{wh.ID}}}, &tok)
	partner := tok.CreateApiToken.Secret
	live := subscribe(t, s, partner, `subscription($w: ID) { webhookCallUpdated(webhookID: $w) { id status fetch { count } } }`)

	// Large enough that a receiver closing early cannot have had it all.
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<20)
	crowd := []byte("fetched by many at once")
	for name, content := range map[string][]byte{"fetched.bin": big, "ignored.txt": []byte("nobody fetches me"), "crowd.txt": crowd} {
		if r := s.Upload(t, folder, name, "application/octet-stream", content); len(r.Errors) > 0 {
			t.Fatalf("upload %s: %+v", name, r.Errors)
		}
	}
	testenv.Eventually(t, 30*time.Second, "the deliveries", func() bool { return len(rc.Deliveries()) == 3 })
	s.WaitIdle(t)

	// The links the receiver got, by file name, and the calls', by raw ID.
	links := map[string]*url.URL{}
	for _, d := range rc.Deliveries() {
		p := d.JSON(t)
		u, err := url.Parse(strings.Replace(p["download_url"].(string), "http://localhost:8080", s.URL, 1))
		if err != nil {
			t.Fatal(err)
		}
		if u.Query().Get("call") == "" {
			t.Fatalf("delivered link %s names no call", u)
		}
		links[p["file_name"].(string)] = u
	}
	var calls struct {
		WebhookCalls struct {
			Edges []struct {
				Node struct {
					ID, FileName, Status string
					Fetch                *callFetch
				}
			}
		}
	}
	s.MustDo(t, `query($w: ID!) { webhookCalls(where: {kind: DELIVERY, hasWebhookWith: [{id: $w}]}) { edges { node { id fileName status fetch { firstAt count bytes lastComplete } } } } }`,
		map[string]any{"w": wh.ID}, &calls)
	callOf := map[string]string{}
	for _, e := range calls.WebhookCalls.Edges {
		if e.Node.Status != "SUCCEEDED" || e.Node.Fetch != nil {
			t.Fatalf("call of %s: %s, fetch %+v; want SUCCEEDED, not fetched", e.Node.FileName, e.Node.Status, e.Node.Fetch)
		}
		callOf[e.Node.FileName] = e.Node.ID
	}
	fetchOf := func(token, file string) (string, *callFetch) {
		t.Helper()
		var out struct {
			Node struct {
				Status string
				Fetch  *callFetch
			}
		}
		r := s.DoAs(t, token, callFetchQuery, map[string]any{"id": callOf[file]})
		if len(r.Errors) > 0 || json.Unmarshal(r.Data, &out) != nil {
			t.Fatalf("fetch of %s: %+v", file, r.Errors)
		}
		return out.Node.Status, out.Node.Fetch
	}
	waitCount := func(file string, n int) *callFetch {
		t.Helper()
		var f *callFetch
		testenv.Eventually(t, 20*time.Second, file+" fetched "+strconv.Itoa(n)+" times", func() bool {
			_, f = fetchOf(s.Token, file)
			return f != nil && f.Count >= n
		})
		if f.Count != n {
			t.Fatalf("%s fetched %d times, want %d", file, f.Count, n)
		}
		return f
	}
	// One connection at a time: each request is read once the handler of
	// the one before has returned, its fetch recorded.
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	get := func(method string, u *url.URL) (int, int) {
		t.Helper()
		req, _ := http.NewRequest(method, u.String(), nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		n, _ := io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, int(n)
	}

	link := links["fetched.bin"]
	if st, n := get(http.MethodGet, link); st != 200 || n != len(big) {
		t.Fatalf("GET: %d, %d bytes; want 200, %d", st, n, len(big))
	}
	first := waitCount("fetched.bin", 1)
	if first.Bytes != int64(len(big)) || first.LastComplete == nil || !*first.LastComplete || first.FirstAt == "" {
		t.Errorf("after one download: %+v; want %d bytes, complete", first, len(big))
	}
	for ev := range live {
		var e struct {
			WebhookCallUpdated struct {
				ID    string
				Fetch *struct{ Count int }
			}
		}
		if json.Unmarshal(ev, &e) == nil && e.WebhookCallUpdated.ID == callOf["fetched.bin"] && e.WebhookCallUpdated.Fetch != nil {
			if e.WebhookCallUpdated.Fetch.Count != 1 {
				t.Errorf("live event: fetch count %d, want 1", e.WebhookCallUpdated.Fetch.Count)
			}
			break
		}
	}

	clock.Advance(time.Minute)
	if st, _ := get(http.MethodGet, link); st != 200 {
		t.Fatalf("second GET: %d", st)
	}
	second := waitCount("fetched.bin", 2)
	if second.Bytes != 2*int64(len(big)) || second.FirstAt != first.FirstAt || second.LastComplete == nil || !*second.LastComplete {
		t.Errorf("after two downloads: %+v; want %d bytes, first at %s, complete", second, 2*len(big), first.FirstAt)
	}

	// A receiver that reads a little and hangs up.
	resp, err := http.Get(link.String())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := resp.Body.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cut := waitCount("fetched.bin", 3)
	if cut.LastComplete == nil || *cut.LastComplete || cut.Bytes >= 3*int64(len(big)) || cut.Bytes < 2*int64(len(big)) {
		t.Errorf("after a download cut short: %+v; want incomplete, %d to %d bytes", cut, 2*len(big), 3*len(big))
	}

	// The call changed (to the other call's), or taken off: refused, and
	// counted against neither. HEAD, and the validation sample, count
	// nothing.
	other := links["ignored.txt"].Query().Get("call")
	for name, change := range map[string]func(q url.Values){
		"other call":     func(q url.Values) { q.Set("call", other) },
		"call taken off": func(q url.Values) { q.Del("call") },
	} {
		bad := *link
		q := bad.Query()
		change(q)
		bad.RawQuery = q.Encode()
		if st, _ := get(http.MethodGet, &bad); st != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, st)
		}
	}
	if st, _ := get(http.MethodHead, link); st != 200 {
		t.Errorf("HEAD: %d, want 200", st)
	}
	vs := rc.Validations()
	if len(vs) == 0 {
		t.Fatal("no validation received")
	}
	sample, err := url.Parse(strings.Replace(vs[0].JSON(t)["download_url"].(string), "http://localhost:8080", s.URL, 1))
	if err != nil || sample.Query().Has("call") {
		t.Fatalf("validation sample link %v (%v): want no call", sample, err)
	}
	if st, _ := get(http.MethodGet, sample); st != 200 {
		t.Errorf("validation sample: %d, want 200", st)
	}
	// A last request on the same connection: the ones before were recorded.
	get(http.MethodHead, link)
	if _, f := fetchOf(s.Token, "fetched.bin"); f == nil || f.Count != 3 || f.Bytes != cut.Bytes {
		t.Errorf("after refused links and a HEAD: %+v, want still 3 fetches, %d bytes", f, cut.Bytes)
	}
	if _, f := fetchOf(s.Token, "ignored.txt"); f != nil {
		t.Errorf("the other call: fetch %+v, want none", f)
	}
	var vcalls struct {
		WebhookCalls struct {
			Edges []struct{ Node struct{ Fetch *callFetch } }
		}
	}
	s.MustDo(t, `{ webhookCalls(where: {kind: VALIDATION}) { edges { node { fetch { count } } } } }`, nil, &vcalls)
	for _, e := range vcalls.WebhookCalls.Edges {
		if e.Node.Fetch != nil {
			t.Errorf("validation call fetched %+v, want not counted", e.Node.Fetch)
		}
	}

	// The partner sees its call's fetches.
	if _, f := fetchOf(partner, "fetched.bin"); f == nil || f.Count != 3 || f.Bytes != cut.Bytes {
		t.Errorf("partner: fetch %+v, want 3 fetches, %d bytes", f, cut.Bytes)
	}

	// Fetches at the same moment each count (one UPDATE each).
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(links["crowd.txt"].String())
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	wg.Wait()
	if f := waitCount("crowd.txt", 8); f.Bytes != 8*int64(len(crowd)) || f.LastComplete == nil || !*f.LastComplete {
		t.Errorf("after 8 downloads at once: %+v, want %d bytes, complete", f, 8*len(crowd))
	}

	// Delivery health: of the three files delivered, two were fetched.
	for _, token := range []string{s.Token, partner} {
		var st struct {
			WebhookStats struct {
				Fetches struct {
					Delivered, Fetched int
					Rate               *float64
				}
			}
		}
		r := s.DoAs(t, token, `query($w: ID!, $from: Time!, $to: Time!) { webhookStats(id: $w, from: $from, to: $to, bucket: "DAY") { fetches { delivered fetched rate } } }`,
			map[string]any{"w": wh.ID, "from": time.Now().Add(-24 * time.Hour), "to": time.Now().Add(24 * time.Hour)})
		if len(r.Errors) > 0 || json.Unmarshal(r.Data, &st) != nil {
			t.Fatalf("webhookStats: %+v", r.Errors)
		}
		if f := st.WebhookStats.Fetches; f.Delivered != 3 || f.Fetched != 2 || f.Rate == nil || *f.Rate != 2.0/3 {
			t.Errorf("webhookStats fetches = %+v, want 3 delivered, 2 fetched, rate 2/3", f)
		}
	}

	// Delivered but not fetched: an hour after delivery, the ignored file.
	clock.Advance(2 * time.Hour)
	notFetched := func(token string, where map[string]any) []string {
		t.Helper()
		var out struct {
			WebhookCalls struct {
				Edges []struct{ Node struct{ FileName string } }
			}
		}
		r := s.DoAs(t, token, `query($w: WebhookCallWhereInput) { webhookCalls(where: $w) { edges { node { fileName } } } }`, map[string]any{"w": where})
		if len(r.Errors) > 0 || json.Unmarshal(r.Data, &out) != nil {
			t.Fatalf("webhookCalls(%v): %+v", where, r.Errors)
		}
		var names []string
		for _, e := range out.WebhookCalls.Edges {
			names = append(names, e.Node.FileName)
		}
		slices.Sort(names)
		return names
	}
	for _, tc := range []struct {
		where map[string]any
		want  string
	}{
		{map[string]any{"notFetchedFor": "1h"}, "ignored.txt"},
		{map[string]any{"notFetchedFor": "3h"}, ""},
		{map[string]any{"and": []any{map[string]any{"notFetchedFor": "90m"}}}, "ignored.txt"},
		{map[string]any{"not": map[string]any{"notFetchedFor": "1h"}, "kind": "DELIVERY"}, "crowd.txt,fetched.bin"},
	} {
		for _, token := range []string{s.Token, partner} {
			if got := strings.Join(notFetched(token, tc.where), ","); got != tc.want {
				t.Errorf("webhookCalls(where: %v) = %q, want %q", tc.where, got, tc.want)
			}
		}
		raw, _ := json.Marshal(tc.where)
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/exports/calls.ndjson?"+url.Values{"where": {string(raw)}}.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+s.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var names []string
		for line := range strings.Lines(string(body)) {
			var row struct {
				FileName string `json:"fileName"`
			}
			if json.Unmarshal([]byte(line), &row) == nil {
				names = append(names, row.FileName)
			}
		}
		slices.Sort(names)
		if resp.StatusCode != 200 || strings.Join(names, ",") != tc.want {
			t.Errorf("export where %s: %d %q, want %q", raw, resp.StatusCode, names, tc.want)
		}
	}
	r := s.Do(t, `{ webhookCalls(where: {notFetchedFor: "5s"}) { totalCount } }`, nil)
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "notFetchedFor") {
		t.Errorf("notFetchedFor 5s: %+v, want an error naming notFetchedFor", r.Errors)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/exports/calls.ndjson?"+url.Values{"where": {`{"notFetchedFor": 24}`}}.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("export notFetchedFor 24: %v %v, want 400", resp, err)
	} else {
		resp.Body.Close()
	}
}

// TestFetchBeforeAnswer: a receiver that downloads the file before it
// answers 200 has its fetch in the event that ends the attempt, on both
// backends: that event does not take the call back to "not fetched".
func TestFetchBeforeAnswer(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, nil)
			live := subscribe(t, s, s.Token, `subscription { webhookCallUpdated { id kind status fetch { count } } }`)
			// One connection: the HEAD after the GET is read once the GET's
			// handler has returned, its fetch recorded; then the answer.
			client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
			var mu sync.Mutex
			var fetchErr error
			rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var p struct {
					Origin      string `json:"origin"`
					DownloadURL string `json:"download_url"`
				}
				if err := json.NewDecoder(r.Body).Decode(&p); err == nil && p.DownloadURL != "" && !strings.Contains(p.Origin, "validation") {
					link := strings.Replace(p.DownloadURL, "http://localhost:8080", s.URL, 1)
					for _, method := range []string{http.MethodGet, http.MethodHead} {
						req, _ := http.NewRequest(method, link, nil)
						resp, err := client.Do(req)
						if err == nil {
							_, err = io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							if resp.StatusCode != http.StatusOK {
								err = fmt.Errorf("%s %s: %d", method, link, resp.StatusCode)
							}
						}
						if err != nil {
							mu.Lock()
							fetchErr = err
							mu.Unlock()
						}
					}
				}
				w.WriteHeader(http.StatusOK)
			}))
			t.Cleanup(rc.Close)
			folder := createFolder(t, s, "Fetched first")
			createWebhook(t, s, map[string]any{"name": "fetches first", "url": rc.URL, "folderIDs": []string{folder}, "active": true})
			if r := s.Upload(t, folder, "clip.mov", "video/quicktime", []byte("fetched before the answer")); len(r.Errors) > 0 {
				t.Fatal(r.Errors)
			}
			timeout := time.After(30 * time.Second)
			for {
				var ev json.RawMessage
				select {
				case ev = <-live:
				case <-timeout:
					t.Fatal("no event of the call SUCCEEDED")
				}
				var e struct {
					WebhookCallUpdated struct {
						ID, Kind, Status string
						Fetch            *struct{ Count int }
					}
				}
				if json.Unmarshal(ev, &e) != nil || e.WebhookCallUpdated.Kind != "DELIVERY" || e.WebhookCallUpdated.Status != "SUCCEEDED" {
					continue
				}
				mu.Lock()
				err := fetchErr
				mu.Unlock()
				if err != nil {
					t.Fatalf("the receiver's download: %v", err)
				}
				if f := e.WebhookCallUpdated.Fetch; f == nil || f.Count < 1 {
					t.Errorf("the event of the call SUCCEEDED: fetch %+v, want at least 1 fetch", f)
				}
				return
			}
		})
	}
}

// In redirect mode the fetch is counted at the redirect: no bytes (the
// bucket serves them) and no completeness.
func TestFetchRedirected(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s3 := testenv.StartS3(t)
			env := s3.Vars()
			env["SCOOPA_DOWNLOAD_MODE"] = "redirect"
			s := testenv.StartServer(t, kind, env)
			rc := testenv.NewReceiver(t)
			folder := createFolder(t, s, "Redirected")
			wh := createWebhook(t, s, map[string]any{"name": "redirected", "url": rc.URL, "folderIDs": []string{folder}, "active": true})
			if r := s.Upload(t, folder, "clip.mp4", "video/mp4", []byte("redirected bytes")); len(r.Errors) > 0 {
				t.Fatal(r.Errors)
			}
			testenv.Eventually(t, 30*time.Second, "the delivery", func() bool { return len(rc.Deliveries()) == 1 })
			link := strings.Replace(rc.Deliveries()[0].JSON(t)["download_url"].(string), "http://localhost:8080", s.URL, 1)
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Get(link)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("GET delivered link: %d, want 302", resp.StatusCode)
			}
			var out struct {
				WebhookCalls struct {
					Edges []struct{ Node struct{ Fetch *callFetch } }
				}
			}
			testenv.Eventually(t, 20*time.Second, "the fetch recorded", func() bool {
				s.MustDo(t, `query($w: ID!) { webhookCalls(where: {kind: DELIVERY, hasWebhookWith: [{id: $w}]}) { edges { node { fetch { firstAt count bytes lastComplete } } } } }`,
					map[string]any{"w": wh.ID}, &out)
				return len(out.WebhookCalls.Edges) == 1 && out.WebhookCalls.Edges[0].Node.Fetch != nil
			})
			if f := out.WebhookCalls.Edges[0].Node.Fetch; f.Count != 1 || f.Bytes != 0 || f.LastComplete != nil {
				t.Errorf("redirected fetch: %+v, want 1 fetch, 0 bytes, completeness null", f)
			}
		})
	}
}
