package graph_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/scoopa/webhooks/graph"
	"github.com/scoopa/webhooks/internal/testenv"
)

// wsConn is a graphql-transport-ws connection of a test.
type wsConn struct {
	t   *testing.T
	c   *websocket.Conn
	ctx context.Context
}

// dialGraphQLWS opens a graphql-transport-ws socket to s, closed when the
// test ends.
func dialGraphQLWS(ctx context.Context, t testing.TB, s *testenv.Server) *websocket.Conn {
	t.Helper()
	c, _ := dialGraphQLWSFrom(ctx, t, s)
	return c
}

// dialGraphQLWSFrom is dialGraphQLWS, which also returns the client's end
// of the connection (host:port): the server's Sockets know the socket by it.
func dialGraphQLWSFrom(ctx context.Context, t testing.TB, s *testenv.Server) (*websocket.Conn, string) {
	t.Helper()
	var local string
	dialer := &net.Dialer{}
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialer.DialContext(ctx, network, addr)
		if err == nil {
			local = conn.LocalAddr().String()
		}
		return conn, err
	}}}
	c, _, err := websocket.Dial(ctx, strings.Replace(s.URL, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPClient: client})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return c, local
}

// initSocket sends connection_init with token and returns the server's
// answer: connection_ack, or the error that closed the socket.
func initSocket(ctx context.Context, t testing.TB, c *websocket.Conn, token string) (wsMsg, error) {
	t.Helper()
	init, _ := json.Marshal(map[string]string{"Authorization": "Bearer " + token})
	if err := wsjson.Write(ctx, c, wsMsg{Type: "connection_init", Payload: init}); err != nil {
		t.Fatal(err)
	}
	var m wsMsg
	err := wsjson.Read(ctx, c, &m)
	return m, err
}

// dialWS opens a graphql-transport-ws connection and sends connection_init
// with token; it returns once the server acknowledged it.
func dialWS(t *testing.T, s *testenv.Server, token string) *wsConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	c := dialGraphQLWS(ctx, t, s)
	if ack, err := initSocket(ctx, t, c, token); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("no connection_ack: %+v %v", ack, err)
	}
	return &wsConn{t: t, c: c, ctx: ctx}
}

// send starts operation id, with vars if given.
func (w *wsConn) send(id, query string, vars ...map[string]any) error {
	op := map[string]any{"query": query}
	if len(vars) > 0 {
		op["variables"] = vars[0]
	}
	payload, _ := json.Marshal(op)
	return wsjson.Write(w.ctx, w.c, wsMsg{ID: id, Type: "subscribe", Payload: payload})
}

// next reads the next message that is not a ping (answered) or keep-alive.
// A closed socket is returned as a *websocket.CloseError.
func (w *wsConn) next(ctx context.Context) (wsMsg, error) {
	for {
		var m wsMsg
		if err := wsjson.Read(ctx, w.c, &m); err != nil {
			return m, err
		}
		switch m.Type {
		case "ping":
			_ = wsjson.Write(ctx, w.c, wsMsg{Type: "pong"})
		case "pong", "ka":
		default:
			return m, nil
		}
	}
}

// closeCode waits up to d for the socket to close and returns its code, or
// -1 if it stayed open.
func (w *wsConn) closeCode(d time.Duration) websocket.StatusCode {
	ctx, cancel := context.WithTimeout(w.ctx, d)
	defer cancel()
	for {
		_, err := w.next(ctx)
		if err == nil {
			continue
		}
		var ce websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		if ctx.Err() != nil {
			return -1
		}
		return websocket.CloseStatus(err)
	}
}

// wsResult is the outcome of one operation sent over a socket.
type wsResult struct {
	data   string
	code   string // the first error's code, or the socket's close code
	closed bool
}

