package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// client talks GraphQL to the server, over one shared transport so that
// uploads reuse their connections.
type client struct {
	endpoint string // .../graphql
	token    string
	http     *http.Client
}

func newClient(baseURL, token string, concurrency int) *client {
	tr := &http.Transport{
		Proxy:               nil, // loopback only: never through a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        concurrency + 8,
		MaxIdleConnsPerHost: concurrency + 8,
		IdleConnTimeout:     90 * time.Second,
	}
	return &client{
		endpoint: strings.TrimRight(baseURL, "/") + "/graphql",
		token:    token,
		http:     &http.Client{Transport: tr},
	}
}

func (c *client) close() { c.http.CloseIdleConnections() }

// gqlResponse is a GraphQL answer.
type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// errThrottled is a 429 answer; wait is the server's Retry-After.
type errThrottled struct{ wait time.Duration }

func (e *errThrottled) Error() string { return fmt.Sprintf("rate limited (retry after %s)", e.wait) }

// send makes one request and decodes its answer into out.
func (c *client) send(ctx context.Context, contentType string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return &errThrottled{wait: time.Duration(max(secs, 1)) * time.Second}
	}
	var r gqlResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return fmt.Errorf("HTTP %d: %.200q", resp.StatusCode, b)
	}
	if len(r.Errors) > 0 {
		code, _ := r.Errors[0].Extensions["code"].(string)
		return fmt.Errorf("HTTP %d: %s (%s)", resp.StatusCode, r.Errors[0].Message, code)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.200q", resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			return fmt.Errorf("decode %.200s: %w", r.Data, err)
		}
	}
	return nil
}

// sendRetrying is send, waiting and trying again while the server answers
// 429. The wait starts short and doubles up to the server's Retry-After
// (which is rounded up to whole seconds, so taken as is it would leave the
// server idle). It returns how many 429s it got.
func (c *client) sendRetrying(ctx context.Context, contentType string, body []byte, out any) (throttled int, err error) {
	backoff := 20 * time.Millisecond
	for {
		err = c.send(ctx, contentType, body, out)
		var th *errThrottled
		if !errors.As(err, &th) {
			return throttled, err
		}
		throttled++
		t := time.NewTimer(min(backoff, th.wait))
		select {
		case <-ctx.Done():
			t.Stop()
			return throttled, ctx.Err()
		case <-t.C:
		}
		backoff *= 2
	}
}

// do runs a GraphQL operation.
func (c *client) do(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	_, err = c.sendRetrying(ctx, "application/json", body, out)
	return err
}

const uploadMutation = `mutation($f: ID!, $file: Upload!) { uploadFile(folderID: $f, file: $file) { id } }`

// uploadBody is a GraphQL multipart request (operations, map, one file).
func uploadBody(folderID, name string, content []byte) (contentType string, body []byte, err error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	ops, err := json.Marshal(map[string]any{
		"query":     uploadMutation,
		"variables": map[string]any{"f": folderID, "file": nil},
	})
	if err != nil {
		return "", nil, err
	}
	if err := mw.WriteField("operations", string(ops)); err != nil {
		return "", nil, err
	}
	if err := mw.WriteField("map", `{"0": ["variables.file"]}`); err != nil {
		return "", nil, err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="0"; filename=%q`, name))
	h.Set("Content-Type", "application/octet-stream")
	part, err := mw.CreatePart(h)
	if err != nil {
		return "", nil, err
	}
	if _, err := part.Write(content); err != nil {
		return "", nil, err
	}
	if err := mw.Close(); err != nil {
		return "", nil, err
	}
	return mw.FormDataContentType(), buf.Bytes(), nil
}

// upload sends one prepared upload and returns the new file's ID.
func (c *client) upload(ctx context.Context, contentType string, body []byte) (fileID string, throttled int, err error) {
	var out struct {
		UploadFile struct {
			ID json.RawMessage `json:"id"`
		} `json:"uploadFile"`
	}
	throttled, err = c.sendRetrying(ctx, contentType, body, &out)
	if err != nil {
		return "", throttled, err
	}
	id := normalizeID(out.UploadFile.ID)
	if id == "" || id == "null" {
		return "", throttled, errors.New("uploadFile answered without a file id")
	}
	return id, throttled, nil
}
