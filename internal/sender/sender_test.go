package sender

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/scoopa/webhooks/ent/schema"
)

const testUserAgent = "scoopa-webhooks/test (+https://github.com/scoopa/webhooks)"

// diff renders a mismatch in the (-want +got) form used across the tests.
func diff(want, got any) string {
	return fmt.Sprintf("(-want +got):\n-\t%#v\n+\t%#v", want, got)
}

// errText is err's message, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// recordedRequest is what a test receiver saw of one call.
type recordedRequest struct {
	Method string
	Header http.Header
	Body   []byte
}

// testReceiver is an httptest server that records the requests it gets and
// answers with handler.
type testReceiver struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recordedRequest
}

func (rc *testReceiver) requests() []recordedRequest {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]recordedRequest(nil), rc.reqs...)
}

// newTestReceiver starts a receiver on listener ln (127.0.0.1 when nil).
func newTestReceiver(t *testing.T, ln net.Listener, handler http.HandlerFunc) *testReceiver {
	t.Helper()
	rc := &testReceiver{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.reqs = append(rc.reqs, recordedRequest{Method: r.Method, Header: r.Header.Clone(), Body: body})
		rc.mu.Unlock()
		handler(w, r)
	}))
	if ln != nil {
		srv.Listener.Close()
		srv.Listener = ln
	}
	srv.Start()
	t.Cleanup(srv.Close)
	rc.Server = srv
	return rc
}

// status answers code with body.
func status(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func TestSendOutcome(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		wantStatus int
		wantBody   string
		wantErr    string // "" for a delivered call
	}{
		{name: "200", handler: status(200, `{"ok":true}`), wantStatus: 200, wantBody: `{"ok":true}`},
		{name: "204 no body", handler: status(204, ""), wantStatus: 204},
		{name: "299 still 2xx", handler: status(299, "x"), wantStatus: 299, wantBody: "x"},
		{name: "500", handler: status(500, "boom"), wantStatus: 500, wantBody: "boom", wantErr: "HTTP 500"},
		{name: "404", handler: status(404, "nope"), wantStatus: 404, wantBody: "nope", wantErr: "HTTP 404"},
		{name: "429", handler: status(429, ""), wantStatus: 429, wantErr: "HTTP 429"},
		{name: "304 counts as a redirect", handler: status(304, ""), wantStatus: 304, wantErr: "redirect not followed (304)"},
		{name: "invalid UTF-8 made valid", handler: status(200, "ok \xff\xfe done \xc3"), wantStatus: 200, wantBody: "ok \uFFFD done \uFFFD"},
		{name: "valid UTF-8 kept", handler: status(200, "äpfel 😀"), wantStatus: 200, wantBody: "äpfel 😀"},
	}
	s := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: true})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newTestReceiver(t, nil, tt.handler)
			got := s.Send(t.Context(), Request{URL: rc.URL, Body: []byte(`{}`), Timeout: 5 * time.Second})
			if got.Status != tt.wantStatus {
				t.Errorf("Status %s", diff(tt.wantStatus, got.Status))
			}
			if got.Body != tt.wantBody {
				t.Errorf("Body %s", diff(tt.wantBody, got.Body))
			}
			if !utf8.ValidString(got.Body) {
				t.Errorf("Body %q is not valid UTF-8", got.Body)
			}
			if e := errText(got.Err); e != tt.wantErr {
				t.Errorf("Err %s", diff(tt.wantErr, e))
			}
			if got.Duration <= 0 {
				t.Errorf("Duration = %v, want > 0", got.Duration)
			}
		})
	}
}

