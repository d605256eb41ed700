package testenv

import (
	"context"
	"encoding/json"
	"fmt"
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
	go func() {
		defer close(out)
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
	// place: give it a moment.
	time.Sleep(300 * time.Millisecond)
	return out
}
