package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/testenv"
)

func viewerToken(t *testing.T, s *testenv.Server) string {
	t.Helper()
	var tok struct{ CreateAPIToken struct{ Secret string } }
	s.MustDo(t, `mutation { createApiToken(input: {name: "viewer", role: VIEWER}) { secret } }`, nil, &tok)
	return tok.CreateAPIToken.Secret
}

// Every query, mutation and subscription as anonymous, VIEWER and ADMIN.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, nil)
	viewer := viewerToken(t, s)
	rc := testenv.NewReceiver(t)
	folder := createFolder(t, s, "m")
	wh := createWebhook(t, s, map[string]any{"name": "m", "url": rc.URL})
	const (
		ok        = ""
		forbidden = "FORBIDDEN"
		anon      = "UNAUTHENTICATED"
	)
	ops := []struct {
		name, query       string
		viewerWant, admin string
	}{
		{"query viewer", `{ viewer { role } }`, ok, ok},
		{"query node", `{ node(id: "` + wh.ID + `") { id } }`, ok, ok},
		{"query nodes", `{ nodes(ids: ["` + wh.ID + `"]) { id } }`, ok, ok},
		{"query folders", `{ folders { totalCount } }`, ok, ok},
		{"query files", `{ files { totalCount } }`, ok, ok},
		{"query webhooks", `{ webhooks { totalCount } }`, ok, ok},
		{"query webhookCalls", `{ webhookCalls { totalCount } }`, ok, ok},
		{"query apiTokens", `{ apiTokens { id } }`, forbidden, ok},
		{"query sessions", `{ sessions { id } }`, forbidden, ok},
		{"createFolder", `mutation { createFolder(input: {name: "x"}) { id } }`, forbidden, ok},
		{"uploadFile", "upload", forbidden, ok},
		{"createWebhook", `mutation { createWebhook(input: {name: "x", url: "` + rc.URL + `"}) { id } }`, forbidden, ok},
		{"updateWebhook", `mutation { updateWebhook(id: "` + wh.ID + `", input: {name: "y"}) { id } }`, forbidden, ok},
		{"revalidateWebhook", `mutation { revalidateWebhook(id: "` + wh.ID + `") { id } }`, forbidden, ok},
		{"rotateWebhookSecret", `mutation { rotateWebhookSecret(id: "` + wh.ID + `") { id } }`, forbidden, ok},
		{"retryWebhookCall", `mutation { retryWebhookCall(id: "17179999999") { id } }`, forbidden, "NOT_FOUND"},
		{"createApiToken", `mutation { createApiToken(input: {name: "x", role: VIEWER}) { secret } }`, forbidden, ok},
		{"revokeApiToken", `mutation { revokeApiToken(id: "999999") { id } }`, forbidden, "NOT_FOUND"},
		{"endSession", `mutation { endSession(id: "38654999999") { id } }`, forbidden, "NOT_FOUND"},
		{"deleteWebhook", `mutation { deleteWebhook(id: "` + wh.ID + `") }`, forbidden, ok},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			for _, who := range []struct{ name, token, want string }{
				{"anonymous", "", anon},
				{"viewer", viewer, op.viewerWant},
				{"admin", s.Token, op.admin},
			} {
				var r *testenv.Response
				if op.query == "upload" {
					r = s.UploadAs(t, who.token, folder, "a.txt", "text/plain", []byte("a"))
				} else {
					r = s.DoAs(t, who.token, op.query, nil)
				}
				got := r.Code()
				if got == "" && len(r.Errors) > 0 {
					got = "ERROR " + r.Errors[0].Message
				}
				if got != who.want {
					t.Errorf("%s: got %q (%+v), want %q", who.name, got, r.Errors, who.want)
				}
			}
		})
	}
	// The subscription: anonymous is refused, VIEWER and ADMIN are served.
	for _, who := range []struct {
		name, token string
		want        bool
	}{{"anonymous", "", false}, {"viewer", viewer, true}, {"admin", s.Token, true}} {
		if got := canSubscribe(t, s, who.token); got != who.want {
			t.Errorf("subscription as %s: served %v, want %v", who.name, got, who.want)
		}
	}
	// Websocket operations of a token revoked while its sockets are open.
	t.Run("websocket after revocation", func(t *testing.T) { wsAfterRevocation(t, s) })
}

