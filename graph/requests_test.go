package graph_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/scoopa/webhooks/internal/testenv"
)

// heldBody is a request body that sends head, then holds the rest back
// until release is closed (or a minute has passed), then sends tail. It
// shows whether the server answers before it has read the whole body.
type heldBody struct {
	pr      *io.PipeReader
	release chan struct{}
	sent    atomic.Int64
}

func newHeldBody(head, tail []byte) *heldBody {
	pr, pw := io.Pipe()
	h := &heldBody{pr: pr, release: make(chan struct{})}
	go func() {
		if _, err := pw.Write(head); err != nil {
			return
		}
		select {
		case <-h.release:
		case <-time.After(time.Minute):
		}
		if tail == nil {
			pw.CloseWithError(errors.New("body held back"))
			return
		}
		_, _ = pw.Write(tail)
		pw.Close()
	}()
	return h
}

func (h *heldBody) Read(p []byte) (int, error) {
	n, err := h.pr.Read(p)
	h.sent.Add(int64(n))
	return n, err
}

// Release lets the rest of the body go (once).
func (h *heldBody) Release() {
	select {
	case <-h.release:
	default:
		close(h.release)
	}
}

// answerBeforeRelease sends req and returns its response, failing the test
// if the server does not answer while the body is still held back.
func answerBeforeRelease(t *testing.T, req *http.Request, body *heldBody) (int, testenv.Response) {
	t.Helper()
	defer body.Release()
	type result struct {
		resp *http.Response
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		got <- result{resp, err}
	}()
	select {
	case r := <-got:
		if r.err != nil {
			t.Fatalf("request: %v", r.err)
		}
		defer r.resp.Body.Close()
		b, _ := io.ReadAll(r.resp.Body)
		var out testenv.Response
		_ = json.Unmarshal(b, &out)
		return r.resp.StatusCode, out
	case <-time.After(20 * time.Second):
		t.Fatalf("no answer while the body was held back (%d bytes sent): the server waits for all of it", body.sent.Load())
	}
	return 0, testenv.Response{}
}

