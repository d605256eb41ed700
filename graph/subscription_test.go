package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
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
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c, _, err := websocket.Dial(ctx, strings.Replace(s.URL, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.CloseNow() })
	init, _ := json.Marshal(map[string]string{"Authorization": "Bearer " + token})
	if err := wsjson.Write(ctx, c, wsMsg{Type: "connection_init", Payload: init}); err != nil {
		t.Fatal(err)
	}
	var ack wsMsg
	if err := wsjson.Read(ctx, c, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("no connection_ack: %+v %v", ack, err)
	}
	payload, _ := json.Marshal(map[string]any{"query": query})
	if err := wsjson.Write(ctx, c, wsMsg{ID: "1", Type: "subscribe", Payload: payload}); err != nil {
		t.Fatal(err)
	}
	out := make(chan json.RawMessage, 100)
	go func() {
		defer close(out)
		for {
			var m wsMsg
			if err := wsjson.Read(ctx, c, &m); err != nil {
				return
			}
			switch m.Type {
			case "next":
				var p struct{ Data json.RawMessage }
				_ = json.Unmarshal(m.Payload, &p)
				out <- p.Data
			case "ping":
				_ = wsjson.Write(ctx, c, wsMsg{Type: "pong"})
			}
		}
	}()
	// The subscription is in place once the server has it; there is no
	// message for that in the protocol, so give the server a moment.
	time.Sleep(200 * time.Millisecond)
	return out
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
	time.Sleep(200 * time.Millisecond)
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