func canSubscribe(t *testing.T, s *testenv.Server, token string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, strings.Replace(s.URL, "http", "ws", 1)+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	init := json.RawMessage(`{}`)
	if token != "" {
		init, _ = json.Marshal(map[string]string{"Authorization": "Bearer " + token})
	}
	_ = wsjson.Write(ctx, c, wsMsg{Type: "connection_init", Payload: init})
	var m wsMsg
	if err := wsjson.Read(ctx, c, &m); err != nil {
		return false
	}
	return m.Type == "connection_ack"
}

// During a rotation's grace period, calls carry two signatures: one with the
// new secret, one with the old.
func TestSecretRotationSignsWithBoth(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		rc := testenv.NewReceiver(t)
		folder := createFolder(t, s, "r")
		wh := createWebhook(t, s, map[string]any{"name": "r", "url": rc.URL, "folderIDs": []string{folder}, "active": true})
		var rot struct {
			RotateWebhookSecret struct{ SigningSecret string }
		}
		s.MustDo(t, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { signingSecret } }`, map[string]any{"id": wh.ID}, &rot)
		if rot.RotateWebhookSecret.SigningSecret == *wh.SigningSecret {
			t.Fatal("the secret did not change")
		}
		s.Upload(t, folder, "a.txt", "text/plain", []byte("a"))
		testenv.Eventually(t, 20*time.Second, "the delivery", func() bool { return len(rc.Deliveries()) == 1 })
		d := rc.Deliveries()[0]
		sig := d.Header.Get("webhook-signature")
		if n := len(strings.Fields(sig)); n != 2 {
			t.Errorf("webhook-signature %q has %d signatures, want 2", sig, n)
		}
		for name, secret := range map[string]string{"old": *wh.SigningSecret, "new": rot.RotateWebhookSecret.SigningSecret} {
			if err := sender.Verify(secret, d.Header.Get("webhook-id"), d.Header.Get("webhook-timestamp"), sig, d.Body, time.Now(), time.Minute); err != nil {
				t.Errorf("%s secret: %v", name, err)
			}
		}
		if err := sender.Verify(sender.NewSigningSecret(), d.Header.Get("webhook-id"), d.Header.Get("webhook-timestamp"), sig, d.Body, time.Now(), time.Minute); err == nil {
			t.Error("a third secret verifies: the check proves nothing")
		}
	})
}

// Header values and signing secrets never reach the logs, errors or VIEWER
// reads.
func TestSecretsStaySecret(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"SCOOPA_LOG_LEVEL": "debug"})
	rc := testenv.NewReceiver(t)
	rc.SetScript(func(int, http.ResponseWriter) int { return 500 })
	const secret = "Sup3r-S3cret-Credential-Value"
	folder := createFolder(t, s, "s")
	wh := createWebhook(t, s, map[string]any{"name": "s", "url": rc.URL, "folderIDs": []string{folder}, "active": true,
		"headers": []map[string]any{{"name": "Authorization", "value": "Bearer " + secret}}})
	s.Upload(t, folder, "a.txt", "text/plain", []byte("a"))
	testenv.Eventually(t, 20*time.Second, "two attempts", func() bool { return len(rc.Deliveries()) >= 2 })
	viewer := viewerToken(t, s)
	for who, token := range map[string]string{"admin": s.Token, "viewer": viewer} {
		r := s.DoAs(t, token, `{ webhooks { edges { node { headers { name value } signingSecret } } } webhookCalls { edges { node { payload error attempts { responseBody error } } } } }`, nil)
		if strings.Contains(string(r.Data), secret[4:]) {
			t.Errorf("%s read shows the header value: %s", who, r.Data)
		}
		if who == "viewer" && strings.Contains(string(r.Data), *wh.SigningSecret) {
			t.Errorf("viewer read shows the signing secret")
		}
	}
	logs := s.Logs()
	if strings.Contains(logs, secret) || strings.Contains(logs, *wh.SigningSecret) || strings.Contains(logs, s.Token) {
		t.Errorf("logs contain a secret:\n%s", logs)
	}
	if !strings.Contains(logs, "call attempted") {
		t.Error("debug logs do not show the attempts: the check above proves nothing")
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{
		"SCOOPA_MAX_UPLOAD_BYTES": "10", "SCOOPA_INTROSPECTION": "false",
	})
	folder := createFolder(t, s, "l")
	t.Run("upload too large", func(t *testing.T) {
		r := s.Upload(t, folder, "big.bin", "application/octet-stream", bytes.Repeat([]byte("x"), 11))
		if r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "larger than the limit of 10 bytes") {
			t.Errorf("got %+v", r.Errors)
		}
	})
	t.Run("too many headers", func(t *testing.T) {
		var hs []map[string]any
		for i := range 21 {
			hs = append(hs, map[string]any{"name": fmt.Sprintf("X-H%d", i), "value": "v"})
		}
		r := s.Do(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{"name": "h", "url": "http://127.0.0.1:1/", "headers": hs}})
		if r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "at most 20 headers") {
			t.Errorf("got %+v", r.Errors)
		}
	})
	t.Run("introspection off", func(t *testing.T) {
		r := s.Do(t, `{ __schema { types { name } } }`, nil)
		if len(r.Errors) == 0 {
			t.Errorf("introspection answered with it switched off: %s", r.Data)
		}
	})
	t.Run("too deep", func(t *testing.T) {
		q := `{ webhookCalls { edges { node { webhook { folders { files { edges { node { folder { files { edges { node { folder { name } } } } } } } } } } } } } }`
		if r := s.Do(t, q, nil); r.Code() != "DEPTH_LIMIT_EXCEEDED" && r.Code() != "COMPLEXITY_LIMIT_EXCEEDED" {
			t.Errorf("got %+v", r.Errors)
		}
	})
	t.Run("rate limited", func(t *testing.T) {
		s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_RATE_LIMIT": "1"})
		var limited *testenv.Response
		var hdr string
		for range 20 {
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", strings.NewReader(`{"query":"{ viewer { role } }"}`))
			req.Header.Set("Authorization", "Bearer "+s.Token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode == http.StatusTooManyRequests {
				limited = &testenv.Response{Status: resp.StatusCode}
				hdr = resp.Header.Get("Retry-After")
				_ = json.NewDecoder(resp.Body).Decode(limited)
			}
			resp.Body.Close()
			if limited != nil {
				break
			}
		}
		if limited == nil || hdr == "" || limited.Code() != "RATE_LIMITED" {
			t.Errorf("no 429 with Retry-After and RATE_LIMITED in 20 quick requests at 1/s: %+v %q", limited, hdr)
		}
	})
}

func TestWebsocketConnectionsPerToken(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	var open []*websocket.Conn
	defer func() {
		for _, c := range open {
			c.CloseNow()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	init, _ := json.Marshal(map[string]string{"Authorization": "Bearer " + s.Token})
	for i := range 21 {
		c, _, err := websocket.Dial(ctx, strings.Replace(s.URL, "http", "ws", 1)+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
		_ = wsjson.Write(ctx, c, wsMsg{Type: "connection_init", Payload: init})
		var m wsMsg
		err = wsjson.Read(ctx, c, &m)
		if i < 20 {
			if err != nil || m.Type != "connection_ack" {
				t.Fatalf("connection %d: %+v %v, want ack", i+1, m, err)
			}
			continue
		}
		for err == nil {
			err = wsjson.Read(ctx, c, &m)
		}
		var ce websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != 4429 {
			t.Errorf("connection 21: %v, want closed with 4429", err)
		}
	}
}

// Names with unicode tricks, huge strings and invalid UTF-8 are handled:
// stored as given or refused with a clear error, never garbled.
func TestHostileNames(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	for _, tc := range []struct{ name, in, wantCode string }{
		{"right-to-left override", "invoice\u202Egpj.exe", "BAD_USER_INPUT"},
		{"zero-width joiner between letters", "a\u200Db", "BAD_USER_INPUT"},
		{"zero-width space", "a\u200Bb", "BAD_USER_INPUT"},
		{"Hangul filler", "\u3164", "BAD_USER_INPUT"},
		{"emoji ZWJ sequence", "\U0001F469\u200D\U0001F4BB Dev", ""},
		{"emoji", "📁 Fotos", ""},
		{"combining characters", "e\u0301te\u0301", ""},
		{"huge", strings.Repeat("x", 1<<19), "BAD_USER_INPUT"}, // within SCOOPA_MAX_REQUEST_BYTES
		{"NUL", "a\x00b", "BAD_USER_INPUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Do(t, `mutation($n: String!) { createFolder(input: {name: $n}) { name } }`, map[string]any{"n": tc.in})
			if r.Code() != tc.wantCode {
				t.Fatalf("code %q (%+v), want %q", r.Code(), r.Errors, tc.wantCode)
			}
			if tc.wantCode == "" {
				var out struct{ CreateFolder struct{ Name string } }
				_ = json.Unmarshal(r.Data, &out)
				if out.CreateFolder.Name != tc.in {
					t.Errorf("stored %q, want %q", out.CreateFolder.Name, tc.in)
				}
			}
		})
	}
	// Invalid UTF-8 in the request body.
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader([]byte("{\"query\":\"mutation { createFolder(input: {name: \\\"a\xff\xfeb\\\"}) { name } }\"}")))
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var r testenv.Response
	_ = json.NewDecoder(resp.Body).Decode(&r)
	resp.Body.Close()
	if len(r.Errors) == 0 && strings.Contains(string(r.Data), "\xff") {
		t.Errorf("invalid UTF-8 stored as is: %s", r.Data)
	}
}

func TestConsoleSecurityHeaders(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	resp, err := http.Get(s.URL + "/webhooks")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP %q allows inline code", csp)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("CORS is on; it should be off by default")
	}
	// Sign-in sets an HttpOnly, SameSite=Strict cookie.
	r, err := http.Post(s.URL+"/api/session", "application/json", strings.NewReader(`{"token":"`+s.Token+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	cookies := r.Cookies()
	if r.StatusCode != http.StatusNoContent || len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode {
		t.Errorf("sign-in: %d %+v, want 204 and an HttpOnly SameSite=Strict cookie", r.StatusCode, cookies)
	}
	if bad, _ := http.Post(s.URL+"/api/session", "application/json", strings.NewReader(`{"token":"scp_nope"}`)); bad.StatusCode != http.StatusUnauthorized {
		t.Errorf("sign-in with a bad token: %d, want 401", bad.StatusCode)
	}
	for name, cookie := range map[string]*http.Cookie{"signed in": cookies[0], "nobody": nil, "bad cookie": {Name: cookies[0].Name, Value: "scp_x"}} {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/session", nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var who struct {
			SignedIn bool
			Role     string
		}
		_ = json.NewDecoder(resp.Body).Decode(&who)
		resp.Body.Close()
		if want := name == "signed in"; resp.StatusCode != 200 || who.SignedIn != want || (want && who.Role != "ADMIN") {
			t.Errorf("GET /api/session, %s: %d %+v", name, resp.StatusCode, who)
		}
	}
}
