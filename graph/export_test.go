package graph_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

type exportResp struct {
	status  int
	header  http.Header
	trailer http.Header
	body    string
}

func getExport(t *testing.T, s *testenv.Server, token, file string, params url.Values) exportResp {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/exports/"+file+"?"+params.Encode(), nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return exportResp{resp.StatusCode, resp.Header, resp.Trailer, string(b)}
}

// The call log exports as CSV and NDJSON with the filter of webhookCalls,
// to whoever may run that query, bounded by SCOOPA_EXPORT_MAX_ROWS.
func TestExportCalls(t *testing.T) {
	t.Parallel()
	eachBackend(t, map[string]string{"SCOOPA_EXPORT_MAX_ROWS": "2"}, func(t *testing.T, s *testenv.Server) {
		folder := createFolder(t, s, "Inbox")
		rc := testenv.NewReceiver(t)
		hook := createWebhook(t, s, map[string]any{"name": `-Hook, "quoted"`, "url": rc.URL, "folderIDs": []string{folder}, "active": true})
		for _, name := range []string{"other.txt", `=SUM(1),"q".txt`, "plain.txt"} {
			if r := s.Upload(t, folder, name, "text/plain", []byte("x")); len(r.Errors) > 0 {
				t.Fatalf("upload %s: %+v", name, r.Errors)
			}
		}
		testenv.Eventually(t, 30*time.Second, "3 calls succeeded", func() bool { return callCount(t, s, "SUCCEEDED") == 3 })
		var tok struct{ CreateAPIToken struct{ Secret string } }
		s.MustDo(t, `mutation { createApiToken(input: {name: "reader", role: VIEWER}) { secret } }`, nil, &tok)
		viewer := tok.CreateAPIToken.Secret
		filtered := url.Values{"where": {`{"kind": "DELIVERY", "fileNameNEQ": "other.txt"}`}}

		t.Run("csv", func(t *testing.T) {
			r := getExport(t, s, s.Token, "calls.csv", filtered)
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Errorf("Content-Type %q", ct)
			}
			if cd := r.header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename=calls-\d{8}T\d{6}Z\.csv$`).MatchString(cd) {
				t.Errorf("Content-Disposition %q", cd)
			}
			if got := r.trailer.Get("X-Export-Truncated"); got != "false" {
				t.Errorf("X-Export-Truncated %q, want false", got)
			}
			// RFC 4180 quoting, and the formula guard on the name and the file name.
			for _, want := range []string{`"'=SUM(1),""q"".txt"`, `"'-Hook, ""quoted"""`} {
				if !strings.Contains(r.body, want) {
					t.Errorf("CSV lacks %s:\n%s", want, r.body)
				}
			}
			recs, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
			if err != nil {
				t.Fatalf("CSV: %v\n%s", err, r.body)
			}
			want := "id,createdAt,status,kind,origin,webhookId,webhookName,targetURL,fileName,folderName,filter,attemptCount,responseStatus,error,completedAt,test,filters,fetchFirstAt,fetchCount,fetchBytes,fetchLastComplete"
			if len(recs) != 3 || strings.Join(recs[0], ",") != want {
				t.Fatalf("CSV rows %q", recs)
			}
			col := map[string]int{}
			for i, c := range recs[0] {
				col[c] = i
			}
			// Newest first: plain.txt was uploaded last.
			if recs[1][col["fileName"]] != "plain.txt" || recs[2][col["fileName"]] != `'=SUM(1),"q".txt` {
				t.Errorf("file names %q, %q", recs[1][col["fileName"]], recs[2][col["fileName"]])
			}
			for _, rec := range recs[1:] {
				if rec[col["status"]] != "SUCCEEDED" || rec[col["kind"]] != "DELIVERY" || rec[col["folderName"]] != "Inbox" ||
					rec[col["targetURL"]] != rc.URL || rec[col["attemptCount"]] != "1" || rec[col["responseStatus"]] != "200" ||
					rec[col["completedAt"]] == "" || rec[col["origin"]] != "FOLDER" || rec[col["error"]] != "" || rec[col["test"]] != "false" {
					t.Errorf("row %q", rec)
				}
			}
		})

		t.Run("ndjson", func(t *testing.T) {
			r := getExport(t, s, s.Token, "calls.ndjson", filtered)
			if r.status != 200 || r.header.Get("Content-Type") != "application/x-ndjson" ||
				!strings.HasSuffix(r.header.Get("Content-Disposition"), ".ndjson") {
				t.Fatalf("status %d, headers %v: %s", r.status, r.header, r.body)
			}
			var rows []map[string]any
			sc := bufio.NewScanner(strings.NewReader(r.body))
			for sc.Scan() {
				var m map[string]any
				if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
					t.Fatalf("line %q: %v", sc.Text(), err)
				}
				rows = append(rows, m)
			}
			if len(rows) != 2 || rows[0]["fileName"] != "plain.txt" || rows[1]["fileName"] != `=SUM(1),"q".txt` ||
				rows[0]["webhookName"] != `-Hook, "quoted"` || rows[0]["responseStatus"] != float64(200) || rows[0]["status"] != "SUCCEEDED" ||
				rows[0]["test"] != false || rows[1]["test"] != false {
				t.Errorf("rows %v", rows)
			}
			if rows[0]["id"].(float64) <= rows[1]["id"].(float64) {
				t.Errorf("ids %v, %v: want newest first", rows[0]["id"], rows[1]["id"])
			}
		})

		t.Run("bound", func(t *testing.T) {
			// Three calls, two at most: the newest two, said to be cut.
			r := getExport(t, s, s.Token, "calls.ndjson", url.Values{"where": {`{"kind": "DELIVERY"}`}})
			if n := strings.Count(r.body, "\n"); r.status != 200 || n != 2 || r.trailer.Get("X-Export-Truncated") != "true" || r.header.Get("X-Export-Max-Rows") != "2" {
				t.Errorf("status %d, %d rows, truncated %q, max %q", r.status, n, r.trailer.Get("X-Export-Truncated"), r.header.Get("X-Export-Max-Rows"))
			}
			r = getExport(t, s, s.Token, "calls.ndjson", url.Values{"where": {`{"kind": "DELIVERY"}`}, "limit": {"1"}})
			if n := strings.Count(r.body, "\n"); r.status != 200 || n != 1 || !strings.Contains(r.body, `"plain.txt"`) || r.trailer.Get("X-Export-Truncated") != "true" {
				t.Errorf("limit 1: status %d, %d rows, truncated %q: %s", r.status, n, r.trailer.Get("X-Export-Truncated"), r.body)
			}
			if r := getExport(t, s, s.Token, "calls.csv", url.Values{"limit": {"3"}}); r.status != 400 || !strings.Contains(r.body, "limit") {
				t.Errorf("limit above the bound: %d %s", r.status, r.body)
			}
		})

		t.Run("authorisation", func(t *testing.T) {
			r := getExport(t, s, "", "calls.csv", filtered)
			if r.status != 401 || strings.Contains(r.body, "plain.txt") {
				t.Errorf("no token: %d %s", r.status, r.body)
			}
			if r := getExport(t, s, "not-a-token", "calls.csv", filtered); r.status != 401 {
				t.Errorf("bad token: %d %s", r.status, r.body)
			}
			if r := getExport(t, s, viewer, "calls.csv", filtered); r.status != 200 || !strings.Contains(r.body, "plain.txt") {
				t.Errorf("viewer: %d %s", r.status, r.body)
			}
			// As in webhookCalls: URL filters are an admin's.
			byURL := url.Values{"where": {`{"targetURLContains": "127"}`}}
			if r := getExport(t, s, viewer, "calls.csv", byURL); r.status != 403 || !strings.Contains(r.body, "ADMIN") {
				t.Errorf("viewer filtering on URLs: %d %s", r.status, r.body)
			}
			if r := getExport(t, s, s.Token, "calls.csv", byURL); r.status != 200 {
				t.Errorf("admin filtering on URLs: %d %s", r.status, r.body)
			}
			// IDs as GraphQL writes them (strings), as the console sends them.
			byHook := url.Values{"where": {`{"webhookID": "` + hook.ID + `", "idIn": ["1", 2], "not": {"webhookIDIn": ["` + hook.ID + `"]}}`}}
			if r := getExport(t, s, viewer, "calls.ndjson", byHook); r.status != 200 || r.body != "" {
				t.Errorf("IDs as strings: %d %q", r.status, r.body)
			}
			byHook = url.Values{"where": {`{"webhookID": "` + hook.ID + `", "kind": "DELIVERY"}`}}
			if r := getExport(t, s, viewer, "calls.ndjson", byHook); r.status != 200 || strings.Count(r.body, "\n") != 2 {
				t.Errorf("webhookID as a string: %d %q", r.status, r.body)
			}
			// The session cookie of the console, sent from the server's own origin.
			req, _ := http.NewRequest(http.MethodGet, s.URL+"/exports/calls.csv?"+filtered.Encode(), nil)
			req.AddCookie(signIn(t, s, viewer))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !bytes.Contains(b, []byte("plain.txt")) {
				t.Errorf("session cookie: %d %s", resp.StatusCode, b)
			}
			req.Header.Set("Origin", "https://evil.example")
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 403 {
				t.Errorf("session cookie from another origin: %d", resp.StatusCode)
			}
		})

		t.Run("bad where", func(t *testing.T) {
			for _, tc := range []struct{ where, want string }{
				{`{"kind": "DELIVERY"`, "not valid JSON"},
				{`{"stauts": "SUCCEEDED"}`, `unknown field "stauts"`},
				{`{"status": "DONE"}`, "where.status"},
				{`{"or": [{"kindIn": ["NOPE"]}]}`, "where.or[0].kindIn[0]"},
				{`{"attemptCount": "two"}`, `"attemptCount"`},
				{`[1]`, "where"},
			} {
				r := getExport(t, s, s.Token, "calls.csv", url.Values{"where": {tc.where}})
				var e struct{ Error string }
				_ = json.Unmarshal([]byte(r.body), &e)
				if r.status != 400 || !strings.Contains(e.Error, tc.want) {
					t.Errorf("where %s: %d %s, want 400 naming %s", tc.where, r.status, r.body, tc.want)
				}
			}
			if r := getExport(t, s, s.Token, "calls.xlsx", nil); r.status != 404 {
				t.Errorf("calls.xlsx: %d %s", r.status, r.body)
			}
		})
	})
}

