package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/events"
	"github.com/scoopa/webhooks/internal/testenv"
)

type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// subscribe opens a graphql-transport-ws subscription and returns its
// events' data.
func subscribe(t testing.TB, s *testenv.Server, token, query string) <-chan json.RawMessage {
	t.Helper()
	full := subscribeFull(t, s, token, query)
	out := make(chan json.RawMessage, 100)
	go func() {
		defer close(out)
		for e := range full {
			out <- e.Data
		}
	}()
	return out
}

// wsEvent is the payload of one "next" message.
type wsEvent struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// subscribeFull opens a graphql-transport-ws subscription and returns its
// events, errors included.
func subscribeFull(t testing.TB, s *testenv.Server, token, query string) <-chan wsEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c, local := dialSubscriptionFrom(t, s, token, query)
	out := make(chan wsEvent, 100)
	ended := make(chan struct{}) // the subscription ended, or was refused
	go func() {
		defer close(out)
		defer close(ended)
		for {
			var m wsMsg
			if err := wsjson.Read(ctx, c, &m); err != nil {
				return
			}
			switch m.Type {
			case "next":
				var p wsEvent
				_ = json.Unmarshal(m.Payload, &p)
				out <- p
			case "ping":
				_ = wsjson.Write(ctx, c, wsMsg{Type: "pong"})
			case "error", "complete":
				return
			}
		}
	}()
	// The protocol has no message for a subscription in place: the
	// server's registry of sockets tells.
	testenv.Eventually(t, 20*time.Second, "the subscription to be in place", func() bool {
		select {
		case <-ended:
			return true
		default:
			return s.Sockets().Subscribed(local) > 0
		}
	})
	return out
}

// dialSubscription opens a graphql-transport-ws socket and starts the
// subscription "1" on it.
func dialSubscription(t testing.TB, s *testenv.Server, token, query string) *websocket.Conn {
	t.Helper()
	c, _ := dialSubscriptionFrom(t, s, token, query)
	return c
}

// dialSubscriptionFrom is dialSubscription, which also returns the
// client's end of the connection.
func dialSubscriptionFrom(t testing.TB, s *testenv.Server, token, query string) (*websocket.Conn, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, local := dialGraphQLWSFrom(ctx, t, s)
	if ack, err := initSocket(ctx, t, c, token); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("no connection_ack: %+v %v", ack, err)
	}
	payload, _ := json.Marshal(map[string]any{"query": query})
	if err := wsjson.Write(ctx, c, wsMsg{ID: "1", Type: "subscribe", Payload: payload}); err != nil {
		t.Fatal(err)
	}
	return c, local
}

// statuses collects the statuses of one call from events until it reaches
// a final one.
func statuses(t *testing.T, events <-chan json.RawMessage, timeout time.Duration) []string {
	t.Helper()
	var got []string
	deadline := time.After(timeout)
	for {
		select {
		case e, ok := <-events:
			if !ok {
				t.Fatalf("subscription ended after %v", got)
			}
			var d struct{ WebhookCallUpdated struct{ Status string } }
			_ = json.Unmarshal(e, &d)
			got = append(got, d.WebhookCallUpdated.Status)
			if st := d.WebhookCallUpdated.Status; st == "SUCCEEDED" || st == "FAILED" {
				return got
			}
		case <-deadline:
			t.Fatalf("timed out with %v", got)
		}
	}
}

