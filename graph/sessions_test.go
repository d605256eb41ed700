package graph_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/scoopa/webhooks/graph"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/testenv"
)

// signIn signs the console in with token, as the browser does (with the
// User-Agent ua if given), and returns the session cookie it set.
func signIn(t testing.TB, s *testenv.Server, token string, ua ...string) *http.Cookie {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/session", strings.NewReader(`{"token":"`+token+`"}`))
	req.Header.Set("Content-Type", "application/json")
	if len(ua) > 0 {
		req.Header.Set("User-Agent", ua[0])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == graph.SessionCookie && resp.StatusCode == http.StatusNoContent {
			return c
		}
	}
	t.Fatalf("sign-in: %d, no session cookie", resp.StatusCode)
	return nil
}

// signOut signs the console out with its cookie c and returns the status.
func signOut(t testing.TB, s *testenv.Server, c *http.Cookie) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, s.URL+"/api/session", nil)
	req.AddCookie(c)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// doWithCookie runs a GraphQL query authenticated by the session cookie c.
func doWithCookie(t testing.TB, s *testenv.Server, c *http.Cookie, query string, vars map[string]any) (int, *testenv.Response) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(c)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r testenv.Response
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &r)
	return resp.StatusCode, &r
}

// cookieStatus is the status of a viewer query authenticated by c.
func cookieStatus(t testing.TB, s *testenv.Server, c *http.Cookie) int {
	t.Helper()
	status, _ := doWithCookie(t, s, c, `{ viewer { role } }`, nil)
	return status
}

// exportStatus is the status of a call log export authenticated by c.
func exportStatus(t testing.TB, s *testenv.Server, c *http.Cookie) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/exports/calls.csv?"+url.Values{"where": {"{}"}}.Encode(), nil)
	req.AddCookie(c)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// signedIn asks GET /api/session whether c is signed in.
func signedIn(t testing.TB, s *testenv.Server, c *http.Cookie) bool {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/session", nil)
	req.AddCookie(c)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var who struct{ SignedIn bool }
	_ = json.NewDecoder(resp.Body).Decode(&who)
	return who.SignedIn
}

