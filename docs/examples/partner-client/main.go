// Partner-client is a partner's client of the scoopa webhooks API, meant to
// be copied. With nothing but its PARTNER token it lists its webhooks with
// their last 24 hours, its last 10 calls, then follows its calls live (the
// webhookCallUpdated subscription, over graphql-transport-ws) and prints
// each update as one line until interrupted.
//
// Usage:
//
//	SCOOPA_URL=https://webhooks.example SCOOPA_TOKEN=... go run .
//	go run . -url https://webhooks.example -token ... -events 10
//
// A PARTNER token needs no filter: the server sends it only the calls of
// its own webhooks. When the server restarts (close code 1012) or asks to
// be tried again later (1013), the client waits a moment, lists again what
// it may have missed, and subscribes again. It uses the Go standard library
// and github.com/coder/websocket only.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "partner-client:", err)
		os.Exit(1)
	}
}

// overviewQuery is what the client lists first: who the token is, its
// webhooks with their calls of the last 24 hours, and its last 10 calls.
const overviewQuery = `query Overview {
  viewer { role tokenName manage }
  webhooks(first: 100) {
    edges { node { id name url active callStats24h { pending running retrying succeeded failed canceled } } }
  }
  webhookCalls(first: 10) {
    edges { node { id createdAt status webhookName fileName attemptCount responseStatus error } }
  }
}`

// updatesQuery follows every call update the token may see: no filter.
const updatesQuery = `subscription Updates {
  webhookCallUpdated { id status webhookName fileName attemptCount responseStatus error }
}`

