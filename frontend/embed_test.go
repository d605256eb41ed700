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