// cookieSocket opens a websocket authenticated by the session cookie c (an
// empty connection_init, as the console sends); nil if the server did not
// acknowledge it.
func cookieSocket(t *testing.T, s *testenv.Server, c *http.Cookie) *wsConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	h := http.Header{}
	h.Set("Cookie", c.Name+"="+c.Value)
	conn, _, err := websocket.Dial(ctx, strings.Replace(s.URL, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	_ = wsjson.Write(ctx, conn, wsMsg{Type: "connection_init", Payload: json.RawMessage(`{}`)})
	var ack wsMsg
	if err := wsjson.Read(ctx, conn, &ack); err != nil || ack.Type != "connection_ack" {
		return nil
	}
	return &wsConn{t: t, c: conn, ctx: ctx}
}

type sessionOut struct {
	ID                string
	TokenName         string
	Role              string
	CreatedAt         time.Time
	LastSeenAt        time.Time
	ExpiresAt         time.Time
	AbsoluteExpiresAt time.Time
	ClientAddress     string
	UserAgent         string
	Current           bool
	EndedAt           *time.Time
	EndedReason       *string
}

const sessionFields = `id tokenName role createdAt lastSeenAt expiresAt absoluteExpiresAt clientAddress userAgent current endedAt endedReason`

// createToken creates an API token of role and returns its ID and secret.
func createToken(t testing.TB, s *testenv.Server, name, role string) (id, secret string) {
	t.Helper()
	var out struct {
		CreateAPIToken struct {
			Secret string
			Token  struct{ ID string }
		}
	}
	s.MustDo(t, `mutation($n: String!, $r: APITokenRole!) { createApiToken(input: {name: $n, role: $r}) { secret token { id } } }`,
		map[string]any{"n": name, "r": role}, &out)
	return out.CreateAPIToken.Token.ID, out.CreateAPIToken.Secret
}

// Sign-in starts a session whose ID, not the token, is the cookie; sign-out
// ends it on the server: the same cookie no longer authenticates anywhere.
func TestSignOutEndsSession(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		_, viewer := createToken(t, s, "viewer", "VIEWER")
		for name, token := range map[string]string{"bootstrap": s.Token, "stored": viewer} {
			t.Run(name, func(t *testing.T) {
				c := signIn(t, s, token)
				if c.Value == token || strings.Contains(c.Value, strings.TrimPrefix(token, auth.TokenPrefix)) ||
					!strings.HasPrefix(c.Value, auth.SessionPrefix) || !c.HttpOnly || c.MaxAge != 12*3600 {
					t.Fatalf("session cookie %+v: want an HttpOnly scs_ session ID for 12h, not the token", c)
				}
				if st := cookieStatus(t, s, c); st != 200 {
					t.Fatalf("/graphql with the cookie: %d", st)
				}
				if st := exportStatus(t, s, c); st != 200 {
					t.Fatalf("export with the cookie: %d", st)
				}
				if !signedIn(t, s, c) {
					t.Fatal("GET /api/session: not signed in")
				}
				open := cookieSocket(t, s, c)
				if open == nil {
					t.Fatal("websocket with the cookie: no connection_ack")
				}
				if r := open.do("1", `{ viewer { tokenName } }`); r.code != "" {
					t.Fatalf("query over the cookie's socket: %+v", r)
				}
				// The token itself is no session.
				if st := cookieStatus(t, s, &http.Cookie{Name: graph.SessionCookie, Value: token}); st != 401 {
					t.Errorf("/graphql with the token as the cookie: %d, want 401", st)
				}

				if st := signOut(t, s, c); st != http.StatusNoContent {
					t.Fatalf("sign-out: %d", st)
				}
				// What a client kept of the cookie after sign-out.
				if st := cookieStatus(t, s, c); st != 401 {
					t.Errorf("/graphql with the cookie after sign-out: %d, want 401", st)
				}
				if st := exportStatus(t, s, c); st != 401 {
					t.Errorf("export with the cookie after sign-out: %d, want 401", st)
				}
				if signedIn(t, s, c) {
					t.Error("GET /api/session after sign-out: still signed in")
				}
				if cookieSocket(t, s, c) != nil {
					t.Error("websocket with the cookie after sign-out: acknowledged")
				}
				if code := open.closeCode(10 * time.Second); int(code) != graph.CloseRevoked.Code {
					t.Errorf("the cookie's open socket after sign-out: close code %d, want %d", code, graph.CloseRevoked.Code)
				}
				if st := signOut(t, s, c); st != http.StatusNoContent {
					t.Errorf("second sign-out: %d", st)
				}
				if st := cookieStatus(t, s, signIn(t, s, token)); st != 200 {
					t.Errorf("signing in again: %d", st)
				}
			})
		}
	})
}

// Revoking a token ends the sessions started with it.
func TestRevokingTokenEndsItsSessions(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		id, viewer := createToken(t, s, "viewer", "VIEWER")
		c := signIn(t, s, viewer)
		open := cookieSocket(t, s, c)
		if open == nil {
			t.Fatal("websocket with the cookie: no connection_ack")
		}
		var list struct{ Sessions []sessionOut }
		s.MustDo(t, `{ sessions { `+sessionFields+` } }`, nil, &list)
		if len(list.Sessions) != 1 || list.Sessions[0].TokenName != "viewer" {
			t.Fatalf("sessions: %+v", list.Sessions)
		}
		sid := list.Sessions[0].ID
		s.MustDo(t, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, map[string]any{"id": id}, nil)
		if st := cookieStatus(t, s, c); st != 401 {
			t.Errorf("/graphql with the session of a revoked token: %d, want 401", st)
		}
		if st := exportStatus(t, s, c); st != 401 {
			t.Errorf("export with the session of a revoked token: %d, want 401", st)
		}
		if code := open.closeCode(10 * time.Second); int(code) != graph.CloseRevoked.Code {
			t.Errorf("the session's socket: close code %d, want %d", code, graph.CloseRevoked.Code)
		}
		s.MustDo(t, `{ sessions { id } }`, nil, &list)
		if len(list.Sessions) != 0 {
			t.Errorf("sessions after the revocation: %+v", list.Sessions)
		}
		var ended struct{ EndSession sessionOut }
		s.MustDo(t, `mutation($id: ID!) { endSession(id: $id) { `+sessionFields+` } }`, map[string]any{"id": sid}, &ended)
		if r := ended.EndSession.EndedReason; r == nil || *r != "TOKEN_REVOKED" || ended.EndSession.EndedAt == nil {
			t.Errorf("the session after the revocation: %+v, want ended for TOKEN_REVOKED", ended.EndSession)
		}
	})
}

