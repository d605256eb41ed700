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
	"strconv"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// defaultURL is the server when neither --url nor SCOOPA_URL names one.
const defaultURL = "http://localhost:8080"

// commonFlags adds --url, --token and --webhook to fs.
func commonFlags(fs *flag.FlagSet, getenv func(string) string) (base, token, webhook *string) {
	def := getenv("SCOOPA_URL")
	if def == "" {
		def = defaultURL
	}
	base = fs.String("url", def, "the scoopa server (default $SCOOPA_URL, else "+defaultURL+")")
	token = fs.String("token", getenv("SCOOPA_TOKEN"), "an ADMIN token, or the webhook's PARTNER token (default $SCOOPA_TOKEN)")
	webhook = fs.String("webhook", "", "the webhook's ID (required)")
	return base, token, webhook
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
	case strings.HasPrefix(base, "https://"):
		ws = "wss://" + strings.TrimPrefix(base, "https://")
	case strings.HasPrefix(base, "http://"):
		ws = "ws://" + strings.TrimPrefix(base, "http://")
	default:
		return nil, fmt.Errorf("--url %q: must start with https:// or http://", base)
	}
	if token == "" {
		return nil, errors.New("no token: set SCOOPA_TOKEN or --token to your API token")
	}
	return &client{httpURL: base + "/graphql", wsURL: ws + "/graphql", token: token, http: &http.Client{Timeout: 30 * time.Second}}, nil
}

// webhookID checks the --webhook flag: the numeric ID the console and the
// API show.
func webhookID(s string) (string, error) {
	if s == "" {
		return "", errors.New("--webhook: required: the ID of the webhook")
	}
	if _, err := strconv.ParseInt(s, 10, 64); err != nil {
		return "", fmt.Errorf("--webhook %q: not a webhook ID (a number, as the console and the API show it)", s)
	}
	return s, nil
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

// queryError is a GraphQL answer's first error.
type queryError struct{ gqlError }

func (e *queryError) Error() string {
	return fmt.Sprintf("the server refused the request (%s): %s", e.Extensions.Code, e.Message)
}

// errBadToken is the answer to a token the server refused.
func errBadToken(how, why string) error {
	if why != "" {
		why = ": " + why
	}
	return fmt.Errorf("the server refused the token (%s%s); check SCOOPA_TOKEN or --token: it may be mistyped, revoked or expired", how, why)
}

// query POSTs a GraphQL request and decodes its data into out.
func (c *client) query(ctx context.Context, query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
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
		return errBadToken("HTTP 401", why)
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return &tryAgain{fmt.Errorf("%s answered HTTP %d: %s", c.httpURL, resp.StatusCode, why)}
	case decodeErr != nil:
		return fmt.Errorf("%s answered HTTP %d, not a GraphQL answer: %v", c.httpURL, resp.StatusCode, decodeErr)
	case len(answer.Errors) > 0:
		return &queryError{answer.Errors[0]}
	}
	return json.Unmarshal(answer.Data, out)
}

// webhook is what the tool shows of the webhook it works for.
type webhook struct {
	ID, Name string
}

// webhook looks the webhook up: one the token may reach, or an error that
// says it has none of that ID.
func (c *client) webhook(ctx context.Context, id string) (webhook, error) {
	var got struct {
		Node *struct {
			Typename string `json:"__typename"`
			ID, Name string
		}
	}
	err := c.query(ctx, `query Webhook($id: ID!) { node(id: $id) { __typename ... on Webhook { id name } } }`, map[string]any{"id": id}, &got)
	var qe *queryError
	if errors.As(err, &qe) && qe.Extensions.Code == "NOT_FOUND" || err == nil && (got.Node == nil || got.Node.Typename != "Webhook") {
		return webhook{}, fmt.Errorf("no webhook %s for this token", id)
	} else if err != nil {
		return webhook{}, err
	}
	return webhook{ID: got.Node.ID, Name: got.Node.Name}, nil
}

// wsMessage is a message of the graphql-transport-ws protocol.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// subscribe opens a websocket, runs one subscription on it and hands each
// event's data to each until ctx ends (nil) or the socket ends. connected
// is called once the server accepted the token and the subscription.
func (c *client) subscribe(ctx context.Context, query string, vars map[string]any, connected func(), each func(json.RawMessage)) error {
	dialCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(dialCtx, c.wsURL, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			return errBadToken("HTTP 401", "")
		}
		return &tryAgain{fmt.Errorf("cannot open a websocket to %s: %w", c.wsURL, err)}
	}
	defer conn.CloseNow()
	conn.SetReadLimit(16 << 20) // an event carries the call's payload

	// connection_init carries the token; the server answers
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
	sub, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err := wsjson.Write(ctx, conn, wsMessage{ID: "1", Type: "subscribe", Payload: sub}); err != nil {
		return closed(err)
	}
	connected()
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
				Data   json.RawMessage
				Errors []gqlError
			}
			if err := json.Unmarshal(m.Payload, &p); err != nil {
				return fmt.Errorf("an event that is not JSON: %w", err)
			}
			if len(p.Errors) > 0 {
				return &queryError{p.Errors[0]}
			}
			each(p.Data)
		case "ping":
			if err := wsjson.Write(ctx, conn, wsMessage{Type: "pong"}); err != nil {
				return closed(err)
			}
		case "error":
			var errs []gqlError
			if json.Unmarshal(m.Payload, &errs) == nil && len(errs) > 0 {
				return &queryError{errs[0]}
			}
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
		return errBadToken(fmt.Sprint(code), reason(err))
	case code >= 4000:
		return fmt.Errorf("the server closed the connection (%d %s)", code, reason(err))
	case code == -1:
		return &tryAgain{fmt.Errorf("the connection broke: %w", err)}
	default: // 1012 restarting, 1013 try again later, 1001 going away...
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