// run lists the overview, then prints call updates until ctx ends or, with
// -events, that many were printed.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("partner-client", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", getenv("SCOOPA_URL"), "the scoopa server, e.g. https://webhooks.example (default $SCOOPA_URL)")
	token := fs.String("token", getenv("SCOOPA_TOKEN"), "the partner's API token (default $SCOOPA_TOKEN)")
	limit := fs.Int("events", 0, "stop after this many call updates (0: until interrupted)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := newClient(*base, *token)
	if err != nil {
		return err
	}
	if *limit < 0 {
		return errors.New("-events: must be 0 (no limit) or more")
	}
	printed, connected := 0, false
	for retry := 0; ; retry++ {
		err := c.overview(ctx, stdout)
		if err == nil {
			err = c.follow(ctx, stdout, stderr, &printed, *limit, &connected)
		}
		if ctx.Err() != nil || (err == nil && *limit > 0 && printed >= *limit) {
			return nil
		}
		var again *tryAgain
		if err != nil && (!errors.As(err, &again) || !connected) {
			return err // refused, or the server was never reached
		}
		wait := min(time.Second<<min(retry, 5), 30*time.Second)
		fmt.Fprintf(stderr, "%v; reconnecting in %s\n", err, wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// client talks to one scoopa server with one token.
type client struct {
	httpURL, wsURL, token string
	http                  *http.Client
}

func newClient(base, token string) (*client, error) {
	base = strings.TrimRight(base, "/")
	var ws string
	switch {
	case base == "":
		return nil, errors.New("no server: set SCOOPA_URL or -url (e.g. https://webhooks.example)")
	case strings.HasPrefix(base, "https://"):
		ws = "wss://" + strings.TrimPrefix(base, "https://")
	case strings.HasPrefix(base, "http://"):
		ws = "ws://" + strings.TrimPrefix(base, "http://")
	default:
		return nil, fmt.Errorf("-url %q: must start with https:// or http://", base)
	}
	if token == "" {
		return nil, errors.New("no token: set SCOOPA_TOKEN or -token to the API token the platform gave you")
	}
	return &client{httpURL: base + "/graphql", wsURL: ws + "/graphql", token: token, http: &http.Client{Timeout: 30 * time.Second}}, nil
}

// tryAgain is a failure worth trying again after a while: the server
// restarting, unreachable, or busy.
type tryAgain struct{ err error }

func (e *tryAgain) Error() string { return e.err.Error() }
func (e *tryAgain) Unwrap() error { return e.err }

// gqlError is one error of a GraphQL answer.
type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// query POSTs a query and decodes its data into out.
func (c *client) query(ctx context.Context, query string, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.httpURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return &tryAgain{fmt.Errorf("cannot reach %s: %w", c.httpURL, err)}
	}
	defer resp.Body.Close()
	var answer struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	decodeErr := json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(&answer)
	why := ""
	if len(answer.Errors) > 0 {
		why = answer.Errors[0].Message
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("the server refused the token (HTTP 401): %s; check SCOOPA_TOKEN: it may be mistyped, revoked or expired", why)
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return &tryAgain{fmt.Errorf("%s answered HTTP %d: %s", c.httpURL, resp.StatusCode, why)}
	case decodeErr != nil:
		return fmt.Errorf("%s answered HTTP %d, not a GraphQL answer: %v", c.httpURL, resp.StatusCode, decodeErr)
	case len(answer.Errors) > 0:
		return fmt.Errorf("the query failed (%s): %s", answer.Errors[0].Extensions.Code, why)
	}
	return json.Unmarshal(answer.Data, out)
}

// call is a call as both queries select it.
type call struct {
	ID             string
	CreatedAt      time.Time
	Status         string
	WebhookName    string
	FileName       *string
	AttemptCount   int
	ResponseStatus *int
	Error          *string
}

// line is the call in one line: status, webhook, file, attempts, the
// receiver's last answer or error.
func (c call) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-9s webhook=%q", c.Status, c.WebhookName)
	if c.FileName != nil {
		fmt.Fprintf(&b, " file=%q", *c.FileName)
	}
	fmt.Fprintf(&b, " attempts=%d", c.AttemptCount)
	if c.ResponseStatus != nil {
		fmt.Fprintf(&b, " http=%d", *c.ResponseStatus)
	}
	if c.Error != nil {
		fmt.Fprintf(&b, " error=%q", *c.Error)
	}
	fmt.Fprintf(&b, " id=%s", c.ID)
	return b.String()
}

// overview prints the token, its webhooks and its last 10 calls.
func (c *client) overview(ctx context.Context, w io.Writer) error {
	var got struct {
		Viewer struct {
			Role, TokenName string
			Manage          bool
		}
		Webhooks struct {
			Edges []struct {
				Node struct {
					ID, Name, URL string
					Active        bool
					CallStats24h  struct{ Pending, Running, Retrying, Succeeded, Failed, Canceled int }
				}
			}
		}
		WebhookCalls struct {
			Edges []struct{ Node call }
		}
	}
	if err := c.query(ctx, overviewQuery, &got); err != nil {
		return err
	}
	v := got.Viewer
	grant := ""
	if v.Manage {
		grant = ", may change delivery settings"
	}
	fmt.Fprintf(w, "token %q (%s%s)\n", v.TokenName, v.Role, grant)
	fmt.Fprintf(w, "webhooks (%d):\n", len(got.Webhooks.Edges))
	for _, e := range got.Webhooks.Edges {
		h, s := e.Node, e.Node.CallStats24h
		fmt.Fprintf(w, "  %q %s active=%t id=%s\n    last 24h: %d succeeded, %d failed, %d retrying, %d pending, %d running, %d canceled\n",
			h.Name, h.URL, h.Active, h.ID, s.Succeeded, s.Failed, s.Retrying, s.Pending, s.Running, s.Canceled)
	}
	fmt.Fprintf(w, "last calls (%d):\n", len(got.WebhookCalls.Edges))
	for _, e := range got.WebhookCalls.Edges {
		fmt.Fprintf(w, "  %s %s\n", e.Node.CreatedAt.Format(time.RFC3339), e.Node.line())
	}
	return nil
}

// wsMessage is a message of the graphql-transport-ws protocol.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// follow subscribes to call updates and prints each as one line, counting
// them in printed, until ctx ends, limit are printed (limit > 0) or the socket
// ends. connected is set once the server accepted the token.
func (c *client) follow(ctx context.Context, stdout, stderr io.Writer, printed *int, limit int, connected *bool) error {
	dialCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(dialCtx, c.wsURL, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			return fmt.Errorf("the server refused the token (HTTP 401); check SCOOPA_TOKEN")
		}
		return &tryAgain{fmt.Errorf("cannot open a websocket to %s: %w", c.wsURL, err)}
	}
	defer conn.CloseNow()
	conn.SetReadLimit(1 << 20)

	// 1. connection_init carries the token; the server answers
	// connection_ack, or closes the socket with 4401 if it refuses it.
	init, _ := json.Marshal(map[string]string{"Authorization": "Bearer " + c.token})
	if err := wsjson.Write(dialCtx, conn, wsMessage{Type: "connection_init", Payload: init}); err != nil {
		return closed(err)
	}
	var ack wsMessage
	if err := wsjson.Read(dialCtx, conn, &ack); err != nil {
		return closed(err)
	}
	if ack.Type != "connection_ack" {
		return fmt.Errorf("the server answered connection_init with %q, not connection_ack", ack.Type)
	}
	*connected = true
	// 2. One subscription, "1", without arguments: a PARTNER token gets
	// the updates of its own webhooks' calls.
	sub, _ := json.Marshal(map[string]string{"query": updatesQuery})
	if err := wsjson.Write(ctx, conn, wsMessage{ID: "1", Type: "subscribe", Payload: sub}); err != nil {
		return closed(err)
	}
	fmt.Fprintln(stderr, "following call updates (Ctrl-C to stop)")
	// 3. Its events, until the end.
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, conn, &m); err != nil {
			if ctx.Err() != nil {
				conn.Close(websocket.StatusNormalClosure, "")
				return nil
			}
			return closed(err)
		}
		switch m.Type {
		case "next":
			var p struct {
				Data struct {
					WebhookCallUpdated call
				}
				Errors []gqlError
			}
			if err := json.Unmarshal(m.Payload, &p); err != nil {
				return fmt.Errorf("an update that is not JSON: %w", err)
			}
			if len(p.Errors) > 0 {
				fmt.Fprintf(stderr, "an update with an error: %s\n", p.Errors[0].Message)
				continue
			}
			fmt.Fprintf(stdout, "%s %s\n", time.Now().Format(time.RFC3339), p.Data.WebhookCallUpdated.line())
			if *printed++; limit > 0 && *printed >= limit {
				conn.Close(websocket.StatusNormalClosure, "")
				return nil
			}
		case "ping":
			if err := wsjson.Write(ctx, conn, wsMessage{Type: "pong"}); err != nil {
				return closed(err)
			}
		case "error":
			return fmt.Errorf("the subscription was refused: %s", m.Payload)
		case "complete":
			return &tryAgain{errors.New("the server ended the subscription")}
		}
	}
}

// closed explains why the socket ended: refused (the token, too many
// connections) or worth trying again (a restart, a busy server, the
// network).
func closed(err error) error {
	switch code := websocket.CloseStatus(err); {
	case code == 4401:
		return fmt.Errorf("the server refused the token (%d %s); check SCOOPA_TOKEN: it may be mistyped, revoked or expired", code, reason(err))
	case code >= 4000:
		return fmt.Errorf("the server closed the connection (%d %s)", code, reason(err))
	case code == -1:
		return &tryAgain{fmt.Errorf("the connection broke: %w", err)}
	default:
		return &tryAgain{fmt.Errorf("the server closed the connection (%d %s)", code, reason(err))}
	}
}

func reason(err error) string {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Reason
	}
	return ""
}