// A session ends when idle for SCOOPA_SESSION_IDLE_TIMEOUT, at
// SCOOPA_SESSION_MAX_AGE however used, and when its token expires.
func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			clock := testenv.NewClock(time.Now())
			s := testenv.StartServerWith(t, kind, testenv.Options{Clock: clock, Env: map[string]string{
				"SCOOPA_SESSION_IDLE_TIMEOUT": "10m", "SCOOPA_SESSION_MAX_AGE": "30m",
			}})
			c := signIn(t, s, s.Token)
			if c.MaxAge != 30*60 {
				t.Errorf("cookie Max-Age %d, want SCOOPA_SESSION_MAX_AGE (1800)", c.MaxAge)
			}
			// Used every 9 minutes, the session outlives its idle timeout...
			for i := range 3 {
				clock.Advance(9 * time.Minute)
				if st := cookieStatus(t, s, c); st != 200 {
					t.Fatalf("after %d minutes of use: %d", 9*(i+1), st)
				}
			}
			var list struct{ Sessions []sessionOut }
			s.MustDo(t, `{ sessions { `+sessionFields+` } }`, nil, &list)
			if len(list.Sessions) != 1 || !list.Sessions[0].LastSeenAt.Equal(list.Sessions[0].CreatedAt.Add(27*time.Minute)) ||
				!list.Sessions[0].ExpiresAt.Equal(list.Sessions[0].CreatedAt.Add(30*time.Minute)) {
				t.Errorf("sessions: %+v, want last seen at 27m, ending at 30m", list.Sessions)
			}
			// ...but not its absolute expiry.
			clock.Advance(4 * time.Minute)
			if st := cookieStatus(t, s, c); st != 401 {
				t.Errorf("31 minutes after sign-in: %d, want 401", st)
			}
			if signedIn(t, s, c) {
				t.Error("GET /api/session past the absolute expiry: signed in")
			}

			idle := signIn(t, s, s.Token)
			clock.Advance(5 * time.Minute)
			if st := cookieStatus(t, s, idle); st != 200 {
				t.Fatalf("5 minutes idle: %d", st)
			}
			clock.Advance(11 * time.Minute)
			if st := cookieStatus(t, s, idle); st != 401 {
				t.Errorf("11 minutes idle: %d, want 401", st)
			}
			if st := exportStatus(t, s, idle); st != 401 {
				t.Errorf("export, 11 minutes idle: %d, want 401", st)
			}

			var tok struct{ CreateAPIToken struct{ Secret string } }
			s.MustDo(t, `mutation($at: Time!) { createApiToken(input: {name: "brief", role: VIEWER, expiresAt: $at}) { secret } }`,
				map[string]any{"at": clock.Now().Add(5 * time.Minute).Format(time.RFC3339Nano)}, &tok)
			brief := signIn(t, s, tok.CreateAPIToken.Secret)
			if st := cookieStatus(t, s, brief); st != 200 {
				t.Fatalf("session of a token valid 5 more minutes: %d", st)
			}
			clock.Advance(6 * time.Minute)
			if st := cookieStatus(t, s, brief); st != 401 {
				t.Errorf("session of an expired token: %d, want 401", st)
			}
		})
	}
}

