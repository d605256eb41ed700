package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	// Test-only: the Standard Webhooks reference library checks what the
	// local receiver gets, and a real server delivers. The tool itself
	// imports neither.
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/scoopa/webhooks/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// lockedBuffer is an output the tool writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// got is one request the local receiver got.
type got struct {
	header http.Header
	body   []byte
	err    error // what the Standard Webhooks library said of its signature
}

// local is a developer's receiver: it checks each request's signature with
// the Standard Webhooks library and answers 418, which the call's
// recorded outcome must not show.
type local struct {
	*httptest.Server
	mu  sync.Mutex
	got []got
}

func newLocal(t *testing.T, secret string) *local {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	l := &local{}
	l.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		g := got{header: r.Header.Clone(), body: body, err: wh.Verify(body, r.Header)}
		l.mu.Lock()
		l.got = append(l.got, g)
		l.mu.Unlock()
		w.WriteHeader(http.StatusTeapot)
	}))
	t.Cleanup(l.Close)
	return l
}

func (l *local) requests() []got {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]got(nil), l.got...)
}

// platform is a webhook, "mine", on a folder of its own, with its signing
// secret and a PARTNER token for it, and another webhook the token does
// not reach.
type platform struct {
	folder, hook, other, secret, token string
	receiver                           *testenv.Receiver
}

func newPlatform(t *testing.T, s *testenv.Server) platform {
	t.Helper()
	p := platform{receiver: testenv.NewReceiver(t)}
	var folder struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "clips"}) { id } }`, nil, &folder)
	p.folder = folder.CreateFolder.ID
	for _, x := range []struct {
		name string
		id   *string
	}{{"mine", &p.hook}, {"other", &p.other}} {
		var hook struct {
			CreateWebhook struct{ ID, SigningSecret string }
		}
		s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id signingSecret } }`, map[string]any{"in": map[string]any{
			"name": x.name, "url": p.receiver.URL, "active": x.name == "mine", "folderIDs": []string{p.folder}}}, &hook)
		*x.id = hook.CreateWebhook.ID
		if x.name == "mine" {
			p.secret = hook.CreateWebhook.SigningSecret
		}
	}
	var tok struct{ CreateApiToken struct{ Secret string } }
	s.MustDo(t, `mutation($in: CreateApiTokenInput!) { createApiToken(input: $in) { secret } }`, map[string]any{"in": map[string]any{
		"name": "integrator", "role": "PARTNER", "webhookIDs": []string{p.hook}}}, &tok)
	p.token = tok.CreateApiToken.Secret
	return p
}

func upload(t *testing.T, s *testenv.Server, folder, name string) {
	t.Helper()
	if r := s.Upload(t, folder, name, "video/quicktime", []byte(name)); len(r.Errors) > 0 {
		t.Fatalf("upload %s: %+v", name, r.Errors)
	}
}

// started runs listen in the background with args, and waits until its
// subscription is in place or it returned.
func started(t *testing.T, ctx context.Context, s *testenv.Server, args ...string) (stdout, stderr *lockedBuffer, done <-chan error) {
	t.Helper()
	testenv.Eventually(t, 30*time.Second, "the server to let the last subscription go", func() bool {
		return testenv.LiveSubscriptions(t, s.URL) == 0
	})
	stdout, stderr = &lockedBuffer{}, &lockedBuffer{}
	ended := make(chan error, 1)
	go func() {
		ended <- run(ctx, append([]string{"listen"}, args...), func(string) string { return "" }, stdout, stderr)
	}()
	testenv.Eventually(t, 30*time.Second, "listen's subscription to be in place", func() bool {
		return len(ended) > 0 || testenv.LiveSubscriptions(t, s.URL) > 0
	})
	return stdout, stderr, ended
}

// printed waits until listen printed a line with want, and returns it.
func printed(t *testing.T, stdout, stderr *lockedBuffer, done <-chan error, want string) string {
	t.Helper()
	testenv.Eventually(t, time.Minute, "listen to print "+want, func() bool {
		return len(done) > 0 || strings.Contains(stdout.String(), want)
	})
	for _, l := range strings.Split(stdout.String(), "\n") {
		if strings.Contains(l, want) {
			return l
		}
	}
	t.Fatalf("listen ended before printing %s: %v\nstdout:\n%s\nstderr:\n%s", want, <-done, stdout, stderr)
	return ""
}