// multipartHead is an uploadFile request up to the file's first bytes.
func multipartHead(folderID string) (head []byte, boundary string) {
	boundary = "scoopa-test-boundary"
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f: ID!, $file: Upload!) { uploadFile(folderID: $f, file: $file) { id sizeBytes sha256 } }`,
		"variables": map[string]any{"f": folderID, "file": nil},
	})
	var b bytes.Buffer
	fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n%s\r\n", boundary, ops)
	fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{\"0\": [\"variables.file\"]}\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"0\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n", boundary)
	return b.Bytes(), boundary
}

func postGraphQL(s *testenv.Server, token, contentType string, body io.Reader) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", body)
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// tempFiles lists the files under the server's temporary upload folder,
// named or not, by a path that os.Stat takes.
func tempFiles(t *testing.T, s *testenv.Server) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	tmp := filepath.Join(s.Env["SCOOPA_DATA_DIR"], "tmp")
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !e.IsDir() {
			out[filepath.Join(tmp, e.Name())] = info.Size()
		}
	}
	// On Linux a spool has no name in the directory (O_TMPFILE): the
	// server (in this process) holds it open, and /proc/self/fd shows it
	// as "<tmp>/#<inode> (deleted)".
	fds, _ := os.ReadDir("/proc/self/fd")
	for _, fd := range fds {
		path := filepath.Join("/proc/self/fd", fd.Name())
		target, err := os.Readlink(path)
		if err != nil || !strings.HasPrefix(target, tmp+"/#") || !strings.HasSuffix(target, " (deleted)") {
			continue
		}
		if info, err := os.Stat(path); err == nil {
			out[path] = info.Size()
		}
	}
	return out
}

// A huge JSON body or a viewer's upload is refused before it is read, and
// an upload goes to a temporary file as it arrives, never to memory.
func TestRequestBodiesAreBounded(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	viewer := viewerToken(t, s)
	folder := createFolder(t, s, "b")
	mib := bytes.Repeat([]byte("x"), 1<<20)

	t.Run("declared huge JSON body", func(t *testing.T) {
		body := newHeldBody([]byte(`{"query":"`), nil)
		req := postGraphQL(s, viewer, "application/json", body)
		req.ContentLength = 400 << 20
		status, r := answerBeforeRelease(t, req, body)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(r.Errors[0].Message, "1048576 bytes") {
			t.Errorf("got %d %+v, want 413 naming the limit of 1048576 bytes", status, r.Errors)
		}
	})
	t.Run("chunked huge JSON body", func(t *testing.T) {
		body := newHeldBody(append([]byte(`{"query":"`), bytes.Repeat(mib, 2)...), nil)
		status, r := answerBeforeRelease(t, postGraphQL(s, viewer, "application/json", body), body)
		if status != http.StatusRequestEntityTooLarge || len(r.Errors) == 0 {
			t.Errorf("got %d %+v, want 413", status, r.Errors)
		}
	})
	t.Run("viewer's chunked upload", func(t *testing.T) {
		head, boundary := multipartHead(folder)
		body := newHeldBody(append(head, mib...), nil)
		status, r := answerBeforeRelease(t, postGraphQL(s, viewer, "multipart/form-data; boundary="+boundary, body), body)
		if r.Code() != "FORBIDDEN" {
			t.Errorf("got %d %+v, want FORBIDDEN", status, r.Errors)
		}
	})
	t.Run("upload too large is cut off", func(t *testing.T) {
		s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_MAX_UPLOAD_BYTES": strconv.Itoa(1 << 20)})
		folder := createFolder(t, s, "c")
		head, boundary := multipartHead(folder)
		body := newHeldBody(append(head, bytes.Repeat(mib, 2)...), nil)
		_, r := answerBeforeRelease(t, postGraphQL(s, s.Token, "multipart/form-data; boundary="+boundary, body), body)
		if r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "larger than the limit of 1048576 bytes") {
			t.Errorf("got %+v, want BAD_USER_INPUT naming the limit", r.Errors)
		}
		testenv.Eventually(t, 10*time.Second, "temporary files removed", func() bool { return len(tempFiles(t, s)) == 0 })
	})
	t.Run("files of one request share the limit", func(t *testing.T) {
		s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_MAX_UPLOAD_BYTES": strconv.Itoa(1 << 20)})
		folder := createFolder(t, s, "d")
		const boundary = "scoopa-two-files"
		ops, _ := json.Marshal(map[string]any{
			"query":     `mutation($f: ID!, $a: Upload!, $b: Upload!) { a: uploadFile(folderID: $f, file: $a) { id } b: uploadFile(folderID: $f, file: $b) { id } }`,
			"variables": map[string]any{"f": folder, "a": nil, "b": nil},
		})
		var b bytes.Buffer
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n%s\r\n", boundary, ops)
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{\"0\": [\"variables.a\"], \"1\": [\"variables.b\"]}\r\n", boundary)
		for i := range 2 {
			fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"%d\"; filename=\"f%d.bin\"\r\n\r\n%s\r\n", boundary, i, i, bytes.Repeat([]byte("y"), 600<<10))
		}
		fmt.Fprintf(&b, "--%s--\r\n", boundary)
		resp, err := http.DefaultClient.Do(postGraphQL(s, s.Token, "multipart/form-data; boundary="+boundary, &b))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		r := &testenv.Response{Status: resp.StatusCode}
		_ = json.NewDecoder(resp.Body).Decode(r)
		if r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "larger than the limit of 1048576 bytes") {
			t.Errorf("two files of 600 KiB under a limit of 1 MiB: %d %+v %s", r.Status, r.Errors, r.Data)
		}
	})
	t.Run("upload streams to a temporary file", func(t *testing.T) {
		head, boundary := multipartHead(folder)
		tail := []byte("\r\n--" + boundary + "--\r\n")
		content := bytes.Repeat(mib, 4)
		body := newHeldBody(append(head, content[:3<<20]...), append(append([]byte{}, content[3<<20:]...), tail...))
		defer body.Release()
		got := make(chan *testenv.Response, 1)
		go func() {
			resp, err := http.DefaultClient.Do(postGraphQL(s, s.Token, "multipart/form-data; boundary="+boundary, body))
			if err != nil {
				got <- &testenv.Response{Status: -1}
				return
			}
			defer resp.Body.Close()
			var r testenv.Response
			_ = json.NewDecoder(resp.Body).Decode(&r)
			r.Status = resp.StatusCode
			got <- &r
		}()
		// While the last MiB is held back, the first ones are on disk.
		testenv.Eventually(t, 20*time.Second, "the received bytes in a temporary file", func() bool {
			for _, size := range tempFiles(t, s) {
				if size >= 2<<20 {
					return true
				}
			}
			return false
		})
		body.Release()
		r := <-got
		var out struct {
			UploadFile struct {
				SizeBytes int64 `json:"sizeBytes"`
				Sha256    string
			}
		}
		_ = json.Unmarshal(r.Data, &out)
		sum := sha256.Sum256(content)
		if len(r.Errors) > 0 || out.UploadFile.SizeBytes != 4<<20 || out.UploadFile.Sha256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("upload: %d %+v %s", r.Status, r.Errors, r.Data)
		}
		testenv.Eventually(t, 10*time.Second, "temporary files removed", func() bool { return len(tempFiles(t, s)) == 0 })
	})
}

