package testenv

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// wsMessage is one message of the graphql-transport-ws protocol.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Subscribe opens a graphql-transport-ws socket to the server at baseURL,
// authenticates with token, starts the subscription query and returns the
// data of its events. The channel is closed when the socket ends (the
// server went away) or ctx does; pings are answered.
func Subscribe(ctx context.Context, t testing.TB, baseURL, token, query string) <-chan json.RawMessage {
	t.Helper()
	before := LiveSubscriptions(t, baseURL)
	c, _, err := websocket.Dial(ctx, strings.Replace(baseURL, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial %s: %v", baseURL, err)
	}
	c.SetReadLimit(1 << 20)
	init, _ := json.Marshal(map[string]string{"Authorization": "Bearer " + token})
	var ack wsMessage
	if err := wsjson.Write(ctx, c, wsMessage{Type: "connection_init", Payload: init}); err != nil {
		t.Fatalf("connection_init: %v", err)
	}
	if err := wsjson.Read(ctx, c, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("no connection_ack from %s: %+v %v", baseURL, ack, err)
	}
	payload, _ := json.Marshal(map[string]any{"query": query})
	if err := wsjson.Write(ctx, c, wsMessage{ID: "1", Type: "subscribe", Payload: payload}); err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	out := make(chan json.RawMessage, 1024)
	ended := make(chan struct{})
	go func() {
		defer close(out)
		defer close(ended)
		defer c.CloseNow()
		for {
			var m wsMessage
			if err := wsjson.Read(ctx, c, &m); err != nil {
				return
			}
			switch m.Type {
			case "next":
				var p struct {
					Data   json.RawMessage `json:"data"`
					Errors json.RawMessage `json:"errors"`
				}
				_ = json.Unmarshal(m.Payload, &p)
				if len(p.Errors) > 0 {
					p.Data = json.RawMessage(fmt.Sprintf(`{"errors": %s}`, p.Errors))
				}
				select {
				case out <- p.Data:
				case <-ctx.Done():
					return
				}
			case "ping":
				_ = wsjson.Write(ctx, c, wsMessage{Type: "pong"})
			case "error", "complete":
				return
			}
		}
	}()
	// The protocol does not say when the server has the subscription in
	// place; the server's gauge of live subscriptions does (this one is
	// the test's only subscriber of the server being subscribed).
	Eventually(t, 20*time.Second, "the subscription to be in place on "+baseURL, func() bool {
		select {
		case <-ended:
			return true // refused, or the socket ended: the channel says so
		default:
			return LiveSubscriptions(t, baseURL) > before
		}
	})
	return out
}

// LiveSubscriptions reads the gauge scoopa_subscriptions of the server at
// baseURL: its subscriptions in place. A test whose own client subscribes
// waits for it to grow before it makes the events it expects.
func LiveSubscriptions(t testing.TB, baseURL string) int {
	t.Helper()
	resp, err := http.Get(baseURL + "/metrics")
	if err != nil {
		t.Fatalf("metrics of %s: %v", baseURL, err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "scoopa_subscriptions "); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("scoopa_subscriptions of %s: %q", baseURL, v)
			}
			return n
		}
	}
	t.Fatalf("no scoopa_subscriptions in the metrics of %s (status %d)", baseURL, resp.StatusCode)
	return 0
}