// With the webhook's PARTNER token, listen forwards each call to a local
// receiver with the body and signature headers the webhook's receiver got:
// the Standard Webhooks library accepts them. The local answer is printed,
// and the call keeps the webhook's receiver's outcome. trigger sends a
// test file, which listen forwards too, as it does validation calls. Then: a local receiver that cannot
// be reached is reported on each call's line and listen goes on; after a
// server restart (1012) listen subscribes again.
func TestListen(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, nil)
			p := newPlatform(t, s)
			l := newLocal(t, p.secret)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			listenCtx, stop := context.WithCancel(ctx)
			defer stop()
			common := []string{"--url", s.URL, "--token", p.token, "--webhook", p.hook}
			stdout, stderr, done := started(t, listenCtx, s, append(common, "--forward", l.URL+"/hook")...)

			upload(t, s, p.folder, "clip.mov")
			line := printed(t, stdout, stderr, done, `file="clip.mov"`)
			if !strings.Contains(line, "attempt=1") || !strings.Contains(line, "local=418") || !strings.Contains(line, "time=") {
				t.Errorf("listen printed %q, want the call's attempt 1, local=418 and the time taken", line)
			}
			reqs, real := l.requests(), p.receiver.Deliveries()
			if len(reqs) != 1 || len(real) != 1 {
				t.Fatalf("the local receiver got %d requests and the webhook's %d, want 1 each", len(reqs), len(real))
			}
			if reqs[0].err != nil {
				t.Errorf("the Standard Webhooks library refused the forwarded call: %v", reqs[0].err)
			}
			if !bytes.Equal(reqs[0].body, real[0].Body) {
				t.Errorf("the local receiver got the body\n%s\nthe webhook's receiver\n%s", reqs[0].body, real[0].Body)
			}
			for _, h := range []string{"webhook-id", "webhook-timestamp", "webhook-signature", "Content-Type", "User-Agent"} {
				if a, b := reqs[0].header.Get(h), real[0].Header.Get(h); a != b || a == "" {
					t.Errorf("%s: the local receiver got %q, the webhook's receiver %q", h, a, b)
				}
			}
			callID := strings.TrimPrefix(strings.Fields(line)[1], "call=")
			var call struct {
				Node struct {
					Status         string
					ResponseStatus *int
					Attempts       []struct{ ResponseStatus *int }
				}
			}
			s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on WebhookCall { status responseStatus attempts { responseStatus } } } }`, map[string]any{"id": callID}, &call)
			if c := call.Node; c.Status != "SUCCEEDED" || c.ResponseStatus == nil || *c.ResponseStatus != 200 || len(c.Attempts) != 1 {
				t.Errorf("call %s: %+v; want SUCCEEDED with the webhook's receiver's 200, and its one attempt", callID, c)
			}

			// trigger: a test file (the latest delivered, by default).
			var out, errOut lockedBuffer
			if err := run(ctx, append([]string{"trigger"}, common...), func(string) string { return "" }, &out, &errOut); err != nil {
				t.Fatalf("trigger: %v\n%s", err, errOut.String())
			}
			if !strings.Contains(out.String(), `file="clip.mov" webhook="mine"`) {
				t.Errorf("trigger printed %q", out.String())
			}
			line = printed(t, stdout, stderr, done, "test=true")
			if !strings.Contains(line, `file="clip.mov"`) || !strings.Contains(line, "local=418") {
				t.Errorf("listen printed %q for the test call", line)
			}
			if reqs = l.requests(); len(reqs) != 2 || reqs[1].err != nil || reqs[1].header.Get("scoopa-test") != "true" {
				t.Fatalf("the local receiver got %d requests, the test call verified: %v, scoopa-test %q", len(reqs), reqs[len(reqs)-1].err, reqs[len(reqs)-1].header.Get("scoopa-test"))
			}

			// A validation call is forwarded too, signed as sent.
			var v struct{ RevalidateWebhook struct{ ID string } }
			s.MustDo(t, `mutation($id: ID!) { revalidateWebhook(id: $id) { id } }`, map[string]any{"id": p.hook}, &v)
			if line = printed(t, stdout, stderr, done, "kind=VALIDATION"); !strings.Contains(line, "local=418") {
				t.Errorf("listen printed %q for the validation call", line)
			}
			if reqs = l.requests(); len(reqs) != 3 || reqs[2].err != nil || !bytes.Contains(reqs[2].body, []byte(`endpoint validation test`)) {
				t.Fatalf("the local receiver got %d requests; the validation call verified: %v, body %s", len(reqs), reqs[len(reqs)-1].err, reqs[len(reqs)-1].body)
			}

			// The server restarts (its sockets close with 1012): listen
			// subscribes again once it is back, and goes on forwarding.
			s.Stop()
			s = testenv.StartServer(t, kind, s.Env)
			testenv.Eventually(t, time.Minute, "listen to subscribe again", func() bool {
				return len(done) > 0 || (strings.Contains(stderr.String(), "(1012") && testenv.LiveSubscriptions(t, s.URL) > 0)
			})
			upload(t, s, p.folder, "after-restart.mov")
			if line = printed(t, stdout, stderr, done, `file="after-restart.mov"`); !strings.Contains(line, "local=418") {
				t.Errorf("after the restart listen printed %q", line)
			}
			stop()
			if err := <-done; err != nil {
				t.Fatalf("listen: %v\nstderr:\n%s", err, stderr)
			}
			t.Logf("listen printed:\n%s", stdout)
			if n := len(l.requests()); n != 4 {
				t.Errorf("the local receiver got %d requests, want 4", n)
			}

			// A local receiver that cannot be reached: each call says so, and
			// listen goes on.
			gone := httptest.NewServer(http.NotFoundHandler())
			gone.Close()
			listenCtx, stop = context.WithCancel(ctx)
			defer stop()
			stdout, stderr, done = started(t, listenCtx, s, append(common, "--forward", gone.URL)...)
			for _, name := range []string{"down1.mov", "down2.mov"} {
				upload(t, s, p.folder, name)
				if line := printed(t, stdout, stderr, done, fmt.Sprintf("file=%q", name)); !strings.Contains(line, "local=unreachable") {
					t.Errorf("with the local receiver down listen printed %q", line)
				}
			}
			stop()
			if err := <-done; err != nil {
				t.Fatalf("listen: %v\nstderr:\n%s", err, stderr)
			}
			var calls struct {
				WebhookCalls struct {
					Edges []struct{ Node struct{ Status string } }
				}
			}
			s.MustDo(t, `query($id: ID!) { webhookCalls(where: {webhookID: $id, fileNameHasPrefix: "down"}) { edges { node { status } } } }`, map[string]any{"id": p.hook}, &calls)
			if len(calls.WebhookCalls.Edges) != 2 {
				t.Fatalf("%d calls of down*.mov", len(calls.WebhookCalls.Edges))
			}
			for _, e := range calls.WebhookCalls.Edges {
				if e.Node.Status != "SUCCEEDED" {
					t.Errorf("a call forwarded to an unreachable local receiver is %s, want the webhook's receiver's SUCCEEDED", e.Node.Status)
				}
			}
		})
	}
}

// A call whose first attempt fails is retried (testenv's schedule: a
// second), and listen forwards each attempt once, as sent: two requests to
// the local receiver, each with the body and signature of its attempt, the
// same webhook-id. The call's outcome is the webhook's receiver's, not the
// local answers.
func TestListenForwardsRetries(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, nil)
			p := newPlatform(t, s)
			p.receiver.SetScript(func(n int, _ http.ResponseWriter) int {
				if n == 1 {
					return http.StatusInternalServerError
				}
				return http.StatusOK
			})
			l := newLocal(t, p.secret)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			stdout, stderr, done := started(t, ctx, s, "--url", s.URL, "--token", p.token, "--webhook", p.hook, "--forward", l.URL+"/hook")

			upload(t, s, p.folder, "retried.mov")
			line := printed(t, stdout, stderr, done, "attempt=2")
			if !strings.Contains(line, `file="retried.mov"`) || !strings.Contains(line, "local=418") {
				t.Errorf("listen printed %q for the second attempt", line)
			}
			callID := strings.TrimPrefix(strings.Fields(line)[1], "call=")
			var call struct {
				Node struct {
					Status         string
					ResponseStatus *int
					Attempts       []struct{ ResponseStatus *int }
				}
			}
			s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on WebhookCall { status responseStatus attempts { responseStatus } } } }`, map[string]any{"id": callID}, &call)
			c := call.Node
			if c.Status != "SUCCEEDED" || c.ResponseStatus == nil || *c.ResponseStatus != 200 || len(c.Attempts) != 2 ||
				c.Attempts[0].ResponseStatus == nil || *c.Attempts[0].ResponseStatus != 500 || c.Attempts[1].ResponseStatus == nil || *c.Attempts[1].ResponseStatus != 200 {
				t.Errorf("call %s: %+v; want SUCCEEDED with the webhook's receiver's 500 then 200", callID, c)
			}
			// A later event of the call (a fetch of its link) forwards nothing more.
			var fetched bool
			for _, d := range p.receiver.Deliveries() {
				if link, _ := d.JSON(t)["download_url"].(string); link != "" && !fetched {
					if resp, err := http.Get(strings.Replace(link, "http://localhost:8080", s.URL, 1)); err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						fetched = true
					}
				}
			}
			testenv.Eventually(t, 20*time.Second, "the fetch counted", func() bool {
				var f struct {
					Node struct{ Fetch *struct{ Count int } }
				}
				s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on WebhookCall { fetch { count } } } }`, map[string]any{"id": callID}, &f)
				return f.Node.Fetch != nil
			})
			time.Sleep(500 * time.Millisecond) // the fetch's event reaches listen
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("listen: %v\nstderr:\n%s", err, stderr)
			}
			t.Logf("listen printed:\n%s", stdout)

			reqs, real := l.requests(), p.receiver.Deliveries()
			if len(reqs) != 2 || len(real) != 2 {
				t.Fatalf("the local receiver got %d requests and the webhook's %d, want 2 each (one per attempt)", len(reqs), len(real))
			}
			for i := range reqs {
				if reqs[i].err != nil {
					t.Errorf("attempt %d: the Standard Webhooks library refused the forwarded call: %v", i+1, reqs[i].err)
				}
				if !bytes.Equal(reqs[i].body, real[i].Body) {
					t.Errorf("attempt %d: the local receiver got the body\n%s\nthe webhook's receiver\n%s", i+1, reqs[i].body, real[i].Body)
				}
				for _, h := range []string{"webhook-id", "webhook-timestamp", "webhook-signature"} {
					if a, b := reqs[i].header.Get(h), real[i].Header.Get(h); a != b || a == "" {
						t.Errorf("attempt %d: %s: the local receiver got %q, the webhook's receiver %q", i+1, h, a, b)
					}
				}
			}
			if a, b := reqs[0].header.Get("webhook-id"), reqs[1].header.Get("webhook-id"); a != b {
				t.Errorf("webhook-id %q then %q: want the same for both attempts", a, b)
			}
			if a, b := reqs[0].header.Get("webhook-signature"), reqs[1].header.Get("webhook-signature"); a == b {
				t.Errorf("both attempts forwarded with the signature %q: want each attempt's own", a)
			}
		})
	}
}

// Mistakes are refused before anything is forwarded, each naming what is
// wrong.
func TestListenRefuses(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, nil)
	p := newPlatform(t, s)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"bad token", []string{"listen", "--url", s.URL, "--token", "nope", "--webhook", p.hook, "--forward", "http://localhost:3000/hook"}, "the server refused the token"},
		{"another's webhook", []string{"listen", "--url", s.URL, "--token", p.token, "--webhook", p.other, "--forward", "http://localhost:3000/hook"}, "no webhook " + p.other + " for this token"},
		{"no such webhook", []string{"listen", "--url", s.URL, "--token", p.token, "--webhook", "999999999", "--forward", "http://localhost:3000/hook"}, "no webhook 999999999 for this token"},
		{"trigger another's webhook", []string{"trigger", "--url", s.URL, "--token", p.token, "--webhook", p.other}, "no webhook " + p.other + " for this token"},
		{"webhook not a number", []string{"listen", "--url", s.URL, "--token", p.token, "--webhook", "mine", "--forward", "http://localhost:3000/hook"}, `--webhook "mine": not a webhook ID`},
		{"no forward", []string{"listen", "--url", s.URL, "--token", p.token, "--webhook", p.hook}, "--forward \"\": must be the http:// or https:// URL"},
		{"no token", []string{"listen", "--url", s.URL, "--webhook", p.hook, "--forward", "http://localhost:3000/hook"}, "no token: set SCOOPA_TOKEN or --token"},
		{"nothing delivered", []string{"trigger", "--url", s.URL, "--token", p.token, "--webhook", p.hook}, "webhook " + p.hook + " has delivered no file yet"},
		{"no subcommand", nil, "no subcommand"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(t.Context(), c.args, func(string) string { return "" }, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}
