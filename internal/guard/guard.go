// Package guard holds the HTTP server's defences that need nothing of the
// domain: which origins may use the console's session cookie, the client
// address behind trusted proxies, throttling of failed authentications per
// client address, and read deadlines of request bodies.
package guard

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// CheckOrigin refuses a browser request from another origin than the
// server's own (the request's Host) or one matching patterns (host
// patterns such as "console.example.com" or "*.example.com", or full
// origins such as "https://console.example.com", as path.Match reads
// them). Requests without Origin and Sec-Fetch-Site (not sent by a
// browser) pass: only a browser adds a cookie on its own.
func CheckOrigin(r *http.Request, patterns []string) error {
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || u.Host == "" {
			return fmt.Errorf("requests from origin %q may not use the session cookie", origin)
		}
		if strings.EqualFold(u.Host, r.Host) {
			return nil
		}
		for _, p := range patterns {
			target := u.Host
			if strings.Contains(p, "://") {
				target = u.Scheme + "://" + u.Host
			}
			if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(target)); ok {
				return nil
			}
		}
		return fmt.Errorf("requests from origin %s may not use the session cookie (allowed: this server's own origin and SCOOPA_ALLOWED_ORIGINS)", origin)
	}
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
		return nil
	default:
		return fmt.Errorf("%s requests (Sec-Fetch-Site) may not use the session cookie", site)
	}
}

// ClientAddr is the address a request came from: the client's address as
// TrustProxies found it, else the peer's IP address (then a proxy in front
// of the server is one address for all its clients).
func ClientAddr(r *http.Request) string {
	if a, ok := r.Context().Value(clientKey{}).(string); ok {
		return a
	}
	return peerAddr(r)
}

func peerAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type clientKey struct{}

// ParseProxies reads a comma-separated list of CIDRs ("10.0.0.0/8") or
// single addresses ("192.0.2.7"): the proxies whose X-Forwarded-For is
// believed. Empty means none.
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is not a CIDR (such as 10.0.0.0/8 or fd00::/8) or an IP address", item)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// TrustProxies finds the client address of requests that come through
// proxies: only when the peer is one of proxies is X-Forwarded-For read,
// from the right (the entry the nearest proxy added) leftwards, skipping
// the addresses of trusted proxies; the first other address is the
// client. Entries left of it, which the client may have written itself,
// are never believed. A request from any other peer keeps the peer's
// address, whatever X-Forwarded-For it carries. ClientAddr answers what
// was found. With no proxies, next is returned as it is.
func TrustProxies(proxies []netip.Prefix, next http.Handler) http.Handler {
	if len(proxies) == 0 {
		return next
	}
	trusted := func(a netip.Addr) bool {
		for _, p := range proxies {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddr(peerAddr(r))
		if err != nil || !trusted(peer.Unmap()) {
			next.ServeHTTP(w, r)
			return
		}
		client := peer.Unmap()
		entries := forwardedFor(r.Header.Values("X-Forwarded-For"))
		for i := len(entries) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(entries[i])
			if err != nil {
				break // not an address: what is left of it is not believed
			}
			client = a.Unmap()
			if !trusted(client) {
				break
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, client.String())))
	})
}

// forwardedFor splits X-Forwarded-For header lines into their entries, in
// order; an entry may carry a port ("192.0.2.7:1234", "[2001:db8::1]:80").
func forwardedFor(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, e := range strings.Split(l, ",") {
			e = strings.TrimSpace(e)
			if host, _, err := net.SplitHostPort(e); err == nil {
				e = host
			}
			out = append(out, strings.Trim(e, "[]"))
		}
	}
	return out
}

// Throttle counts failed authentications per client address. Once an
// address has failed limit times within a window, every authentication from
// it is refused until the window ends, unless it carries a token that
// authenticated from that address before: a guess learns nothing, and the
// clients already working from that address keep working. Successful
// authentications never count. A nil *Throttle allows everything.
type Throttle struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu    sync.Mutex
	addrs map[string]*addrState
	calls int
}

type addrState struct {
	start    time.Time // of the current window
	failures int
	seen     time.Time
	good     map[[32]byte]struct{}
}

// maxGoodTokens bounds the tokens remembered per address.
const maxGoodTokens = 32

// NewThrottle returns a throttle allowing limit failures per window from
// one address; now is the clock (time.Now if nil). A limit of 0 returns nil:
// no throttling.
func NewThrottle(limit int, window time.Duration, now func() time.Time) *Throttle {
	if limit <= 0 {
		return nil
	}
	if now == nil {
		now = time.Now
	}
	return &Throttle{limit: limit, window: window, now: now, addrs: map[string]*addrState{}}
}