// Malformed requests get 400 (or BAD_USER_INPUT) with the reason, and the
// server logs no error: internal errors are for bugs.
func TestMalformedRequests(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1"})
	many := make([]string, 70000)
	for i := range many {
		many[i] = fmt.Sprint("f", i)
	}
	manyVars, _ := json.Marshal(map[string]any{"query": `query($n: [String!]) { files(where: {nameIn: $n}) { totalCount } }`, "variables": map[string]any{"n": many}})
	literal := `{ files(where: {nameIn: [` + strings.Repeat(`"a",`, 1001) + `]}) { totalCount } }`
	literalBody, _ := json.Marshal(map[string]any{"query": literal})
	for _, tc := range []struct {
		name, body string
		wantStatus int
		wantCode   string
		wantMsg    string
	}{
		{"not JSON", `{bad json`, 400, "BAD_REQUEST", "not valid JSON"},
		{"JSON array", `[{"query":"{ viewer { role } }"}]`, 400, "BAD_REQUEST", "JSON object"},
		{"query not a string", `{"query":1}`, 400, "BAD_REQUEST", "query must be a string"},
		{"variables not an object", `{"query":"{ viewer { role } }","variables":[1]}`, 400, "BAD_REQUEST", "variables must be an object"},
		{"NUL in a filter", `{"query":"query($s: String) { webhookCalls(where: {fileNameContains: $s}) { totalCount } }","variables":{"s":"a\u0000b"}}`, 200, "BAD_USER_INPUT", "NUL"},
		{"70,000 names", string(manyVars), 400, "BAD_USER_INPUT", "at most 1000"},
		// Written in the query, the list meets the token limit first.
		{"1,001 names written in the query", string(literalBody), 200, "BAD_USER_INPUT", "the limit is 1000 tokens"},
		{"NUL written in the query", `{"query":"{ files(where: {nameContains: \"a\\u0000b\"}) { totalCount } }"}`, 200, "BAD_USER_INPUT", "NUL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.DefaultClient.Do(postGraphQL(s, s.Token, "application/json", strings.NewReader(tc.body)))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var r testenv.Response
			b, _ := io.ReadAll(resp.Body)
			_ = json.Unmarshal(b, &r)
			if resp.StatusCode != tc.wantStatus || r.Code() != tc.wantCode || !strings.Contains(r.Errors[0].Message, tc.wantMsg) {
				t.Errorf("got %d %s, want %d %s with %q", resp.StatusCode, b, tc.wantStatus, tc.wantCode, tc.wantMsg)
			}
		})
	}
	if logs := s.Logs(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("malformed requests were logged as errors:\n%s", logs)
	}
}

