package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	// Test-only: a real server, with its worker, on the test's backends.
	// The client itself does not import it.
	"github.com/scoopa/webhooks/internal/testenv"
)

// TestMain runs testenv.Parallel tests at once: they mostly wait for
// their servers.
func TestMain(m *testing.M) { testenv.Main(m) }

// lockedBuffer is an output the client writes while the test reads it.
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

// platform is two webhooks, partner-a and partner-b, each on a folder of
// its own with a file delivered to it (a1.txt, b1.txt), and a PARTNER
// token for partner-a.
type platform struct {
	folderA, folderB string
	token            string
}

func newPlatform(t *testing.T, s *testenv.Server) platform {
	t.Helper()
	rc := testenv.NewReceiver(t)
	var p platform
	var hookA string
	for _, x := range []struct {
		name, file   string
		folder, hook *string
	}{{"partner-a", "a1.txt", &p.folderA, &hookA}, {"partner-b", "b1.txt", &p.folderB, new(string)}} {
		var folder struct{ CreateFolder struct{ ID string } }
		s.MustDo(t, `mutation($n: String!) { createFolder(input: {name: $n}) { id } }`, map[string]any{"n": x.name}, &folder)
		*x.folder = folder.CreateFolder.ID
		var hook struct{ CreateWebhook struct{ ID string } }
		s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": x.name, "url": rc.URL, "active": true, "folderIDs": []string{*x.folder}}}, &hook)
		*x.hook = hook.CreateWebhook.ID
		upload(t, s, *x.folder, x.file)
	}
	var tok struct{ CreateApiToken struct{ Secret string } }
	s.MustDo(t, `mutation($in: CreateApiTokenInput!) { createApiToken(input: $in) { secret } }`, map[string]any{"in": map[string]any{
		"name": "partner A", "role": "PARTNER", "webhookIDs": []string{hookA}}}, &tok)
	p.token = tok.CreateApiToken.Secret
	return p
}

func upload(t *testing.T, s *testenv.Server, folder, name string) {
	t.Helper()
	if r := s.Upload(t, folder, name, "text/plain", []byte(name)); len(r.Errors) > 0 {
		t.Fatalf("upload %s: %+v", name, r.Errors)
	}
}

// succeeded waits until the admin's subscription (every call) reports the
// delivery of file as SUCCEEDED: its events were published.
func succeeded(t *testing.T, events <-chan json.RawMessage, file string) {
	t.Helper()
	timeout := time.After(time.Minute)
	for {
		select {
		case data, ok := <-events:
			if !ok {
				t.Fatalf("the admin's subscription ended before %s was delivered", file)
			}
			var e struct {
				WebhookCallUpdated struct{ Status, FileName string }
			}
			_ = json.Unmarshal(data, &e)
			if e.WebhookCallUpdated.FileName == file && e.WebhookCallUpdated.Status == "SUCCEEDED" {
				return
			}
		case <-timeout:
			t.Fatalf("timed out waiting for the delivery of %s", file)
		}
	}
}

// started runs the client in the background with args, and waits until
// its subscription is in place or it returned. others is how many
// subscriptions the test itself holds on the server; a client's started
// before is waited out first.
func started(t *testing.T, ctx context.Context, s *testenv.Server, others int, args ...string) (stdout, stderr *lockedBuffer, done <-chan error) {
	t.Helper()
	testenv.Eventually(t, 30*time.Second, "the server to let the last client's subscription go", func() bool {
		return testenv.LiveSubscriptions(t, s.URL) == others
	})
	stdout, stderr = &lockedBuffer{}, &lockedBuffer{}
	ended := make(chan error, 1)
	go func() { ended <- run(ctx, args, func(string) string { return "" }, stdout, stderr) }()
	testenv.Eventually(t, 30*time.Second, "the client's subscription to be in place", func() bool {
		return len(ended) > 0 || testenv.LiveSubscriptions(t, s.URL) > others
	})
	return stdout, stderr, ended
}

// updates returns the call updates the client printed: the lines after
// the overview, which start with a time.
func updates(out string) []string {
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if len(l) > 0 && l[0] >= '0' && l[0] <= '9' {
			got = append(got, l)
		}
	}
	return got
}

