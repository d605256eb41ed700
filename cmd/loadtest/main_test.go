package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	return u.Hostname()
}

func TestParseFlags(t *testing.T) {
	env := func(k string) string {
		if k == "SCOOPA_ADMIN_TOKEN" {
			return "env-token-0123456789"
		}
		return ""
	}
	var stderr bytes.Buffer
	c, err := parseFlags(nil, env, &stderr)
	if err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if c.token != "env-token-0123456789" || c.webhooks != 1 || c.files != 1000 || c.concurrency != 16 ||
		c.size != 1024 || c.timeout != 5*time.Minute || c.receiverAddr != "127.0.0.1:0" || c.baseURL != "http://127.0.0.1:8080" {
		t.Errorf("defaults = %+v", c)
	}
	if c, _ := parseFlags([]string{"-token", "flag-token"}, env, &stderr); c.token != "flag-token" {
		t.Errorf("-token did not override the environment: %q", c.token)
	}

	// -h must not show the token taken from the environment.
	stderr.Reset()
	_, _ = parseFlags([]string{"-h"}, env, &stderr)
	if strings.Contains(stderr.String(), "env-token") {
		t.Errorf("help shows the token:\n%s", stderr.String())
	}

	for _, args := range [][]string{
		{"-url", "http://203.0.113.5:8080"},
		{"-receiver-addr", "0.0.0.0:0"},
		{"-files", "0"},
		{"-webhooks", "1001"},
		{"-files", "1000000", "-webhooks", "1000"},
		{"-concurrency", "0"},
		{"-rate", "-1"},
		{"-size", "0"},
		{"-size", "67108864", "-concurrency", "64"},
		{"-timeout", "0s"},
		{"extra"},
	} {
		if _, err := parseFlags(args, env, &stderr); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	if _, err := parseFlags(nil, func(string) string { return "" }, &stderr); err == nil {
		t.Error("accepted without a token")
	}
}

func TestReceiver(t *testing.T) {
	rc := newReceiver(true, 3)
	srv := httptest.NewServer(rc)
	defer srv.Close()
	post := func(path, msgID string, body any) int {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(b))
		req.Header.Set("webhook-id", msgID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	steps := []struct {
		path, msgID string
		body        any
		want        int
	}{
		{"/hook/0", "msg_1", map[string]any{"origin": validationOrigin, "file_id": "12345"}, 200},
		{"/hook/0", "msg_2", map[string]any{"origin": "scoopa", "file_id": 7}, 500},
		{"/hook/0", "msg_2", map[string]any{"origin": "scoopa", "file_id": 7}, 200},
		{"/hook/1", "msg_3", map[string]any{"origin": "scoopa", "file_id": 7}, 500},
		{"/hook/1", "msg_3", map[string]any{"origin": "scoopa", "file_id": 7}, 200}, // beyond the bound of 3
		{"/other", "msg_4", map[string]any{"origin": "scoopa", "file_id": 8}, 400},
		{"/hook/0", "msg_5", "not an object", 400},
	}
	for i, s := range steps {
		if got := post(s.path, s.msgID, s.body); got != s.want {
			t.Errorf("step %d: %s %s answered %d, want %d", i, s.path, s.msgID, got, s.want)
		}
	}
	st := rc.snapshot()
	if st.validations != 1 || st.malformed != 2 || st.dropped != 1 || len(st.arrivals) != 3 || rc.deliveredCount() != 2 {
		t.Errorf("validations %d malformed %d dropped %d arrivals %d delivered %d; want 1 2 1 3 2",
			st.validations, st.malformed, st.dropped, len(st.arrivals), rc.deliveredCount())
	}
	a := st.arrivals[1]
	if a.hook != 0 || a.fileID != "7" || a.msgID != "msg_2" || a.status != 200 || a.at.Before(st.arrivals[0].at) {
		t.Errorf("arrival = %+v", a)
	}
}

func TestParseStat(t *testing.T) {
	// Field 2 may hold spaces and parentheses; utime 250 + stime 50 ticks.
	stat := "1234 (we(ir) d) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 12 0 500 1000 200\n"
	got, err := parseStat([]byte(stat))
	if err != nil || got != 3*time.Second {
		t.Errorf("parseStat = %v, %v; want 3s", got, err)
	}
	if _, err := parseStat([]byte("1234 (x) S 1 2")); err == nil {
		t.Error("short stat accepted")
	}
}