// Requests authenticated by the console's cookie must come from the
// console's own origin (or an allowed one); sign-in takes JSON only.
func TestCookieRequestsAreSameOrigin(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_ALLOWED_ORIGINS": "console.example.com"})
	signIn := func(contentType string, hdr map[string]string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/session", strings.NewReader(`{"token":"`+s.Token+`"}`))
		req.Header.Set("Content-Type", contentType)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	ok := signIn("application/json", map[string]string{"Origin": s.URL, "Sec-Fetch-Site": "same-origin"})
	if ok.StatusCode != http.StatusNoContent || len(ok.Cookies()) != 1 {
		t.Fatalf("same-origin sign-in: %d", ok.StatusCode)
	}
	cookie := ok.Cookies()[0]
	if r := signIn("text/plain", nil); r.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain sign-in: %d, want 415", r.StatusCode)
	}
	if r := signIn("application/json", map[string]string{"Origin": "https://evil.example"}); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin sign-in: %d, want 403", r.StatusCode)
	}
	for _, tc := range []struct {
		name       string
		bearer     bool
		hdr        map[string]string
		wantStatus int
	}{
		{"no browser headers", false, nil, 200},
		{"same origin", false, map[string]string{"Origin": s.URL, "Sec-Fetch-Site": "same-origin"}, 200},
		{"allowed origin", false, map[string]string{"Origin": "https://console.example.com", "Sec-Fetch-Site": "cross-site"}, 200},
		{"foreign origin", false, map[string]string{"Origin": "https://evil.example"}, 403},
		{"cross-site fetch", false, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"same-site fetch from another origin", false, map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "http://other.localhost"}, 403},
		{"bearer token from a foreign origin", true, map[string]string{"Origin": "https://evil.example"}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := postGraphQL(s, "", "application/json", strings.NewReader(`{"query":"mutation { createFolder(input: {name: \"o\"}) { id } }"}`))
			if tc.bearer {
				req.Header.Set("Authorization", "Bearer "+s.Token)
			} else {
				req.AddCookie(cookie)
			}
			for k, v := range tc.hdr {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("got %d %s, want %d", resp.StatusCode, b, tc.wantStatus)
			}
		})
	}
	req, _ := http.NewRequest(http.MethodDelete, s.URL+"/api/session", nil)
	req.AddCookie(cookie)
	req.Header.Set("Origin", "https://evil.example")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin sign-out: %v %v, want 403", resp.StatusCode, err)
	}
}