// The example, with nothing but partner A's token: its overview lists A
// only, and its subscription, which names no webhook, gets the updates of
// A's calls and none of B's, although B's were published before A's.
func TestPartnerClient(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			// The admin's subscription sees every call: the witness that
			// B's updates were published.
			all := testenv.Subscribe(ctx, t, s.URL, s.Token, `subscription { webhookCallUpdated { status fileName } }`)
			p := newPlatform(t, s)
			succeeded(t, all, "a1.txt")
			succeeded(t, all, "b1.txt")

			clientCtx, stop := context.WithCancel(ctx)
			defer stop()
			stdout, stderr, done := started(t, clientCtx, s, 1, "-url", s.URL, "-token", p.token)
			upload(t, s, p.folderB, "b2.txt")
			succeeded(t, all, "b2.txt")
			upload(t, s, p.folderA, "a2.txt")
			testenv.Eventually(t, time.Minute, "the client to print a2.txt's delivery", func() bool {
				return len(done) > 0 || strings.Contains(stdout.String(), `SUCCEEDED webhook="partner-a" file="a2.txt"`)
			})
			stop()
			if err := <-done; err != nil {
				t.Fatalf("the client failed: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
			}
			out := stdout.String()
			t.Logf("the client printed:\n%s", out)
			for _, want := range []string{`token "partner A" (PARTNER)`, "webhooks (1):", `"partner-a" http://`, `webhook="partner-a" file="a1.txt"`} {
				if !strings.Contains(out, want) {
					t.Errorf("the overview lacks %s:\n%s", want, out)
				}
			}
			if strings.Contains(out, "partner-b") || strings.Contains(out, "b1.txt") || strings.Contains(out, "b2.txt") {
				t.Errorf("partner A's client saw B:\n%s", out)
			}
			for _, l := range updates(out) {
				if !strings.Contains(l, `webhook="partner-a" file="a2.txt"`) {
					t.Errorf("an update of another call than a2.txt's: %s", l)
				}
			}

			// -events 1 stops after one update.
			stdout, stderr, done = started(t, ctx, s, 1, "-url", s.URL, "-token", p.token, "-events", "1")
			upload(t, s, p.folderA, "a3.txt")
			if err := <-done; err != nil {
				t.Fatalf("-events 1: %v\nstderr:\n%s", err, stderr)
			}
			if got := updates(stdout.String()); len(got) != 1 || !strings.Contains(got[0], `file="a3.txt"`) {
				t.Errorf("-events 1 printed the updates %q, want one of a3.txt", got)
			}

			// The server closes its websockets as it stops (1012): the
			// client lists again what it may have missed, and tries to
			// subscribe again until interrupted.
			clientCtx, stop = context.WithCancel(ctx)
			defer stop()
			stdout, stderr, done = started(t, clientCtx, s, 1, "-url", s.URL, "-token", p.token)
			if err := s.Sockets().Close(ctx); err != nil {
				t.Fatal(err)
			}
			testenv.Eventually(t, time.Minute, "the client to list again and retry", func() bool {
				return len(done) > 0 || (strings.Count(stdout.String(), "webhooks (1):") >= 2 &&
					strings.Contains(stderr.String(), "the server closed the connection (1012") &&
					strings.Count(stderr.String(), "reconnecting in") >= 2)
			})
			stop()
			if err := <-done; err != nil {
				t.Fatalf("the client failed: %v\nstderr:\n%s", err, stderr)
			}
			t.Logf("its notices:\n%s", stderr)
		})
	}
}

// A bad token is refused with a message that says so; a missing URL or
// token is named.
func TestPartnerClientRefused(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"bad token", []string{"-url", s.URL, "-token", "not-a-token"}, nil, "the server refused the token (HTTP 401)"},
		{"token from env", nil, map[string]string{"SCOOPA_URL": s.URL, "SCOOPA_TOKEN": "not-a-token"}, "refused the token"},
		{"no token", []string{"-url", s.URL}, nil, "no token: set SCOOPA_TOKEN or -token"},
		{"no url", []string{"-token", "x"}, nil, "no server: set SCOOPA_URL or -url"},
		{"bad url", []string{"-url", "localhost:8080", "-token", "x"}, nil, "must start with https:// or http://"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(ctx, tc.args, func(k string) string { return tc.env[k] }, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run = %v, want an error with %q", err, tc.want)
			}
			if stdout.Len() > 0 {
				t.Errorf("printed %q before the error", stdout.String())
			}
		})
	}
}