// A file whose receiver fails once: a subscriber sees PENDING, RUNNING,
// RETRYING, RUNNING, SUCCEEDED; so does a subscriber of a second server
// instance, since events travel over Redis.
func TestSubscriptionFollowsACall(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		rc := testenv.NewReceiver(t)
		rc.SetScript(func(n int, _ http.ResponseWriter) int {
			if n == 1 {
				return 503
			}
			return 200
		})
		folder := createFolder(t, s, "Live")
		createWebhook(t, s, map[string]any{"name": "live", "url": rc.URL, "folderIDs": []string{folder}, "active": true})
		const q = `subscription { webhookCallUpdated(kinds: [DELIVERY]) { id status attemptCount fileName } }`
		events := subscribe(t, s, s.Token, q)
		var second <-chan json.RawMessage
		if s.Kind == testenv.Postgres {
			other := testenv.StartServer(t, testenv.Postgres, map[string]string{
				"SCOOPA_DATABASE_URL": s.Env["SCOOPA_DATABASE_URL"], "SCOOPA_QUEUE": s.Env["SCOOPA_QUEUE"],
				"SCOOPA_SECRET_KEY": s.Env["SCOOPA_SECRET_KEY"], "SCOOPA_ADMIN_TOKEN": s.Token, "TEST_NO_WORKER": "1",
			})
			second = subscribe(t, other, s.Token, q)
		}
		if r := s.Upload(t, folder, "live.mov", "video/quicktime", []byte("x")); len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		want := []string{"PENDING", "RUNNING", "RETRYING", "RUNNING", "SUCCEEDED"}
		if got := statuses(t, events, 20*time.Second); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("statuses %v, want %v", got, want)
		}
		if second != nil {
			if got := statuses(t, second, 20*time.Second); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("second server instance: statuses %v, want %v", got, want)
			}
		}
	})
}

func TestSubscriptionRefusesBadToken(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		for _, tc := range []struct{ name, auth string }{
			{"bad token", "Bearer scp_nope"},
			{"no token", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				c, _, err := websocket.Dial(ctx, strings.Replace(s.URL, "http", "ws", 1)+"/graphql",
					&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
				if err != nil {
					t.Fatal(err)
				}
				defer c.CloseNow()
				payload := json.RawMessage(`{}`)
				if tc.auth != "" {
					payload, _ = json.Marshal(map[string]string{"Authorization": tc.auth})
				}
				_ = wsjson.Write(ctx, c, wsMsg{Type: "connection_init", Payload: payload})
				for {
					var m wsMsg
					err := wsjson.Read(ctx, c, &m)
					if err == nil {
						if m.Type == "connection_ack" || m.Type == "next" {
							t.Fatalf("got %s, want the socket closed", m.Type)
						}
						continue
					}
					var ce websocket.CloseError
					if !errors.As(err, &ce) || ce.Code != 4401 {
						t.Fatalf("closed with %v, want 4401", err)
					}
					return
				}
			})
		}
	})
}

