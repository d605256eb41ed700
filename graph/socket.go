package graph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// How the server ends a websocket, and what a graphql-ws client (v6,
// createClient with its defaults) does then:
//
//   - 1000 (normal closure): the client reconnects at once, without a
//     back-off. gqlgen closes with 1000 whenever a connection's context ends;
//     when the server stopped, that immediate attempt met a closed port, and a
//     refused connection is an error event, which default clients give up on.
//     So the server never ends a socket with 1000 itself: the two codes below
//     replace it.
//   - 1012 (service restart): the server stops. Clients wait 1 s plus 0.3 to
//     3 s, reconnect and subscribe again.
//   - 1013 (try again later): a subscriber fell more than SubscriberBuffer
//     events behind, or an event could not be resolved. Clients reconnect
//     after the same back-off and subscribe again; events in between are
//     lost, so they refetch.
//   - 4401, 4429 (see NewHandler): refused; clients do not retry.
const (
	closeServiceRestart = 1012
	closeTryAgainLater  = 1013
)

// socketClose is why the server closes a websocket: the code and reason it
// sends.
type socketClose struct {
	code   int
	reason string
}

func (c *socketClose) Error() string { return c.reason }

var errServerStopping = &socketClose{closeServiceRestart, "server restarting; reconnect"}

// Sockets are the open websockets of a handler. The server closes them last
// when it stops, once the requests and deliveries in flight ended, so that
// clients which reconnect after their back-off find the next server rather
// than a closed port.
type Sockets struct {
	mu     sync.Mutex
	open   map[*liveSocket]struct{}
	closed bool
	wg     sync.WaitGroup
}

// NewSockets returns an empty set of websockets; pass it in Options and
// call Close when the server stops.
func NewSockets() *Sockets { return &Sockets{open: map[*liveSocket]struct{}{}} }

// Close closes every open websocket with code 1012 (service restart) and
// waits until their handlers returned or ctx ends. Later upgrades are
// refused with 503.
func (s *Sockets) Close(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	for sk := range s.open {
		sk.cancel(errServerStopping)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// liveSocket is one tracked websocket: cancel ends its context with the
// reason it is closed.
type liveSocket struct{ cancel context.CancelCauseFunc }

type socketCtlKey struct{}

// track gives each websocket upgrade a context of its own that ends when the
// socket is to be closed, with a *socketClose as its cause. With detached,
// that context outlives the server's (Close ends it); otherwise it ends with
// the request's, and the socket is closed as for Close.
func (s *Sockets) track(next http.Handler, detached bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			next.ServeHTTP(w, r)
			return
		}
		parent := r.Context()
		if detached {
			parent = context.WithoutCancel(parent)
		}
		ctx, cancel := context.WithCancelCause(parent)
		defer cancel(nil)
		sk := &liveSocket{cancel: cancel}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			writeGraphQLError(w, http.StatusServiceUnavailable, "the server is stopping; reconnect shortly", "UNAVAILABLE")
			return
		}
		s.open[sk] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			delete(s.open, sk)
			s.mu.Unlock()
			s.wg.Done()
		}()
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, socketCtlKey{}, sk)))
	})
}

// closeSocket closes the websocket that ctx belongs to with code and
// reason (at most 123 bytes); every operation on it ends.
func closeSocket(ctx context.Context, code int, reason string) {
	if sk, ok := ctx.Value(socketCtlKey{}).(*liveSocket); ok {
		sk.cancel(&socketClose{code: code, reason: reason})
	}
}

// closingWebsockets accepts websockets whose closing code follows the
// socket's context: see closingConn.
type closingWebsockets struct {
	transport.WebsocketImplementation
}

func (i closingWebsockets) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	c, err := i.WebsocketImplementation.Accept(w, r, o)
	if err != nil {
		return nil, err
	}
	return &closingConn{WebsocketConn: c, ctx: r.Context()}, nil
}

// closingConn replaces the normal closure that gqlgen sends when a socket's
// context ended by the code and reason of the context's cause (1012 when the
// server stops). Other closes pass unchanged.
type closingConn struct {
	transport.WebsocketConn
	ctx context.Context
}

func (c *closingConn) WriteClose(code int, reason string) error {
	if code == transport.WebsocketCloseNormalClosure && c.ctx.Err() != nil {
		sc := errServerStopping
		errors.As(context.Cause(c.ctx), &sc)
		code, reason = sc.code, sc.reason
	}
	return c.WebsocketConn.WriteClose(code, reason)
}

func (c *closingConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *closingConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}
