package frontend

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestHandlerMethodsAndPaths(t *testing.T) {
	app := fstest.MapFS{
		"index.html":      {Data: []byte("<!doctype html><title>console</title>")},
		"assets/app-1.js": {Data: []byte("console.log(1)")},
		"favicon.svg":     {Data: []byte("<svg/>")},
	}
	h := handler(app)
	for _, tc := range []struct {
		method, path string
		status       int
		body         string // contained in the body
		allow        string
	}{
		{"GET", "/", 200, "<title>console</title>", ""},
		{"HEAD", "/", 200, "", ""},
		{"GET", "/webhooks/3", 200, "<title>console</title>", ""},
		{"GET", "/assets/app-1.js", 200, "console.log", ""},
		{"GET", "/assets/gone.js", 404, "", ""},
		{"POST", "/", 405, "method not allowed", "GET, HEAD"},
		{"POST", "/webhooks", 405, "method not allowed", "GET, HEAD"},
		{"PUT", "/assets/app-1.js", 405, "method not allowed", "GET, HEAD"},
		{"DELETE", "/x", 405, "method not allowed", "GET, HEAD"},
		{"OPTIONS", "/", 405, "method not allowed", "GET, HEAD"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, strings.NewReader("{}")))
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tc.status || !strings.Contains(string(body), tc.body) || rec.Header().Get("Allow") != tc.allow {
				t.Errorf("%d %q (Allow %q), want %d containing %q (Allow %q)", rec.Code, body, rec.Header().Get("Allow"), tc.status, tc.body, tc.allow)
			}
			if tc.status == 405 && strings.Contains(string(body), "<title>console</title>") {
				t.Error("answered a non-GET with the console")
			}
		})
	}
	// Unbuilt, the console still answers only GET and HEAD.
	if rec := httptest.NewRecorder(); true {
		handler(fstest.MapFS{}).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("POST to the unbuilt console: %d, want 405", rec.Code)
		}
	}
}

func TestPlayground(t *testing.T) {
	built := playground(fstest.MapFS{
		"playground.html": {Data: []byte(`<!doctype html><title>playground</title><script type="module" src="/assets/playground-1.js"></script>`)},
	})
	unbuilt := playground(fstest.MapFS{})
	for _, tc := range []struct {
		name   string
		h      http.Handler
		method string
		status int
		body   string
	}{
		{"built", built, "GET", 200, "/assets/playground-1.js"},
		{"built HEAD", built, "HEAD", 200, ""},
		{"built POST", built, "POST", 405, "method not allowed"},
		{"unbuilt", unbuilt, "GET", 503, "make console"},
		{"unbuilt POST", unbuilt, "POST", 405, "method not allowed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tc.h.ServeHTTP(rec, httptest.NewRequest(tc.method, "/playground", nil))
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tc.status || !strings.Contains(string(body), tc.body) {
				t.Errorf("%d %q, want %d containing %q", rec.Code, body, tc.status, tc.body)
			}
			if tc.status == 200 && rec.Header().Get("Cache-Control") != "no-cache" {
				t.Errorf("Cache-Control %q, want no-cache (the page names hashed assets)", rec.Header().Get("Cache-Control"))
			}
		})
	}
}