// do sends a query or mutation (with vars if given) and waits for its
// result.
func (w *wsConn) do(id, query string, vars ...map[string]any) wsResult {
	w.t.Helper()
	if err := w.send(id, query, vars...); err != nil {
		return wsResult{closed: true, code: fmt.Sprint(websocket.CloseStatus(err))}
	}
	for {
		m, err := w.next(w.ctx)
		if err != nil {
			return wsResult{closed: true, code: fmt.Sprint(websocket.CloseStatus(err))}
		}
		if m.ID != id {
			continue
		}
		switch m.Type {
		case "next":
			var p struct {
				Data   json.RawMessage
				Errors []struct{ Extensions map[string]any }
			}
			_ = json.Unmarshal(m.Payload, &p)
			r := wsResult{data: string(p.Data)}
			if len(p.Errors) > 0 {
				r.code, _ = p.Errors[0].Extensions["code"].(string)
			}
			return r
		case "error":
			var errs []struct{ Message string }
			_ = json.Unmarshal(m.Payload, &errs)
			return wsResult{code: "ERROR " + string(m.Payload)}
		case "complete":
			return wsResult{}
		}
	}
}

func adminToken(t *testing.T, s *testenv.Server, name string, expires string) (id, secret string) {
	t.Helper()
	var tok struct {
		CreateAPIToken struct {
			Secret string
			Token  struct{ ID string }
		}
	}
	in := map[string]any{"name": name, "role": "ADMIN"}
	if expires != "" {
		in["expiresAt"] = expires
	}
	s.MustDo(t, `mutation($in: CreateApiTokenInput!) { createApiToken(input: $in) { secret token { id } } }`, map[string]any{"in": in}, &tok)
	return tok.CreateAPIToken.Token.ID, tok.CreateAPIToken.Secret
}

// wsAfterRevocation checks the websocket side of the authorization matrix:
// a revoked ADMIN token's open sockets, on this server instance and on
// another one, are closed with 4401, and an operation sent after the
// revocation is refused, never run.
func wsAfterRevocation(t *testing.T, s *testenv.Server) {
	other := testenv.StartServer(t, testenv.Postgres, map[string]string{
		"SCOOPA_DATABASE_URL": s.Env["SCOOPA_DATABASE_URL"], "SCOOPA_QUEUE": s.Env["SCOOPA_QUEUE"],
		"SCOOPA_SECRET_KEY": s.Env["SCOOPA_SECRET_KEY"], "SCOOPA_ADMIN_TOKEN": s.Token, "TEST_NO_WORKER": "1",
	})
	id, secret := adminToken(t, s, "soon revoked", "")
	here, there, racer := dialWS(t, s, secret), dialWS(t, other, secret), dialWS(t, other, secret)
	if r := here.do("1", `{ viewer { role } }`); r.code != "" || !strings.Contains(r.data, "ADMIN") {
		t.Fatalf("before revocation: %+v", r)
	}
	s.MustDo(t, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, map[string]any{"id": id}, nil)
	if r := s.DoAs(t, secret, `{ viewer { role } }`, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("HTTP after revocation: %+v", r.Errors)
	}
	// Sent at once: the operation is authorised when it runs.
	r := racer.do("2", `mutation { createApiToken(input: {name: "escalate", role: ADMIN}) { secret } }`)
	if strings.Contains(r.data, "scp_") || (!r.closed && r.code != "UNAUTHENTICATED") {
		t.Errorf("mutation on a socket after revocation: %+v, want UNAUTHENTICATED or the socket closed", r)
	}
	start := time.Now()
	for name, c := range map[string]*wsConn{"same instance": here, "other instance": there} {
		// The limit is a second; the wait allows for a loaded machine.
		if code := c.closeCode(10 * time.Second); code != 4401 {
			t.Errorf("%s: socket of the revoked token: close code %d, want 4401", name, code)
		}
	}
	t.Logf("sockets closed %v after the revocation", time.Since(start).Round(time.Millisecond))
}

