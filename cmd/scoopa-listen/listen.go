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
	"net/url"
	"strings"
	"time"
)

// callsQuery follows the webhook's calls as each attempt ends: the body of
// the latest attempt (payload) and the headers each attempt sent. Statuses
// leave out PENDING and RUNNING (before an attempt) and CANCELED (no
// attempt); a RETRYING call with a waitReason waits for a delivery limit
// and was not attempted again.
const callsQuery = `subscription Calls($id: ID!) {
  webhookCallUpdated(webhookID: $id, statuses: [SUCCEEDED, FAILED, RETRYING]) {
    id kind test status waitReason attemptCount fileName payload
    attempts { number requestHeaders { name value } }
  }
}`

// call is a call as callsQuery selects it.
type call struct {
	ID           string
	Kind         string
	Test         bool
	Status       string
	WaitReason   *string
	AttemptCount int
	FileName     *string
	Payload      string
	Attempts     []struct {
		Number         int
		RequestHeaders []struct{ Name, Value string }
	}
}

// maxSeen bounds the calls listen remembers having forwarded.
const maxSeen = 100_000

// forwarded are the headers of an attempt sent on to the local receiver:
// the service's own, as sent. The webhook's own headers (its receiver's
// credentials) are recorded masked, so they are not.
var forwarded = map[string]bool{
	"Content-Type": true, "User-Agent": true, "Webhook-Id": true,
	"Webhook-Timestamp": true, "Webhook-Signature": true, "Scoopa-Test": true,
}

// request is what the local receiver gets for one attempt of a call.
type request struct {
	call    call
	attempt int
	header  http.Header
	body    []byte
	missing string // why the attempt cannot be forwarded, if it cannot
}

// requestOf is the latest attempt of c as it was sent.
func requestOf(c call) request {
	r := request{call: c, attempt: c.AttemptCount, header: http.Header{}, body: []byte(c.Payload)}
	for _, a := range c.Attempts {
		if a.Number != c.AttemptCount {
			continue
		}
		for _, h := range a.RequestHeaders {
			if k := http.CanonicalHeaderKey(h.Name); forwarded[k] {
				r.header.Add(k, h.Value)
			}
		}
		if r.header.Get("Webhook-Signature") == "" {
			r.missing = "the attempt's headers were not recorded"
		}
		return r
	}
	r.missing = fmt.Sprintf("attempt %d not found", c.AttemptCount)
	return r
}

func listen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("listen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base, token, hook := commonFlags(fs, getenv)
	target := fs.String("forward", "", "the local URL each call is POSTed to, e.g. http://localhost:3000/hook (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	id, err := webhookID(*hook)
	if err != nil {
		return err
	}
	if u, err := url.Parse(*target); *target == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--forward %q: must be the http:// or https:// URL of your local receiver, e.g. http://localhost:3000/hook", *target)
	}
	c, err := newClient(*base, *token)
	if err != nil {
		return err
	}
	wh, err := c.webhook(ctx, id)
	if err != nil {
		return err
	}

	// The local receiver is called apart from the socket, in order, so a
	// slow one does not hold up the events.
	queue := make(chan request, 256)
	done := make(chan struct{})
	go func() {
		defer close(done)
		fw := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for r := range queue {
			fmt.Fprintln(stdout, forward(ctx, fw, *target, r))
		}
	}()
	defer func() { close(queue); <-done }()
	seen := map[string]int{} // the latest attempt forwarded, by call
	each := func(data json.RawMessage) {
		var e struct{ WebhookCallUpdated call }
		if err := json.Unmarshal(data, &e); err != nil {
			fmt.Fprintf(stderr, "an event that is not a call: %v\n", err)
			return
		}
		cl := e.WebhookCallUpdated
		// A call waiting for a delivery limit is announced without a new
		// attempt: each attempt goes once, as it ends.
		if cl.WaitReason != nil || cl.AttemptCount == 0 || cl.AttemptCount <= seen[cl.ID] {
			return
		}
		if len(seen) >= maxSeen {
			// Bounded memory in a long session: forget calls at random
			// (a call forgotten is forwarded again only if a later
			// event of the same attempt comes, such as a fetch).
			for k := range seen {
				delete(seen, k)
				if len(seen) < maxSeen/2 {
					break
				}
			}
		}
		seen[cl.ID] = cl.AttemptCount
		select {
		case queue <- requestOf(cl):
		default:
			fmt.Fprintf(stderr, "call %s attempt %d not forwarded: %d calls already wait for the local receiver\n", cl.ID, cl.AttemptCount, cap(queue))
		}
	}

	for retry := 0; ; retry++ {
		err := c.subscribe(ctx, callsQuery, map[string]any{"id": id}, func() {
			retry = 0
			fmt.Fprintf(stderr, "forwarding the calls of webhook %q (%s) to %s (Ctrl-C to stop)\n", wh.Name, wh.ID, *target)
		}, each)
		if ctx.Err() != nil {
			return nil
		}
		var again *tryAgain
		if !errors.As(err, &again) {
			if err == nil {
				err = errors.New("the subscription ended")
			}
			return err
		}
		wait := min(time.Second<<min(retry, 5), 30*time.Second)
		fmt.Fprintf(stderr, "%v; reconnecting in %s (calls attempted meanwhile are not forwarded)\n", err, wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// forward POSTs r to the local receiver and describes the outcome in one
// line: the time, the call, its attempt, its file, the local answer (or why
// none came) and how long it took.
func forward(ctx context.Context, client *http.Client, target string, r request) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s call=%s attempt=%d", time.Now().Format(time.RFC3339), r.call.ID, r.attempt)
	if r.call.FileName != nil {
		fmt.Fprintf(&b, " file=%q", *r.call.FileName)
	}
	if r.call.Kind != "DELIVERY" {
		fmt.Fprintf(&b, " kind=%s", r.call.Kind)
	}
	if r.call.Test {
		b.WriteString(" test=true")
	}
	if r.missing != "" {
		fmt.Fprintf(&b, " local=skipped error=%q", r.missing)
		return b.String()
	}
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(r.body))
	if err == nil {
		req.Header = r.header.Clone()
		var resp *http.Response
		if resp, err = client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			fmt.Fprintf(&b, " local=%d", resp.StatusCode)
		}
	}
	if err != nil {
		fmt.Fprintf(&b, " local=unreachable error=%q", err.Error())
	}
	fmt.Fprintf(&b, " time=%dms", time.Since(start).Milliseconds())
	return b.String()
}