func TestSendDoesNotFollowRedirects(t *testing.T) {
	for _, code := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			var targetHits atomic.Int32
			target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				targetHits.Add(1)
			}))
			t.Cleanup(target.Close)
			rc := newTestReceiver(t, nil, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target.URL+"/elsewhere", code)
			})
			s := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: true})
			got := s.Send(t.Context(), Request{URL: rc.URL, Body: []byte(`{}`), Timeout: 5 * time.Second})
			if want := fmt.Sprintf("redirect not followed (%d)", code); errText(got.Err) != want {
				t.Errorf("Err %s", diff(want, errText(got.Err)))
			}
			if got.Status != code {
				t.Errorf("Status %s", diff(code, got.Status))
			}
			if n := len(rc.requests()); n != 1 {
				t.Errorf("receiver got %d requests, want 1", n)
			}
			if n := targetHits.Load(); n != 0 {
				t.Errorf("redirect target was requested %d times, want 0", n)
			}
		})
	}
}

func TestSendTimeout(t *testing.T) {
	rc := newTestReceiver(t, nil, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(time.Second):
		case <-r.Context().Done():
		}
	})
	s := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: true})
	got := s.Send(t.Context(), Request{URL: rc.URL, Body: []byte(`{}`), Timeout: 200 * time.Millisecond})
	if want := "timeout after 200ms"; errText(got.Err) != want {
		t.Errorf("Err %s", diff(want, errText(got.Err)))
	}
	if got.Status != 0 {
		t.Errorf("Status %s", diff(0, got.Status))
	}
}

func TestSendConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: true})
	got := s.Send(t.Context(), Request{URL: "http://" + addr + "/hook", Body: []byte(`{}`), Timeout: 5 * time.Second})
	if want := "connection refused"; errText(got.Err) != want {
		t.Errorf("Err %s", diff(want, errText(got.Err)))
	}
	if got.Status != 0 {
		t.Errorf("Status %s", diff(0, got.Status))
	}
}

func TestSendBadURL(t *testing.T) {
	s := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: true})
	got := s.Send(t.Context(), Request{URL: "http://a b/", Timeout: time.Second})
	if !strings.HasPrefix(errText(got.Err), "bad request: ") {
		t.Errorf("Err = %q, want a \"bad request: \" error", errText(got.Err))
	}
}

func TestSendHugeBody(t *testing.T) {
	const total = 10 << 20
	chunk := bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuv"), 1024) // 32 KiB
	stopped := make(chan string, 1)
	rc := newTestReceiver(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(total))
		w.WriteHeader(200)
		for sent := 0; sent < total; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				stopped <- "write failed: " + err.Error()
				return
			}
		}
		// Everything fit in the socket buffers: the client stopping shows up
		// as the connection closing instead.
		select {
		case <-r.Context().Done():
			stopped <- "request context ended"
		case <-time.After(30 * time.Second):
			stopped <- ""
		}
	})
	s := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: true})
	got := s.Send(t.Context(), Request{URL: rc.URL, Body: []byte(`{}`), Timeout: 30 * time.Second})
	if got.Err != nil {
		t.Fatalf("Err = %v, want nil", got.Err)
	}
	if len(got.Body) != maxResponseKept {
		t.Errorf("len(Body) %s", diff(maxResponseKept, len(got.Body)))
	}
	if want := string(chunk[:maxResponseKept]); got.Body != want {
		t.Errorf("Body is not the first %d bytes of the answer", maxResponseKept)
	}
	if how := <-stopped; how == "" {
		t.Error("handler never observed the client stop reading")
	} else {
		t.Logf("handler observed: %s", how)
	}
}

func TestSendBodyCutOffAfter2xx(t *testing.T) {
	rc := newTestReceiver(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	s := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: true})
	got := s.Send(t.Context(), Request{URL: rc.URL, Body: []byte(`{}`), Timeout: 5 * time.Second})
	if got.Err != nil {
		t.Fatalf("Err = %v, want nil (a 2xx whose body broke off still counts)", got.Err)
	}
	if !strings.HasPrefix(got.Body, "partial\n[response body cut off: ") {
		t.Fatalf("Body = %q, want the partial body and a cut-off note", got.Body)
	}
	if strings.Contains(got.Body, "<nil>") || !strings.Contains(got.Body, "unexpected EOF") {
		t.Errorf("Body = %q, want the cut-off note to name the cause (unexpected EOF)", got.Body)
	}
}

