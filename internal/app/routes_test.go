package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// Only GET and HEAD of the console's paths serve the console; other methods
// get 405 with an Allow header, and unknown paths of the API 404, so that a
// POST to the service is never answered 200 with the console's HTML.
func TestRoutesAndMethods(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	for _, tc := range []struct {
		method, path string
		want         int    // status; 0 = the console (200, or 503 when it is not built)
		allow        string // the Allow header wanted with a 405
	}{
		{"GET", "/", 0, ""},
		{"HEAD", "/", 0, ""},
		{"GET", "/webhooks/12", 0, ""},
		{"HEAD", "/calls", 0, ""},
		{"GET", "/no/such/console/page", 0, ""},
		{"GET", "/portal", 0, ""}, // where a portal link lands: the console reads its fragment
		{"POST", "/", 405, "GET, HEAD"},
		{"POST", "/webhooks", 405, "GET, HEAD"},
		{"PUT", "/no/such/page", 405, "GET, HEAD"},
		{"DELETE", "/", 405, "GET, HEAD"},
		{"POST", "/files/1/download", 405, "GET, HEAD"},
		{"POST", "/files/sample/download?expires=1&signature=x", 405, "GET, HEAD"},
		{"POST", "/healthz", 405, "GET, HEAD"},
		{"POST", "/readyz", 405, "GET, HEAD"},
		{"POST", "/metrics", 405, "GET, HEAD"},
		{"POST", "/playground", 405, "GET, HEAD"},
		{"PUT", "/api/session", 405, "GET, POST, DELETE"},
		{"GET", "/api/session/portal", 405, "POST"},
		{"GET", "/api/nothing", 404, ""},
		{"POST", "/api/nothing", 404, ""},
		{"GET", "/graphql/extra", 404, ""},
		{"POST", "/graphql/extra", 404, ""},
		{"GET", "/files/1", 404, ""},
		{"POST", "/files/1/upload", 404, ""},
		{"GET", "/healthz/more", 404, ""},
		{"GET", "/metrics/x", 404, ""},
		{"GET", "/debug/pprof/", 404, ""}, // SCOOPA_PPROF is off
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, s.URL+tc.path, strings.NewReader(`{"query":"{ __typename }"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			html := strings.Contains(resp.Header.Get("Content-Type"), "text/html")
			if tc.want == 0 {
				if (resp.StatusCode != 200 && resp.StatusCode != 503) || !html {
					t.Errorf("%d %s, want the console", resp.StatusCode, resp.Header.Get("Content-Type"))
				}
				return
			}
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d (body %.80q)", resp.StatusCode, tc.want, body)
			}
			if got := resp.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
			if html || strings.Contains(string(body), "<html") || strings.Contains(string(body), "<!doctype") {
				t.Errorf("answered with the console's HTML: %.80q", body)
			}
		})
	}
}

// A webhook pointed at the service itself does not validate.
func TestWebhookAtTheServiceItselfIsInvalid(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	for _, path := range []string{"/", "/webhooks", "/files/1/download", "/nothing/here"} {
		var out struct {
			CreateWebhook struct{ ValidationStatus, LastValidationError string }
		}
		s.MustDo(t, `mutation($u: String!) { createWebhook(input: {name: "self", url: $u}) { validationStatus lastValidationError } }`,
			map[string]any{"u": s.URL + path}, &out)
		if out.CreateWebhook.ValidationStatus != "INVALID" {
			t.Errorf("webhook at %s: %+v, want INVALID", path, out.CreateWebhook)
		}
	}
}

// With SCOOPA_PUBLIC_URL unset and port 0 (any free port), download links
// name the port the server really listens on.
func TestDownloadLinksNameTheListeningPort(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_HTTP_ADDR": "127.0.0.1:0", "SCOOPA_PUBLIC_URL": ""})
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "port"}) { id } }`, nil, &f)
	r := s.Upload(t, f.CreateFolder.ID, "a.txt", "text/plain", []byte("a"))
	var out struct{ UploadFile struct{ DownloadURL string } }
	if len(r.Errors) > 0 || json.Unmarshal(r.Data, &out) != nil {
		t.Fatalf("upload: %+v", r.Errors)
	}
	if !strings.HasPrefix(out.UploadFile.DownloadURL, s.URL+"/files/") {
		t.Errorf("download URL %q, want one under %s", out.UploadFile.DownloadURL, s.URL)
	}
	resp, err := http.Get(out.UploadFile.DownloadURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "a" {
		t.Errorf("GET the link: %d %q, want 200 \"a\"", resp.StatusCode, body)
	}
}
