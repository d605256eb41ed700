// Package sender makes the HTTP calls to receivers: one request with its
// Standard Webhooks signature (signing.go), through an SSRF guard that
// checks every address at dial time, with the webhook's own TLS client
// (transport.go) and OAuth2 access token (oauth.go), its answer classified
// and phrased for the call log. It decides nothing about retries or
// outcomes: the domain (internal/webhooks) does.
package sender

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"code.dny.dev/ssrf"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent/schema"
	"github.com/scoopa/webhooks/internal/secrets"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

const (
	// maxResponseRead is how much of a response body is read at most.
	maxResponseRead = 64 << 10
	// maxResponseKept is how much of it is kept on the attempt.
	maxResponseKept = 4 << 10
)

// Request is one HTTP call to a webhook.
type Request struct {
	URL     string
	Headers [][2]string // extra headers, in order
	// Credentials are the webhook's own headers, sent after Headers. The
	// record of the request (Response.RequestHeaders) shows them masked.
	Credentials [][2]string
	Body        []byte
	Timeout     time.Duration
	// Client, if not nil, makes the call instead of the sender's own: the
	// client of a webhook with TLS settings of its own (transport.go).
	Client *http.Client
}

// Response is the outcome of one HTTP call. Err is nil only for a 2xx answer.
type Response struct {
	Status   int    // 0 when no answer came
	Body     string // the first 4 KiB
	Duration time.Duration
	Err      error
	// RequestHeaders are the headers the request sent, credential values
	// masked: what the call log shows of the attempt.
	RequestHeaders []schema.RequestHeader
	// RetryAfter is the answer's Retry-After header, if any.
	RetryAfter string
}

// ErrTargetRefused means the SSRF guard refused the target address.
var ErrTargetRefused = errors.New("target address refused")

// Sender makes webhook calls: no redirects followed, a bounded response read,
// errors phrased for the call log, and an SSRF guard that checks every
// address at dial time (so DNS cannot be used to sneak past it).
type Sender struct {
	client    *http.Client
	base      *http.Transport
	userAgent string
	// tls holds the clients of webhooks with TLS settings of their own.
	tls tlsClients
	// tokens fetches and shares the OAuth2 tokens of webhooks.
	tokens *tokenCache
	log    *slog.Logger
	// tracer, if not nil, traces each call as a client span, whose context
	// propagator sends to the receiver (traceparent, tracestate).
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator
}

// Options are what a Sender is built from.
type Options struct {
	UserAgent string
	// MaxIdlePerHost is how many idle connections per host the transport
	// keeps.
	MaxIdlePerHost int
	// AllowPrivate turns the SSRF guard off.
	AllowPrivate bool
	// Redis, if not nil, shares OAuth2 tokens between processes, under keys
	// named for Queue; Keys seals them there. Without Redis, tokens are
	// shared within this process only.
	Redis redis.UniversalClient
	Queue string
	Keys  *secrets.Keyring
	Log   *slog.Logger
	// Tracer, if not nil, traces each call; Propagator sends its context to
	// the receiver.
	Tracer     trace.Tracer
	Propagator propagation.TextMapPropagator
}

// New returns a Sender.
func New(o Options) *Sender {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !o.AllowPrivate {
		dialer.Control = guardAddress
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would hide the real target from the guard
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4 * o.MaxIdlePerHost,
		MaxIdleConnsPerHost:   o.MaxIdlePerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Propagator == nil {
		o.Propagator = propagation.TraceContext{}
	}
	return &Sender{userAgent: o.UserAgent, base: tr, client: noRedirects(tr), log: o.Log,
		tokens: newTokenCache(o.Redis, o.Queue, o.Keys), tracer: o.Tracer, propagator: o.Propagator}
}

// noRedirects returns a client on tr that follows no redirect.
func noRedirects(tr http.RoundTripper) *http.Client {
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// guardAddress refuses connections to addresses a webhook must not reach.
func guardAddress(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrTargetRefused, address)
	}
	if reason := forbiddenAddr(ap.Addr().Unmap()); reason != "" {
		return fmt.Errorf("%w: %s is %s", ErrTargetRefused, ap.Addr(), reason)
	}
	return nil
}