func TestSendKeptBodyAtMost4KiB(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{name: "ASCII", body: strings.Repeat("a", 10000)},
		{name: "3-byte runes cut mid-rune", body: strings.Repeat("€", 3000)},
		{name: "alternating invalid bytes", body: strings.Repeat("a\xff", 5000)},
	}
	s := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: true})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newTestReceiver(t, nil, status(200, tt.body))
			got := s.Send(t.Context(), Request{URL: rc.URL, Body: []byte(`{}`), Timeout: 5 * time.Second})
			if !utf8.ValidString(got.Body) {
				t.Errorf("Body is not valid UTF-8")
			}
			if len(got.Body) > maxResponseKept {
				t.Errorf("len(Body) = %d > %d", len(got.Body), maxResponseKept)
			}
			if utf8.ValidString(tt.body) && strings.HasSuffix(got.Body, "\uFFFD") {
				t.Errorf("a valid body was cut mid-character and got a U+FFFD")
			}
		})
	}
}

func TestSendRequest(t *testing.T) {
	rc := newTestReceiver(t, nil, status(200, "ok"))
	body := append([]byte(`{"file":{"id":1,"name":"äpfel.pdf"},"raw":"`), 0, 0xff, '"', '}')
	body = append(body, bytes.Repeat([]byte("x"), 200<<10)...)
	headers := [][2]string{
		{"Authorization", "Bearer secret"},
		{"X-Multi", "first"},
		{"x-multi", "second"},
		{"X-Multi", "third"},
		{"Content-Type", "text/plain"}, // the sender's own value wins
		{"User-Agent", "spoofed"},      // likewise
		{"webhook-id", "msg_1"},
	}
	s := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: true})
	got := s.Send(t.Context(), Request{URL: rc.URL + "/hook?x=1", Headers: headers, Body: body, Timeout: 5 * time.Second})
	if got.Err != nil {
		t.Fatalf("Err = %v", got.Err)
	}
	reqs := rc.requests()
	if len(reqs) != 1 {
		t.Fatalf("receiver got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	checks := []struct {
		name string
		want any
		got  any
	}{
		{"method", http.MethodPost, r.Method},
		{"Content-Type", []string{"application/json"}, r.Header.Values("Content-Type")},
		{"User-Agent", []string{testUserAgent}, r.Header.Values("User-Agent")},
		{"Authorization", []string{"Bearer secret"}, r.Header.Values("Authorization")},
		{"X-Multi in order", []string{"first", "second", "third"}, r.Header.Values("X-Multi")},
		{"webhook-id", []string{"msg_1"}, r.Header.Values("Webhook-Id")},
		{"body intact", true, bytes.Equal(body, r.Body)},
	}
	for _, c := range checks {
		if fmt.Sprint(c.want) != fmt.Sprint(c.got) {
			t.Errorf("%s %s", c.name, diff(c.want, c.got))
		}
	}
}

// The response lists the headers sent, the credentials masked, with the
// sender's own value for a name it sets itself; also when no answer came.
func TestSendRecordsRequestHeaders(t *testing.T) {
	rc := newTestReceiver(t, nil, status(200, "ok"))
	req := Request{
		URL:         rc.URL,
		Headers:     [][2]string{{"webhook-id", "msg_7"}, {"User-Agent", "spoofed"}},
		Credentials: [][2]string{{"Authorization", "Bearer credential-0123456789"}, {"content-type", "text/plain"}},
		Body:        []byte(`{}`),
		Timeout:     5 * time.Second,
	}
	want := fmt.Sprint([]schema.RequestHeader{
		{Name: "Content-Type", Value: "application/json"},
		{Name: "User-Agent", Value: testUserAgent},
		{Name: "webhook-id", Value: "msg_7"},
		{Name: "Authorization", Value: "••••••••6789"},
	})
	s := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: true})
	got := s.Send(t.Context(), req)
	if got.Err != nil || fmt.Sprint(got.RequestHeaders) != want {
		t.Errorf("err %v, request headers %v, want %v", got.Err, got.RequestHeaders, want)
	}
	if r := rc.requests(); len(r) != 1 || r[0].Header.Get("Authorization") != "Bearer credential-0123456789" {
		t.Errorf("the receiver did not get the credential in full: %+v", r)
	}
	req.URL = "http://127.0.0.1:1/"
	if got := s.Send(t.Context(), req); got.Err == nil || fmt.Sprint(got.RequestHeaders) != want {
		t.Errorf("unreachable target: err %v, request headers %v, want %v", got.Err, got.RequestHeaders, want)
	}
}