// Admins list the active sessions and end any; viewers may do neither.
func TestAdminListsAndEndsSessions(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		a := signIn(t, s, s.Token, "Browser A")
		b := signIn(t, s, s.Token, "Browser B "+strings.Repeat("x", 400))
		_, viewer := createToken(t, s, "viewer", "VIEWER")
		v := signIn(t, s, viewer, "Viewer's browser")

		status, r := doWithCookie(t, s, a, `{ sessions { `+sessionFields+` } }`, nil)
		var list struct{ Sessions []sessionOut }
		if status != 200 || len(r.Errors) > 0 || json.Unmarshal(r.Data, &list) != nil || len(list.Sessions) != 3 {
			t.Fatalf("sessions as admin A: %d %+v %s", status, r.Errors, r.Data)
		}
		byUA := map[string]sessionOut{}
		for _, x := range list.Sessions {
			byUA[x.UserAgent[:min(len(x.UserAgent), 9)]] = x
			if x.ClientAddress == "" || x.CreatedAt.IsZero() || x.ExpiresAt.After(x.AbsoluteExpiresAt) || x.EndedAt != nil {
				t.Errorf("session %+v", x)
			}
			if len(x.UserAgent) > 256 {
				t.Errorf("user agent of %d bytes kept", len(x.UserAgent))
			}
		}
		if x := byUA["Browser A"]; !x.Current || x.Role != "ADMIN" || x.TokenName != "bootstrap" {
			t.Errorf("A's own session: %+v, want current, ADMIN, bootstrap", x)
		}
		if x := byUA["Browser B"]; x.Current || x.ID == "" {
			t.Errorf("B's session seen from A: %+v", x)
		}
		if x := byUA["Viewer's "]; x.Current || x.Role != "VIEWER" || x.TokenName != "viewer" {
			t.Errorf("the viewer's session: %+v", x)
		}

		// A viewer sees no sessions, its own cookie or token, and ends none.
		for name, do := range map[string]func(q string, vars map[string]any) *testenv.Response{
			"viewer token": func(q string, vars map[string]any) *testenv.Response { return s.DoAs(t, viewer, q, vars) },
			"viewer cookie": func(q string, vars map[string]any) *testenv.Response {
				_, r := doWithCookie(t, s, v, q, vars)
				return r
			},
		} {
			if r := do(`{ sessions { id userAgent } }`, nil); r.Code() != "FORBIDDEN" {
				t.Errorf("sessions as %s: %s %+v", name, r.Data, r.Errors)
			}
			if r := do(`mutation($id: ID!) { endSession(id: $id) { id } }`, map[string]any{"id": byUA["Browser A"].ID}); r.Code() != "FORBIDDEN" {
				t.Errorf("endSession as %s: %s %+v", name, r.Data, r.Errors)
			}
		}
		if st := cookieStatus(t, s, a); st != 200 {
			t.Errorf("A after the viewer's attempt: %d", st)
		}

		var ended struct{ EndSession sessionOut }
		s.MustDo(t, `mutation($id: ID!) { endSession(id: $id) { `+sessionFields+` } }`, map[string]any{"id": byUA["Browser B"].ID}, &ended)
		if r := ended.EndSession.EndedReason; r == nil || *r != "ENDED_BY_ADMIN" || ended.EndSession.EndedAt == nil {
			t.Errorf("endSession: %+v", ended.EndSession)
		}
		if st := cookieStatus(t, s, b); st != 401 {
			t.Errorf("B after endSession: %d, want 401", st)
		}
		if st := cookieStatus(t, s, a); st != 200 {
			t.Errorf("A after B's end: %d", st)
		}
		s.MustDo(t, `{ sessions { id } }`, nil, &list)
		if len(list.Sessions) != 2 {
			t.Errorf("sessions after endSession: %+v", list.Sessions)
		}
		if r := s.Do(t, `mutation { endSession(id: "38654999999") { id } }`, nil); r.Code() != "NOT_FOUND" {
			t.Errorf("endSession of an unknown ID: %s %+v", r.Data, r.Errors)
		}
	})
}