// The older subscriptions-transport-ws protocol ("graphql-ws") works too.
func TestSubscriptionOlderProtocol(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, strings.Replace(s.URL, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if c.Subprotocol() != "graphql-ws" {
		t.Fatalf("server chose %q", c.Subprotocol())
	}
	init, _ := json.Marshal(map[string]string{"Authorization": "Bearer " + s.Token})
	_ = wsjson.Write(ctx, c, wsMsg{Type: "connection_init", Payload: init})
	var m wsMsg
	for m.Type != "connection_ack" {
		if err := wsjson.Read(ctx, c, &m); err != nil {
			t.Fatalf("no connection_ack: %v", err)
		}
	}
	q, _ := json.Marshal(map[string]any{"query": `subscription { webhookCallUpdated { id status } }`})
	_ = wsjson.Write(ctx, c, wsMsg{ID: "1", Type: "start", Payload: q})
	waitSubscribers(t, s, 1)
	folder := createFolder(t, s, "old")
	rc := testenv.NewReceiver(t)
	createWebhook(t, s, map[string]any{"name": "old", "url": rc.URL, "folderIDs": []string{folder}, "active": true})
	for {
		if err := wsjson.Read(ctx, c, &m); err != nil {
			t.Fatalf("no event: %v", err)
		}
		if m.Type == "data" && strings.Contains(string(m.Payload), "webhookCallUpdated") {
			return
		}
	}
}

// callFields selects every field and edge of WebhookCall, and the fields of
// the related objects (resolvers included) a client may ask for.
const callFields = `id kind status origin filter targetURL webhookName fileName folderName payload
	attemptCount nextAttemptAt responseStatus error createdAt completedAt
	webhook { id name url active allFolders filter validationStatus lastValidatedAt lastValidationError
		createdAt updatedAt signingSecret folders { id name } headers { name value }
		lastCall { id status } callStats24h { pending running retrying succeeded failed canceled } }
	file { id name contentType sizeBytes sha256 createdAt downloadURL folder { id name } }
	folder { id name createdAt webhooks { id name } }
	attempts { id number startedAt durationMs responseStatus error responseBody }`

// An event resolves every field and edge of WebhookCall as a query does:
// each event of a call comes without errors, and the last one equals what
// node() answers for the call afterwards (but for the download link, signed
// anew at every request).
func TestSubscriptionResolvesEveryField(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		rc := testenv.NewReceiver(t)
		folder := createFolder(t, s, "Edges")
		wh := createWebhook(t, s, map[string]any{"name": "edges", "url": rc.URL, "folderIDs": []string{folder}, "active": true,
			"filter": ".mov", "headers": []map[string]string{{"name": "X-Key", "value": "secret-value"}}})
		events := subscribeFull(t, s, s.Token, `subscription { webhookCallUpdated(webhookID: "`+wh.ID+`", kinds: [DELIVERY]) { `+callFields+` } }`)
		if r := s.Upload(t, folder, "edges.mov", "video/quicktime", []byte("x")); len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		var last json.RawMessage
		deadline := time.After(30 * time.Second)
		for last == nil {
			select {
			case e, ok := <-events:
				if !ok {
					t.Fatal("subscription ended")
				}
				if len(e.Errors) > 0 {
					t.Fatalf("event with errors: %+v (data %s)", e.Errors, e.Data)
				}
				var d struct{ WebhookCallUpdated map[string]any }
				if err := json.Unmarshal(e.Data, &d); err != nil || d.WebhookCallUpdated == nil {
					t.Fatalf("event without a call: %s", e.Data)
				}
				c := d.WebhookCallUpdated
				for _, edge := range []string{"webhook", "file", "folder", "attempts"} {
					if c[edge] == nil {
						t.Fatalf("%s event: %s is null: %s", c["status"], edge, e.Data)
					}
				}
				if c["status"] == "SUCCEEDED" {
					last, _ = json.Marshal(c)
				}
			case <-deadline:
				t.Fatal("no SUCCEEDED event within 30s")
			}
		}
		var event map[string]any
		_ = json.Unmarshal(last, &event)
		var q struct{ Node map[string]any }
		s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on WebhookCall { `+callFields+` } } }`, map[string]any{"id": event["id"]}, &q)
		for _, m := range []map[string]any{event, q.Node} {
			f := m["file"].(map[string]any)
			if f["downloadURL"] == "" {
				t.Errorf("empty downloadURL")
			}
			delete(f, "downloadURL")
		}
		if !reflect.DeepEqual(q.Node, event) {
			want, _ := json.MarshalIndent(q.Node, "", "  ")
			got, _ := json.MarshalIndent(event, "", "  ")
			t.Errorf("event differs from the query\nquery: %s\nevent: %s", want, got)
		}
	})
}

// readUntilClosed reads messages until the server closes the socket and
// returns the close code; it fails the test if subscription "1" completes or
// errs instead, since a graphql-ws client does not subscribe again then.
func readUntilClosed(t *testing.T, c *websocket.Conn, timeout time.Duration) websocket.StatusCode {
	t.Helper()
	code, err := readClose(c, timeout)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// readUntilClosedWhile is readUntilClosed with the socket read while stop
// runs, as a client reads it: a server closing a socket waits for the
// client's answer to its close frame (up to 5 s when nobody reads).
func readUntilClosedWhile(t *testing.T, c *websocket.Conn, timeout time.Duration, stop func()) websocket.StatusCode {
	t.Helper()
	type closed struct {
		code websocket.StatusCode
		err  error
	}
	got := make(chan closed, 1)
	go func() {
		code, err := readClose(c, timeout)
		got <- closed{code, err}
	}()
	stop()
	r := <-got
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.code
}

// readClose is readUntilClosed returning what went wrong.
func readClose(c *websocket.Conn, timeout time.Duration) (websocket.StatusCode, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		var m wsMsg
		err := wsjson.Read(ctx, c, &m)
		if err != nil {
			var ce websocket.CloseError
			if !errors.As(err, &ce) {
				return 0, fmt.Errorf("socket ended without a close code: %w", err)
			}
			return ce.Code, nil
		}
		if m.Type == "complete" || m.Type == "error" {
			return 0, fmt.Errorf("subscription ended with %q %s while the socket stays open: clients are not told to reconnect", m.Type, m.Payload)
		}
	}
}

// flood publishes 3,000 call events of 8 KiB each to s's subscribers: one
// that reads nothing meanwhile falls behind once its socket's buffers (a
// few MB on loopback) are full.
func flood(t *testing.T, s *testenv.Server) {
	t.Helper()
	opt, err := redis.ParseURL(s.Env["SCOOPA_REDIS_URL"])
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	pub := events.NewRedisEvents(rdb, s.Env["SCOOPA_QUEUE"])
	payload := strings.Repeat("x", 8<<10)
	for i := 1; i <= 3000; i++ {
		if err := pub.Publish(context.Background(), &ent.WebhookCall{ID: i, Kind: webhookcall.KindDELIVERY, Status: webhookcall.StatusRUNNING, Payload: payload}); err != nil {
			t.Fatal(err)
		}
	}
}

// A subscriber that falls more than SubscriberBuffer events behind is
// dropped, and its socket is closed with 1013 (try again later): graphql-ws
// clients reconnect on it after a back-off and subscribe again.
func TestSlowSubscriberIsToldToReconnect(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1"})
	c := dialSubscription(t, s, s.Token, `subscription { webhookCallUpdated { id payload } }`)
	defer c.CloseNow()
	waitSubscribers(t, s, 1)
	flood(t, s) // the test reads nothing meanwhile: the subscriber falls behind
	if code := readUntilClosed(t, c, 30*time.Second); code != websocket.StatusTryAgainLater {
		t.Errorf("socket closed with %d, want %d (try again later)", code, websocket.StatusTryAgainLater)
	}
}

// When the server stops, its websockets are closed last, with 1012 (service
// restart): graphql-ws clients reconnect on it after a back-off of a second
// or more, while on 1000 they try again at once, meet the closed port and
// give up. The restarted server takes them back.
func TestSubscriptionAcrossRestart(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	c := dialSubscription(t, s, s.Token, `subscription { webhookCallUpdated { id status } }`)
	defer c.CloseNow()
	waitSubscribers(t, s, 1)
	if code := readUntilClosedWhile(t, c, 30*time.Second, s.Stop); code != websocket.StatusServiceRestart {
		t.Errorf("socket closed with %d, want %d (service restart)", code, websocket.StatusServiceRestart)
	}
	again := testenv.StartServer(t, testenv.Embedded, s.Env)
	events := subscribe(t, again, s.Token, `subscription { webhookCallUpdated(kinds: [VALIDATION]) { id status } }`)
	rc := testenv.NewReceiver(t)
	createWebhook(t, again, map[string]any{"name": "after restart", "url": rc.URL, "allFolders": true, "active": true})
	select {
	case e, ok := <-events:
		if !ok {
			t.Fatal("subscription ended")
		}
		if !strings.Contains(string(e), `"status"`) {
			t.Errorf("event %s", e)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no event after the restart")
	}
}