// Allow reports whether token may be tried from addr now, and if not, how
// long until it may.
func (t *Throttle) Allow(addr, token string) (bool, time.Duration) {
	if t == nil {
		return true, 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.state(addr)
	if s.failures < t.limit {
		return true, 0
	}
	if _, ok := s.good[sha256.Sum256([]byte(token))]; ok {
		return true, 0
	}
	return false, s.start.Add(t.window).Sub(t.now())
}

// ThrottledError is what Check answers for an address that failed too
// often: try again after Wait.
type ThrottledError struct{ Wait time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed authentications from this address; retry after %s", e.Wait.Round(time.Second))
}

// RetryAfter is d in whole seconds, rounded up, at least 1: the value of a
// Retry-After header, and the seconds an error message asks to wait.
func RetryAfter(d time.Duration) string {
	return strconv.Itoa(max(int((d+time.Second-1)/time.Second), 1))
}

// Check runs auth, an authentication of token from addr, under the
// throttle: a throttled address gets a *ThrottledError and auth does not
// run; an error of auth for which failed is true counts as a failure, and
// success lets the token through later throttling of addr. Every way in
// (bearer token, websocket connection_init, sign-in) goes through it.
func (t *Throttle) Check(addr, token string, auth func() error, failed func(error) bool) error {
	if ok, wait := t.Allow(addr, token); !ok {
		return &ThrottledError{Wait: wait}
	}
	err := auth()
	switch {
	case err == nil:
		t.Succeeded(addr, token)
	case failed(err):
		t.Failed(addr, token)
	}
	return err
}

// Failed records a failed authentication from addr.
func (t *Throttle) Failed(addr, token string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.state(addr)
	s.failures++
	delete(s.good, sha256.Sum256([]byte(token))) // e.g. revoked since
}

// Succeeded records that token authenticated from addr.
func (t *Throttle) Succeeded(addr, token string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.state(addr)
	if s.good == nil {
		s.good = map[[32]byte]struct{}{}
	}
	if len(s.good) < maxGoodTokens {
		s.good[sha256.Sum256([]byte(token))] = struct{}{}
	}
}

// state returns addr's state with its window current; t.mu is held. Now
// and then it forgets addresses not seen for two windows.
func (t *Throttle) state(addr string) *addrState {
	now := t.now()
	if t.calls++; t.calls%1024 == 0 {
		for a, s := range t.addrs {
			if now.Sub(s.seen) > 2*t.window {
				delete(t.addrs, a)
			}
		}
	}
	s, ok := t.addrs[addr]
	if !ok {
		s = &addrState{start: now}
		t.addrs[addr] = s
	}
	if now.Sub(s.start) >= t.window {
		s.start, s.failures = now, 0
	}
	s.seen = now
	return s
}

type deadlineKey struct{}

// bodyDeadline moves the connection's read deadline while a body is read.
type bodyDeadline struct {
	body      io.ReadCloser
	rc        *http.ResponseController
	timeout   time.Duration
	streaming bool
	unmoved   int64 // bytes read since the deadline last moved
	done      bool
}

// progressStep is how many bytes of a streamed body move its deadline.
const progressStep = 32 << 10

func (b *bodyDeadline) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	if b.streaming && n > 0 {
		if b.unmoved += int64(n); b.unmoved >= progressStep {
			b.unmoved = 0
			_ = b.rc.SetReadDeadline(time.Now().Add(b.timeout))
		}
	}
	if err == io.EOF && !b.done {
		// Whole: no deadline while the request is handled, or a long
		// request would be canceled when it passes.
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

func (b *bodyDeadline) Close() error { return b.body.Close() }

// ReadDeadline gives the body of every request timeout to arrive (the
// headers have http.Server's ReadHeaderTimeout). A handler that accepts
// long bodies calls Stream, after which the deadline moves forward by
// timeout each time 32 KiB have arrived. Requests without a body (GET,
// websocket upgrades) get no deadline.
func ReadDeadline(timeout time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		if err := rc.SetReadDeadline(time.Now().Add(timeout)); err != nil {
			next.ServeHTTP(w, r) // not a real connection (tests)
			return
		}
		b := &bodyDeadline{body: r.Body, rc: rc, timeout: timeout}
		r = r.WithContext(context.WithValue(r.Context(), deadlineKey{}, b))
		r.Body = b
		next.ServeHTTP(w, r)
	})
}

// Stream switches the request's body to a deadline that moves as bytes
// arrive: for uploads, once it is known who sends them and what for.
func Stream(r *http.Request) {
	// A body already read whole (small ones are, by read-ahead) keeps no
	// deadline.
	if b, ok := r.Context().Value(deadlineKey{}).(*bodyDeadline); ok && !b.streaming && !b.done {
		b.streaming = true
		_ = b.rc.SetReadDeadline(time.Now().Add(b.timeout))
	}
}

// IsTimeout reports whether err is a read that passed its deadline.
func IsTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