// specialPurpose decides which addresses a webhook may reach: every prefix of
// the IANA IPv4 and IPv6 special-purpose registries is refused, and so is
// every IPv6 address outside the global unicast range 2000::/3 (which takes
// in IPv4-compatible, site-local and unique local addresses). 6to4 and
// Teredo are refused whole, so no private address can hide inside them.
var specialPurpose = ssrf.New(ssrf.WithAnyNetwork(), ssrf.WithAnyPort())

// forbiddenAddr returns why a webhook must not reach a, or "" when it may.
// The decision is specialPurpose's; the reason names the kind of address.
func forbiddenAddr(a netip.Addr) string {
	if specialPurpose.SafeAddr(a) == nil {
		return ""
	}
	switch {
	case a.IsLoopback():
		return "a loopback address"
	case a.IsPrivate():
		return "a private address"
	case a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast():
		return "a link-local address"
	case a.IsUnspecified():
		return "an unspecified address"
	case a.IsMulticast() || a.IsInterfaceLocalMulticast():
		return "a multicast address"
	case netip.MustParsePrefix("100.64.0.0/10").Contains(a):
		return "a shared (carrier-grade NAT) address"
	case netip.MustParsePrefix("0.0.0.0/8").Contains(a):
		return "an address of \"this network\""
	case ssrf.IPv6NAT64Prefix.Contains(a):
		return "a NAT64 address"
	}
	prefixes := ssrf.IPv4DeniedPrefixes
	if a.Is6() {
		prefixes = ssrf.IPv6DeniedPrefixes
	}
	for _, p := range prefixes {
		if p.Contains(a) {
			return "a special-purpose address (" + p.String() + ")"
		}
	}
	if a.Is6() && !ssrf.IPv6GlobalUnicast.Contains(a) {
		return "outside the IPv6 global unicast range"
	}
	return "a special-purpose address"
}

// Send makes the call and classifies its outcome.
func (s *Sender) Send(ctx context.Context, r Request) Response {
	if s.tracer == nil {
		return s.send(ctx, r)
	}
	ctx, span := s.tracer.Start(ctx, http.MethodPost, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(clientAttributes(r.URL)...))
	defer span.End()
	// The receiver joins the trace as a child of this span.
	carrier := propagation.HeaderCarrier{}
	s.propagator.Inject(ctx, carrier)
	r.Headers = slices.Clip(r.Headers) // the caller's slice stays as it was
	for _, name := range []string{"traceparent", "tracestate"} {
		if v := carrier.Get(name); v != "" {
			r.Headers = append(r.Headers, [2]string{name, v})
		}
	}
	resp := s.send(ctx, r)
	if resp.Status != 0 {
		span.SetAttributes(attribute.Int("http.response.status_code", resp.Status))
	}
	if resp.Err != nil {
		errType := "request"
		if resp.Status != 0 {
			errType = strconv.Itoa(resp.Status)
		}
		span.SetAttributes(attribute.String("error.type", errType))
		span.SetStatus(codes.Error, resp.Err.Error())
	}
	return resp
}

// clientAttributes describe a call to rawURL (its secrets masked) on its
// client span.
func clientAttributes(rawURL string) []attribute.KeyValue {
	attrs := []attribute.KeyValue{attribute.String("http.request.method", http.MethodPost), attribute.String("url.full", secrets.MaskURL(rawURL))}
	if u, err := url.Parse(rawURL); err == nil {
		attrs = append(attrs, attribute.String("server.address", u.Hostname()))
		port := u.Port()
		if port == "" && u.Scheme == "https" {
			port = "443"
		} else if port == "" {
			port = "80"
		}
		if n, err := strconv.Atoi(port); err == nil {
			attrs = append(attrs, attribute.Int("server.port", n))
		}
	}
	return attrs
}

// send is Send without its span.
func (s *Sender) send(ctx context.Context, r Request) Response {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	start := time.Now()
	sent := s.requestHeaders(r)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return Response{Err: fmt.Errorf("bad request: %w", err), RequestHeaders: sent}
	}
	for _, h := range r.Headers {
		req.Header.Add(h[0], h[1])
	}
	for _, h := range r.Credentials {
		req.Header.Add(h[0], h[1])
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", s.userAgent)
	client := s.client
	if r.Client != nil {
		client = r.Client
	}
	resp, err := client.Do(req)
	if err != nil {
		return Response{Duration: time.Since(start), Err: describe(err, r.Timeout), RequestHeaders: sent}
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxResponseRead))
	out := Response{Status: resp.StatusCode, Duration: time.Since(start), Body: keep(body), RequestHeaders: sent,
		RetryAfter: resp.Header.Get("Retry-After")}
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		out.Err = fmt.Errorf("redirect not followed (%d)", resp.StatusCode)
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		out.Err = fmt.Errorf("HTTP %d", resp.StatusCode)
	case rerr != nil && !errors.Is(rerr, io.EOF):
		// A 2xx whose body broke off still counts as delivered.
		out.Body += "\n[response body cut off: " + describe(rerr, r.Timeout).Error() + "]"
	}
	return out
}