// A test delivery (sendTestFile) is marked as one in both formats: the
// test column, after the columns that were there before it, so that they
// keep their place.
func TestExportMarksTestCalls(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1"})
	folder := createFolder(t, s, "Inbox")
	hook := createWebhook(t, s, map[string]any{"name": "hook", "url": "http://127.0.0.1:1/hook", "folderIDs": []string{folder}, "active": true})
	r := s.Upload(t, folder, "clip.mov", "video/quicktime", []byte("x"))
	var up struct{ UploadFile struct{ ID string } }
	if err := json.Unmarshal(r.Data, &up); err != nil || up.UploadFile.ID == "" {
		t.Fatalf("upload: %s %+v", r.Data, r.Errors)
	}
	var sent struct{ SendTestFile struct{ ID string } }
	s.MustDo(t, `mutation($w: ID!, $f: ID!) { sendTestFile(webhookID: $w, fileID: $f) { id } }`, map[string]any{"w": hook.ID, "f": up.UploadFile.ID}, &sent)
	where := url.Values{"where": {`{"kind": "DELIVERY"}`}}

	recs, err := csv.NewReader(strings.NewReader(getExport(t, s, s.Token, "calls.csv", where).body)).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("CSV %q: %v", recs, err)
	}
	if col := recs[0][15]; col != "test" {
		t.Errorf("column 16 %q, want test", col)
	}
	got := map[string]string{}
	for _, rec := range recs[1:] {
		got[rec[0]] = rec[15]
	}
	var rows []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(getExport(t, s, s.Token, "calls.ndjson", where).body), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		rows = append(rows, m)
	}
	if len(rows) != 2 {
		t.Fatalf("NDJSON rows %v", rows)
	}
	for _, m := range rows {
		id := fmtNumber(m["id"])
		isTest := id == sent.SendTestFile.ID
		if m["test"] != isTest {
			t.Errorf("NDJSON call %s: test %v, want %v", id, m["test"], isTest)
		}
		if want := map[bool]string{true: "true", false: "false"}[isTest]; got[id] != want {
			t.Errorf("CSV call %s: test %q, want %q", id, got[id], want)
		}
	}
}