// Failed authentications from one address are throttled; successful ones
// neither count nor are held up.
func TestFailedAuthenticationIsThrottled(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_AUTH_FAILURE_LIMIT": "3"})
	ask := func(token string) *http.Response {
		resp, err := http.DefaultClient.Do(postGraphQL(s, token, "application/json", strings.NewReader(`{"query":"{ viewer { role } }"}`)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i := range 20 {
		if r := ask(s.Token); r.StatusCode != 200 {
			t.Fatalf("good request %d: %d", i+1, r.StatusCode)
		}
	}
	for i := range 3 {
		if r := ask("scp_wrong" + strconv.Itoa(i)); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("bad token %d: %d, want 401", i+1, r.StatusCode)
		}
	}
	r := ask("scp_wrong-again")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("4th bad token: %d Retry-After %q, want 429 with Retry-After", r.StatusCode, r.Header.Get("Retry-After"))
	}
	resp, err := http.Post(s.URL+"/api/session", "application/json", strings.NewReader(`{"token":"scp_guess"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("sign-in guess from a throttled address: %d, want 429", resp.StatusCode)
	}
	if r := ask(s.Token); r.StatusCode != 200 {
		t.Errorf("the token that worked before: %d, want 200", r.StatusCode)
	}
}

// /readyz names the dependency that is down, not its address or error.
func TestReadyzHidesDetails(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1"})
	u, _ := url.Parse(s.Env["SCOOPA_DATABASE_URL"])
	name := strings.TrimPrefix(u.Path, "/")
	dropDatabase(t, name)
	resp, err := http.Get(s.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var checks map[string]string
	_ = json.Unmarshal(b, &checks)
	if resp.StatusCode != http.StatusServiceUnavailable || checks["database"] != "down" || checks["redis"] != "ok" {
		t.Errorf("got %d %s, want 503 {database: down, redis: ok, ...}", resp.StatusCode, b)
	}
	for name, state := range checks {
		if !slices.Contains([]string{"database", "redis", "object store", "disk"}, name) || !slices.Contains([]string{"ok", "down", "low"}, state) {
			t.Errorf("/readyz says %q: %q; want only the names of the checks and ok, down or low", name, state)
		}
	}
	if logs := s.Logs(); !strings.Contains(logs, "readiness check failed") || !strings.Contains(logs, "dependency=database err=") {
		t.Errorf("the cause is not logged:\n%s", logs)
	}
}

// A VIEWER sees URLs with their query values masked, as header values are.
func TestViewerSeesURLsWithoutSecrets(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	rc := testenv.NewReceiver(t)
	folder := createFolder(t, s, "q")
	const key = "SuperSecretApiKey123"
	createWebhook(t, s, map[string]any{"name": "q", "url": rc.URL + "/hook?apikey=" + key + "&x=1", "folderIDs": []string{folder}, "active": true})
	s.Upload(t, folder, "a.txt", "text/plain", []byte("a"))
	viewer := viewerToken(t, s)
	const q = `{ webhooks { edges { node { url } } } webhookCalls { edges { node { targetURL } } } }`
	for who, token := range map[string]string{"admin": s.Token, "viewer": viewer} {
		r := s.DoAs(t, token, q, nil)
		data := string(r.Data)
		if len(r.Errors) > 0 || strings.Count(data, "/hook?apikey=") < 2 {
			t.Fatalf("%s: %+v %s", who, r.Errors, data)
		}
		if shown := strings.Contains(data, key); shown != (who == "admin") {
			t.Errorf("%s sees the key: %v (%s)", who, shown, data)
		}
	}
	// Filters on URLs would tell the masked values letter by letter.
	for _, q := range []string{
		`{ webhookCalls(where: {targetURLContains: "apikey=S"}) { totalCount } }`,
		`{ webhooks(where: {or: [{name: "x"}, {urlContains: "Super"}]}) { totalCount } }`,
		`{ webhookCalls(where: {hasWebhookWith: [{not: {urlHasPrefix: "http"}}]}) { totalCount } }`,
	} {
		if r := s.DoAs(t, viewer, q, nil); r.Code() != "FORBIDDEN" {
			t.Errorf("viewer %s: %+v %s, want FORBIDDEN", q, r.Errors, r.Data)
		}
		if r := s.DoAs(t, s.Token, q, nil); len(r.Errors) > 0 {
			t.Errorf("admin %s: %+v", q, r.Errors)
		}
	}
}

// Idle keep-alive connections and bodies trickled byte by byte are cut off;
// a slow upload that keeps making progress is not.
func TestSlowClientsAreCutOff(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_IDLE_TIMEOUT": "1s", "SCOOPA_READ_TIMEOUT": "1s"})
	addr := strings.TrimPrefix(s.URL, "http://")
	t.Run("idle keep-alive", func(t *testing.T) {
		t.Parallel()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		_ = c.SetReadDeadline(time.Now().Add(15 * time.Second))
		if _, err := br.ReadByte(); err != io.EOF {
			t.Errorf("idle connection: %v, want closed by the server (EOF)", err)
		}
	})
	t.Run("trickled body", func(t *testing.T) {
		t.Parallel()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		const n = 50
		fmt.Fprintf(c, "POST /api/session HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", addr, n)
		var sent atomic.Int32
		go func() {
			for range n {
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
				sent.Add(1)
				time.Sleep(200 * time.Millisecond)
			}
		}()
		_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, _ = io.Copy(io.Discard, c) // until the server closes
		if got := sent.Load(); got >= n {
			t.Errorf("the server read all %d trickled bytes (10 s) instead of cutting the body off", got)
		}
	})
	t.Run("upload whose handling outlasts the read timeout", func(t *testing.T) {
		t.Parallel()
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(1500 * time.Millisecond) // longer than the read timeout
		}))
		defer slow.Close()
		folder := createFolder(t, s, "long")
		const boundary = "scoopa-long"
		ops, _ := json.Marshal(map[string]any{
			"query":     `mutation($f: ID!, $file: Upload!, $url: String!) { uploadFile(folderID: $f, file: $file) { id } createWebhook(input: {name: "slow", url: $url}) { validationStatus } }`,
			"variables": map[string]any{"f": folder, "file": nil, "url": slow.URL},
		})
		body := fmt.Sprintf("--%[1]s\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n%[2]s\r\n"+
			"--%[1]s\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{\"0\": [\"variables.file\"]}\r\n"+
			"--%[1]s\r\nContent-Disposition: form-data; name=\"0\"; filename=\"a.txt\"\r\n\r\na\r\n--%[1]s--\r\n", boundary, ops)
		resp, err := http.DefaultClient.Do(postGraphQL(s, s.Token, "multipart/form-data; boundary="+boundary, strings.NewReader(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r testenv.Response
		_ = json.NewDecoder(resp.Body).Decode(&r)
		if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"VALID"`) {
			t.Errorf("got %d %+v %s", resp.StatusCode, r.Errors, r.Data)
		}
	})
	t.Run("slow upload that makes progress", func(t *testing.T) {
		t.Parallel()
		folder := createFolder(t, s, "slow")
		head, boundary := multipartHead(folder)
		pr, pw := io.Pipe()
		go func() {
			_, _ = pw.Write(head)
			for range 8 { // 8 × 300 ms: longer than the read timeout
				time.Sleep(300 * time.Millisecond)
				_, _ = pw.Write(bytes.Repeat([]byte("s"), 64<<10))
			}
			_, _ = pw.Write([]byte("\r\n--" + boundary + "--\r\n"))
			pw.Close()
		}()
		resp, err := http.DefaultClient.Do(postGraphQL(s, s.Token, "multipart/form-data; boundary="+boundary, pr))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r testenv.Response
		_ = json.NewDecoder(resp.Body).Decode(&r)
		if resp.StatusCode != 200 || len(r.Errors) > 0 || !strings.Contains(string(r.Data), fmt.Sprint(8*64<<10)) {
			t.Errorf("slow upload: %d %+v %s", resp.StatusCode, r.Errors, r.Data)
		}
	})
}