// contentType is the Content-Type of every call.
const contentType = "application/json"

// requestHeaders lists the headers Send sends for r, as the call log shows
// them: the sender's own (Content-Type, User-Agent), then r.Headers, then
// r.Credentials with their values masked. A name the sender sets itself is
// listed once, with the sender's value, as it is sent.
func (s *Sender) requestHeaders(r Request) []schema.RequestHeader {
	out := make([]schema.RequestHeader, 0, 2+len(r.Headers)+len(r.Credentials))
	out = append(out, schema.RequestHeader{Name: "Content-Type", Value: contentType},
		schema.RequestHeader{Name: "User-Agent", Value: s.userAgent})
	own := func(name string) bool {
		k := http.CanonicalHeaderKey(name)
		return k == "Content-Type" || k == "User-Agent"
	}
	for _, h := range r.Headers {
		if !own(h[0]) {
			out = append(out, schema.RequestHeader{Name: h[0], Value: h[1]})
		}
	}
	for _, h := range r.Credentials {
		if !own(h[0]) {
			out = append(out, schema.RequestHeader{Name: h[0], Value: secrets.Mask(h[1])})
		}
	}
	return out
}

// keep returns at most maxResponseKept bytes of body as valid UTF-8: cut at
// a character boundary, invalid bytes replaced, and cut again if the
// replacements made it longer.
func keep(body []byte) string {
	if len(body) > maxResponseKept {
		body = body[:maxResponseKept]
		// Do not cut a valid character in two: back up to its first byte.
		for i := 0; i < utf8.UTFMax && len(body) > 0; i++ {
			r, size := utf8.DecodeLastRune(body)
			if r != utf8.RuneError || size != 1 {
				break
			}
			if utf8.RuneStart(body[len(body)-1]) {
				body = body[:len(body)-1]
				break
			}
			body = body[:len(body)-1]
		}
	}
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	for len(s) > maxResponseKept {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// describe turns a transport error into the short message the log shows.
func describe(err error, timeout time.Duration) error {
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		unkAuth x509.UnknownAuthorityError
		hostErr x509.HostnameError
		recErr  tls.RecordHeaderError
	)
	switch {
	case errors.Is(err, ErrTargetRefused):
		var msg = err.Error()
		if i := strings.Index(msg, ErrTargetRefused.Error()); i >= 0 {
			msg = msg[i:]
		}
		return errors.New(msg)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Errorf("timeout after %s", timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return errors.New("connection refused")
	case errors.Is(err, syscall.ECONNRESET):
		return errors.New("connection reset by peer")
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return fmt.Errorf("DNS: host %s not found", dnsErr.Name)
		}
		return fmt.Errorf("DNS: %s", dnsErr.Err)
	case errors.As(err, &certErr), errors.As(err, &unkAuth), errors.As(err, &hostErr):
		return fmt.Errorf("TLS: %v", errors.Unwrap(err))
	case errors.As(err, &recErr):
		return errors.New("TLS: the server does not speak TLS")
	case strings.Contains(err.Error(), "remote error: tls: "):
		// The receiver's TLS alert (crypto/tls does not export its type).
		remote := err.Error()[strings.Index(err.Error(), "remote error: tls: "):]
		msg := fmt.Sprintf("TLS: the receiver refused the handshake (%s)", remote)
		for _, a := range []string{"certificate required", "bad certificate", "unknown certificate authority", "certificate unknown", "expired certificate"} {
			if strings.HasSuffix(remote, a) {
				msg += ": it wants a client certificate it accepts"
				break
			}
		}
		return errors.New(msg)
	case errors.Is(err, context.Canceled):
		return errors.New("canceled")
	}
	if inner := errors.Unwrap(err); inner != nil {
		err = inner
	}
	return fmt.Errorf("request failed: %v", err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