// ipv6Listener listens on [::1], or skips when the host has no IPv6 loopback.
func ipv6Listener(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	return ln
}

// TestSendGuardRefusesLocalTargets drives the real sender with the guard on
// against loopback receivers only: would the guard fail, the request lands on
// the receiver and the test sees it. Non-loopback targets are covered by
// TestGuardAddress, never dialled.
func TestSendGuardRefusesLocalTargets(t *testing.T) {
	rc4 := newTestReceiver(t, nil, status(200, "reached"))
	rc6 := newTestReceiver(t, ipv6Listener(t), status(200, "reached"))
	port4 := rc4.Listener.Addr().(*net.TCPAddr).Port
	port6 := rc6.Listener.Addr().(*net.TCPAddr).Port
	tests := []struct {
		name    string
		url     string
		wantErr string // the message, or a prefix of it when it ends in "…"
	}{
		{name: "127.0.0.1", url: fmt.Sprintf("http://127.0.0.1:%d/", port4), wantErr: "target address refused: 127.0.0.1 is a loopback address"},
		{name: "127.1.2.3", url: fmt.Sprintf("http://127.1.2.3:%d/", port4), wantErr: "target address refused: 127.1.2.3 is a loopback address"},
		{name: "[::1]", url: fmt.Sprintf("http://[::1]:%d/", port6), wantErr: "target address refused: ::1 is a loopback address"},
		{name: "[::ffff:127.0.0.1]", url: fmt.Sprintf("http://[::ffff:127.0.0.1]:%d/", port4), wantErr: "target address refused: 127.0.0.1 is a loopback address"}, // Go dials a mapped address as IPv4,
		{name: "0.0.0.0", url: fmt.Sprintf("http://0.0.0.0:%d/", port4), wantErr: "target address refused: 0.0.0.0 is an unspecified address"},
		{name: "localhost", url: fmt.Sprintf("http://localhost:%d/", port4), wantErr: "target address refused: …"},
	}
	s := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: false})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.Send(t.Context(), Request{URL: tt.url, Body: []byte(`{}`), Timeout: 2 * time.Second})
			e := errText(got.Err)
			if prefix, ok := strings.CutSuffix(tt.wantErr, "…"); ok {
				if !strings.HasPrefix(e, prefix) || !strings.Contains(e, "loopback") {
					t.Errorf("Err = %q, want a loopback refusal", e)
				}
			} else if e != tt.wantErr {
				t.Errorf("Err %s", diff(tt.wantErr, e))
			}
			if got.Status != 0 {
				t.Errorf("Status %s", diff(0, got.Status))
			}
		})
	}
	if n := len(rc4.requests()) + len(rc6.requests()); n != 0 {
		t.Errorf("receivers got %d requests past the guard, want 0", n)
	}
	// The same receivers are reachable with the guard off, so the refusals
	// above are the guard's doing.
	open := New(Options{UserAgent: testUserAgent, MaxIdlePerHost: 2, AllowPrivate: true})
	for _, u := range []string{rc4.URL, rc6.URL} {
		if got := open.Send(t.Context(), Request{URL: u, Timeout: 2 * time.Second}); got.Err != nil {
			t.Errorf("allowPrivate sender: Send(%s) = %v, want nil", u, got.Err)
		}
	}
}