// fmtNumber writes a JSON number as the API writes IDs.
func fmtNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// The export has each call's media filters and its fetches (WebhookCall
// .filters and .fetch, flattened), after the columns that were there
// before, in both formats, on both backends.
func TestExportFetchesAndFilters(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		folder := createFolder(t, s, "Fetched")
		rc := testenv.NewReceiver(t)
		createWebhook(t, s, map[string]any{"name": "media", "url": rc.URL, "folderIDs": []string{folder}, "active": true,
			"contentTypes": []string{"text/*"}, "nameGlob": "*.txt", "minSizeBytes": 1, "maxSizeBytes": 1000})
		content := []byte("the bytes of the fetched file")
		for _, name := range []string{"fetched.txt", "ignored.txt"} {
			if r := s.Upload(t, folder, name, "text/plain", content); len(r.Errors) > 0 {
				t.Fatalf("upload %s: %+v", name, r.Errors)
			}
		}
		testenv.Eventually(t, 30*time.Second, "the deliveries", func() bool { return len(rc.Deliveries()) == 2 })
		for _, d := range rc.Deliveries() {
			if p := d.JSON(t); p["file_name"] == "fetched.txt" {
				resp, err := http.Get(strings.Replace(p["download_url"].(string), "http://localhost:8080", s.URL, 1))
				if err != nil {
					t.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || n != int64(len(content)) {
					t.Fatalf("download: %d, %d bytes", resp.StatusCode, n)
				}
			}
		}
		// The calls as GraphQL shows them, once the fetch is recorded.
		type gqlCall struct {
			ID, FileName string
			Filters      *string
			Fetch        *callFetch
		}
		byName := map[string]gqlCall{}
		testenv.Eventually(t, 20*time.Second, "the fetch recorded", func() bool {
			var out struct {
				WebhookCalls struct{ Edges []struct{ Node gqlCall } }
			}
			s.MustDo(t, `{ webhookCalls(where: {kind: DELIVERY}) { edges { node { id fileName filters fetch { firstAt count bytes lastComplete } } } } }`, nil, &out)
			for _, e := range out.WebhookCalls.Edges {
				byName[e.Node.FileName] = e.Node
			}
			return byName["fetched.txt"].Fetch != nil
		})
		fetched, ignored := byName["fetched.txt"], byName["ignored.txt"]
		if fetched.Filters == nil || ignored.Filters == nil || *fetched.Filters == "" {
			t.Fatalf("calls' filters %v, %v: want the webhook's", fetched.Filters, ignored.Filters)
		}
		if f := fetched.Fetch; f.Count != 1 || f.Bytes != int64(len(content)) || f.LastComplete == nil || !*f.LastComplete || ignored.Fetch != nil {
			t.Fatalf("fetches %+v, %+v", fetched.Fetch, ignored.Fetch)
		}
		firstAt, err := time.Parse(time.RFC3339Nano, fetched.Fetch.FirstAt)
		if err != nil {
			t.Fatal(err)
		}
		where := url.Values{"where": {`{"kind": "DELIVERY"}`}}

		t.Run("csv", func(t *testing.T) {
			recs, err := csv.NewReader(strings.NewReader(getExport(t, s, s.Token, "calls.csv", where).body)).ReadAll()
			if err != nil || len(recs) != 3 {
				t.Fatalf("CSV %q: %v", recs, err)
			}
			if got, want := strings.Join(recs[0][16:], ","), "filters,fetchFirstAt,fetchCount,fetchBytes,fetchLastComplete"; got != want {
				t.Fatalf("columns after test: %s, want %s", got, want)
			}
			for _, rec := range recs[1:] {
				name, cells := rec[8], rec[16:]
				if cells[0] != *fetched.Filters {
					t.Errorf("%s: filters %q, want %q", name, cells[0], *fetched.Filters)
				}
				switch name {
				case "fetched.txt":
					at, err := time.Parse(time.RFC3339Nano, cells[1])
					if err != nil || !at.Equal(firstAt) || cells[2] != "1" || cells[3] != strconv.Itoa(len(content)) || cells[4] != "true" {
						t.Errorf("%s: fetch columns %q, want first at %s, 1, %d, true", name, cells[1:], firstAt, len(content))
					}
				case "ignored.txt":
					if strings.Join(cells[1:], ",") != ",0,0," {
						t.Errorf("%s: fetch columns %q, want none", name, cells[1:])
					}
				default:
					t.Errorf("row of %q", name)
				}
			}
		})

		t.Run("ndjson", func(t *testing.T) {
			var rows []map[string]any
			for line := range strings.Lines(getExport(t, s, s.Token, "calls.ndjson", where).body) {
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatalf("line %q: %v", line, err)
				}
				rows = append(rows, m)
			}
			if len(rows) != 2 {
				t.Fatalf("rows %v", rows)
			}
			for _, m := range rows {
				name := m["fileName"]
				if m["filters"] != *fetched.Filters {
					t.Errorf("%s: filters %v, want %q", name, m["filters"], *fetched.Filters)
				}
				switch name {
				case "fetched.txt":
					first, _ := m["fetchFirstAt"].(string)
					at, err := time.Parse(time.RFC3339Nano, first)
					if err != nil || !at.Equal(firstAt) || m["fetchCount"] != float64(1) || m["fetchBytes"] != float64(len(content)) || m["fetchLastComplete"] != true {
						t.Errorf("%s: %v, want first at %s, 1 fetch, %d bytes, complete", name, m, firstAt, len(content))
					}
				case "ignored.txt":
					if first, ok := m["fetchFirstAt"]; !ok || first != nil || m["fetchCount"] != float64(0) || m["fetchBytes"] != float64(0) {
						t.Errorf("%s: %v, want no fetch", name, m)
					}
					if last, ok := m["fetchLastComplete"]; !ok || last != nil {
						t.Errorf("%s: fetchLastComplete %v (present %v), want null", name, last, ok)
					}
				default:
					t.Errorf("row of %v", name)
				}
			}
		})
	})
}