func dropDatabase(t *testing.T, name string) {
	t.Helper()
	admin, err := sql.Open("postgres", testenv.PostgresAdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(fmt.Sprintf("DROP DATABASE %s WITH (FORCE)", name)); err != nil {
		t.Fatal(err)
	}
}

// Wrong tokens in a websocket's connection_init count as failed
// authentications of the client's address, as over HTTP: guessing through
// sockets is throttled too.
func TestWebsocketAuthenticationIsThrottled(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_AUTH_FAILURE_LIMIT": "3"})
	initWith := func(token string) websocket.StatusCode {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c := dialGraphQLWS(ctx, t, s)
		defer c.CloseNow()
		m, err := initSocket(ctx, t, c, token)
		if err != nil {
			return websocket.CloseStatus(err)
		}
		if m.Type != "connection_ack" {
			t.Fatalf("answer to connection_init: %+v", m)
		}
		return 0
	}
	if code := initWith(s.Token); code != 0 {
		t.Fatalf("the admin token: close code %d, want an ack", code)
	}
	for i := range 3 {
		if code := initWith("scp_wrong" + strconv.Itoa(i)); code != 4401 {
			t.Fatalf("bad token %d: close code %d, want 4401", i+1, code)
		}
	}
	if code := initWith("scp_wrong-again"); code != 4429 {
		t.Errorf("4th bad token: close code %d, want 4429 (too many failed authentications)", code)
	}
	// The address is throttled over HTTP as well.
	resp, err := http.DefaultClient.Do(postGraphQL(s, "scp_guess", "application/json", strings.NewReader(`{"query":"{ viewer { role } }"}`)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("HTTP guess from an address throttled over sockets: %d, want 429", resp.StatusCode)
	}
	if code := initWith(s.Token); code != 0 {
		t.Errorf("the token that worked before, from a throttled address: close code %d, want an ack", code)
	}
}

// Behind a trusted proxy, failed authentications are counted per client
// the proxy names in X-Forwarded-For; without one, or from a peer that is
// not a trusted proxy, per peer, and the header is ignored.
func TestAuthThrottleBehindProxies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, proxies string
		perClient     bool
	}{
		{"trusted proxy", "127.0.0.0/8,::1", true},
		{"no trusted proxies", "", false},
		{"peer not a trusted proxy", "10.0.0.0/8", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_AUTH_FAILURE_LIMIT": "3", "SCOOPA_TRUSTED_PROXIES": tc.proxies})
			ask := func(token, forwardedFor string) int {
				req := postGraphQL(s, token, "application/json", strings.NewReader(`{"query":"{ viewer { role } }"}`))
				req.Header.Set("X-Forwarded-For", forwardedFor)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			// One client guesses until throttled (the left-most entry is
			// the client's own spoofing attempt).
			for i := range 3 {
				if code := ask("scp_wrong"+strconv.Itoa(i), "203.0.113.9, 198.51.100.1"); code != http.StatusUnauthorized {
					t.Fatalf("bad token %d: %d, want 401", i+1, code)
				}
			}
			if code := ask("scp_wrong-again", "198.51.100.1"); code != http.StatusTooManyRequests {
				t.Fatalf("4th bad token: %d, want 429", code)
			}
			// Another client (by the proxy's word), or the same one
			// claiming to be another.
			other, spoofed := ask("scp_guess", "198.51.100.2"), ask("scp_guess", "203.0.113.9, 198.51.100.1")
			if tc.perClient {
				if other != http.StatusUnauthorized || spoofed != http.StatusTooManyRequests {
					t.Errorf("another client: %d, want 401; the throttled one with a spoofed entry: %d, want 429", other, spoofed)
				}
			} else if other != http.StatusTooManyRequests {
				t.Errorf("another X-Forwarded-For from the same peer: %d, want 429 (the header is ignored)", other)
			}
		})
	}
}