// An expired token's sockets are closed as well.
func TestWebsocketClosedWhenTokenExpires(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1"})
	id, secret := adminToken(t, s, "expiring", time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	c := dialWS(t, s, secret)
	if r := c.do("1", `{ viewer { role } }`); r.code != "" {
		t.Fatalf("before expiry: %+v", r)
	}
	// Expire it in the database, as the passing of time would.
	db, err := sql.Open("postgres", s.Env["SCOOPA_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	fmt.Sscan(id, &n)
	if _, err := db.Exec(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, n); err != nil {
		t.Fatal(err)
	}
	if code := c.closeCode(10 * time.Second); code != 4401 {
		t.Errorf("socket of the expired token: close code %d, want 4401", code)
	}
}

// Operations on a socket count against the token's rate limit.
func TestWebsocketOperationsAreRateLimited(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_RATE_LIMIT": "1"})
	c := dialWS(t, s, s.Token)
	limited := 0
	for i := range 20 {
		if r := c.do(fmt.Sprint(i), `{ viewer { role } }`); r.code == "RATE_LIMITED" {
			limited++
		} else if r.code != "" {
			t.Fatalf("operation %d: %+v", i, r)
		}
	}
	if limited == 0 {
		t.Error("20 quick operations on one socket at 1/s: none rate-limited")
	}
}

// A socket holds at most SCOOPA_WS_MAX_SUBSCRIPTIONS subscriptions; when
// one ends, another may start.
func TestWebsocketSubscriptionsPerSocket(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_WS_MAX_SUBSCRIPTIONS": "3"})
	c := dialWS(t, s, s.Token)
	const sub = `subscription { webhookCallUpdated { id } }`
	for i := range 4 {
		if err := c.send(fmt.Sprint(i), sub); err != nil {
			t.Fatal(err)
		}
	}
	// They start concurrently: any one of the four is refused.
	m, err := c.next(c.ctx)
	if err != nil || m.Type != "next" || !strings.Contains(string(m.Payload), "SUBSCRIPTION_LIMIT_EXCEEDED") {
		t.Fatalf("four subscriptions, at most three: %+v %v, want one refused with SUBSCRIPTION_LIMIT_EXCEEDED", m, err)
	}
	running := "0"
	if m.ID == "0" {
		running = "1"
	}
	if err := wsjson.Write(c.ctx, c.c, wsMsg{ID: running, Type: "complete"}); err != nil {
		t.Fatal(err)
	}
	n := 0
	testenv.Eventually(t, 10*time.Second, "a subscription slot after one completed", func() bool {
		n++
		id := fmt.Sprint("again", n)
		if err := c.send(id, sub); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(c.ctx, 500*time.Millisecond)
		defer cancel()
		for {
			m, err := c.next(ctx)
			if err != nil {
				return true // no answer: it is running
			}
			if m.ID == id {
				return false // refused
			}
		}
	})
}

// A socket that never sends connection_init is closed with 4408.
func TestWebsocketInitTimeout(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_WS_INIT_TIMEOUT": "1s"})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, strings.Replace(s.URL, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	var m wsMsg
	err = wsjson.Read(ctx, c, &m)
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != 4408 {
		t.Errorf("silent socket: %v, want closed with 4408", err)
	}
}

// The console's socket is authenticated by its session cookie, and its
// operations by the same session as they run.
func TestWebsocketWithSessionCookie(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	h := http.Header{}
	h.Set("Cookie", graph.SessionCookie+"="+signIn(t, s, s.Token).Value)
	c, _, err := websocket.Dial(ctx, strings.Replace(s.URL, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	_ = wsjson.Write(ctx, c, wsMsg{Type: "connection_init", Payload: json.RawMessage(`{}`)})
	var ack wsMsg
	if err := wsjson.Read(ctx, c, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("no connection_ack: %+v %v", ack, err)
	}
	w := &wsConn{t: t, c: c, ctx: ctx}
	if r := w.do("1", `{ viewer { role } }`); r.code != "" || !strings.Contains(r.data, "ADMIN") {
		t.Errorf("query over the cookie's socket: %+v", r)
	}
}