func TestGuardAddress(t *testing.T) {
	tests := []struct {
		address string
		wantErr string // "" when allowed
	}{
		// Never dialled: the guard runs before connect, and these are
		// checked here instead of through the sender.
		{"169.254.169.254:80", "target address refused: 169.254.169.254 is a link-local address"},
		{"10.0.0.1:443", "target address refused: 10.0.0.1 is a private address"},
		{"172.16.0.1:80", "target address refused: 172.16.0.1 is a private address"},
		{"192.168.1.1:80", "target address refused: 192.168.1.1 is a private address"},
		{"100.64.0.1:80", "target address refused: 100.64.0.1 is a shared (carrier-grade NAT) address"},
		{"127.0.0.1:8080", "target address refused: 127.0.0.1 is a loopback address"},
		{"0.0.0.0:80", "target address refused: 0.0.0.0 is an unspecified address"},
		{"224.0.0.1:80", "target address refused: 224.0.0.1 is a link-local address"},
		{"239.1.2.3:80", "target address refused: 239.1.2.3 is a multicast address"},
		{"[::1]:80", "target address refused: ::1 is a loopback address"},
		{"[::]:80", "target address refused: :: is an unspecified address"},
		{"[fd00::1]:80", "target address refused: fd00::1 is a private address"},
		{"[fe80::1%eth0]:80", "target address refused: fe80::1%eth0 is a link-local address"},
		{"[ff02::1]:80", "target address refused: ff02::1 is a link-local address"},
		{"[ff05::1]:80", "target address refused: ff05::1 is a multicast address"},
		// IPv4-mapped IPv6 is unmapped before the check.
		{"[::ffff:127.0.0.1]:80", "target address refused: ::ffff:127.0.0.1 is a loopback address"},
		{"[::ffff:169.254.169.254]:80", "target address refused: ::ffff:169.254.169.254 is a link-local address"},
		{"[::ffff:10.0.0.1]:80", "target address refused: ::ffff:10.0.0.1 is a private address"},
		{"[::ffff:100.64.0.1]:80", "target address refused: ::ffff:100.64.0.1 is a shared (carrier-grade NAT) address"},
		{"[::ffff:0.0.0.0]:80", "target address refused: ::ffff:0.0.0.0 is an unspecified address"},
		{"[::127.0.0.1]:80", "target address refused: ::7f00:1 is outside the IPv6 global unicast range"},
		{"255.255.255.255:80", "target address refused: 255.255.255.255 is a special-purpose address (240.0.0.0/4)"},
		{"[2002:a00:1::1]:443", "target address refused: 2002:a00:1::1 is a special-purpose address (2002::/16)"},
		// Not an address at all.
		{"example.com:80", "target address refused: example.com:80"},
		{"", "target address refused: "},
		// Public.
		{"93.184.216.34:443", ""},
		{"[2606:4700::1111]:443", ""},
		{"[::ffff:93.184.216.34]:443", ""},
	}
	for _, tt := range tests {
		t.Run(tt.address, func(t *testing.T) {
			err := guardAddress("tcp", tt.address, nil)
			if e := errText(err); e != tt.wantErr {
				t.Errorf("guardAddress(%q) %s", tt.address, diff(tt.wantErr, e))
			}
			if err != nil && !errors.Is(err, ErrTargetRefused) {
				t.Errorf("guardAddress(%q) = %v, want an ErrTargetRefused", tt.address, err)
			}
		})
	}
}

func TestForbiddenAddr(t *testing.T) {
	tests := []struct {
		addr string
		want string
	}{
		{"127.0.0.1", "a loopback address"},
		{"127.255.255.254", "a loopback address"},
		{"::1", "a loopback address"},
		{"::ffff:127.0.0.1", "a loopback address"}, // netip unmaps for loopback; guardAddress unmaps anyway
		{"10.0.0.1", "a private address"},
		{"10.255.255.255", "a private address"},
		{"172.16.0.1", "a private address"},
		{"172.31.255.255", "a private address"},
		{"192.168.0.1", "a private address"},
		{"fc00::1", "a private address"},
		{"fdff:ffff::1", "a private address"},
		{"169.254.0.1", "a link-local address"},
		{"169.254.169.254", "a link-local address"},
		{"fe80::1", "a link-local address"},
		{"224.0.0.251", "a link-local address"}, // link-local multicast
		{"ff02::fb", "a link-local address"},
		{"239.255.255.250", "a multicast address"},
		{"ff0e::1", "a multicast address"},
		{"ff01::1", "a multicast address"}, // interface-local
		{"0.0.0.0", "an unspecified address"},
		{"::", "an unspecified address"},
		{"100.64.0.1", "a shared (carrier-grade NAT) address"},
		{"100.127.255.255", "a shared (carrier-grade NAT) address"},
		// The rest of the IANA special-purpose registries.
		{"192.0.0.1", "a special-purpose address (192.0.0.0/24)"},
		{"192.0.2.1", "a special-purpose address (192.0.2.0/24)"},
		{"198.18.0.1", "a special-purpose address (198.18.0.0/15)"},
		{"198.19.255.255", "a special-purpose address (198.18.0.0/15)"},
		{"198.51.100.7", "a special-purpose address (198.51.100.0/24)"},
		{"203.0.113.9", "a special-purpose address (203.0.113.0/24)"},
		{"192.88.99.1", "a special-purpose address (192.88.99.0/24)"},
		{"240.0.0.1", "a special-purpose address (240.0.0.0/4)"},
		{"255.255.255.255", "a special-purpose address (240.0.0.0/4)"},
		{"::127.0.0.1", "outside the IPv6 global unicast range"},    // IPv4-compatible
		{"::10.0.0.1", "outside the IPv6 global unicast range"},     // IPv4-compatible
		{"2002:7f00:1::1", "a special-purpose address (2002::/16)"}, // 6to4 of 127.0.0.1
		{"2002:c0a8:101::1", "a special-purpose address (2002::/16)"},
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", "a special-purpose address (2001::/23)"}, // Teredo
		{"2001:0:4136:e378:8000:63bf:f5ff:fffe", "a special-purpose address (2001::/23)"}, // Teredo of 10.0.0.1
		{"2001:db8::1", "a special-purpose address (2001:db8::/32)"},
		{"fec0::1", "outside the IPv6 global unicast range"}, // site-local
		{"64:ff9b::a00:1", "a NAT64 address"},
		{"100::1", "outside the IPv6 global unicast range"}, // discard-only
		// Public, and the edges of the ranges above.
		{"93.184.216.34", ""},
		{"198.17.255.255", ""},
		{"198.20.0.0", ""},
		{"239.255.255.255", "a multicast address"},
		{"2a00:1450:4001::1", ""},
		{"8.8.8.8", ""},
		{"2606:4700::1111", ""},
		{"2001:4860:4860::8888", ""},
		{"172.15.255.255", ""},
		{"172.32.0.0", ""},
		{"100.63.255.255", ""},
		{"100.128.0.0", ""},
		{"11.0.0.0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := forbiddenAddr(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("forbiddenAddr(%s) %s", tt.addr, diff(tt.want, got))
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "refused", err: fmt.Errorf("dial tcp: %w", fmt.Errorf("%w: 10.0.0.1 is a private address", ErrTargetRefused)), want: "target address refused: 10.0.0.1 is a private address"},
		{name: "deadline", err: fmt.Errorf("Post: %w", context.DeadlineExceeded), want: "timeout after 1s"},
		{name: "refused connection", err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, want: "connection refused"},
		{name: "reset", err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}, want: "connection reset by peer"},
		{name: "DNS not found", err: &net.DNSError{Name: "nope.invalid", Err: "no such host", IsNotFound: true}, want: "DNS: host nope.invalid not found"},
		{name: "DNS other", err: &net.DNSError{Name: "x", Err: "server misbehaving"}, want: "DNS: server misbehaving"},
		{name: "canceled", err: fmt.Errorf("Post: %w", context.Canceled), want: "canceled"},
		{name: "other, wrapped", err: fmt.Errorf("Post: %w", errors.New("weird")), want: "request failed: weird"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := describe(tt.err, time.Second).Error(); got != tt.want {
				t.Errorf("describe(%v) %s", tt.err, diff(tt.want, got))
			}
		})
	}
}
