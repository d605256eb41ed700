package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/guard"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/webhooks"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// What guards a websocket connection, in the order it happens:
//
//  1. The upgrade request gets a socket: authenticate gives it the token of
//     its header or the console session of its cookie, if any, and the registry (Sockets) a context of
//     its own, which ends when the socket is to be closed.
//  2. Accept starts a timer: without connection_init within InitTimeout the
//     socket is closed with 4408.
//  3. connection_init authenticates the token (4401 if bad, 4429 if the
//     address failed too often) and admits the socket under it; a token
//     holds at most MaxSocketsPerToken (4429).
//  4. Every operation sent over the socket is authorised when it runs: it
//     counts against the token's rate limit, the token is authenticated
//     again (a revoked or expired token, or an ended or expired session,
//     closes the socket with 4401), and a
//     subscription takes one of the socket's MaxSubscriptionsPerSocket
//     slots until it ends.
//  5. While sockets are open, the registry asks the database every
//     TokenCheckInterval which of their tokens were revoked or expired, and
//     which of their console sessions ended or expired, on whichever server
//     instance, and closes their sockets with 4401.
//
// The server closes a socket one way, whatever the reason (shutdown, a
// slow subscriber, an event not resolved, a revoked token, a refused
// connection_init, the connection limit, the init timeout): socket.close
// records the reason in the registry and ends the socket's context with it
// as the cause. The close frame then carries the reason's code and text,
// whoever writes it: the socket itself while it waits for connection_init,
// gqlgen's transport from then on (which closes when connection_init is
// refused, or when the context ends).

// How the server ends a websocket, and what a graphql-ws client (v6,
// createClient with its defaults) does then:
//
//   - 1000 (normal closure): the client reconnects at once, without a
//     back-off. gqlgen closes with 1000 whenever a connection's context ends;
//     when the server stopped, that immediate attempt met a closed port, and a
//     refused connection is an error event, which default clients give up on.
//     So the server never ends a socket with 1000 itself: the close frame
//     carries the code of the reason the socket was closed for.
//   - 1012 (service restart): the server stops. Clients wait 1 s plus 0.3 to
//     3 s, reconnect and subscribe again.
//   - 1013 (try again later): a subscriber fell more than SubscriberBuffer
//     events behind, or an event could not be resolved. Clients reconnect
//     after the same back-off and subscribe again; events in between are
//     lost, so they refetch.
//   - 4401, 4408, 4429: refused; clients do not retry.

// SocketClose is a reason the server closes websockets for: the close code
// it sends, and a name for the reason.
type SocketClose struct {
	Code int
	Why  string
}

// The reasons the server closes websockets for.
var (
	// CloseShutdown: the server stops (Sockets.Close).
	CloseShutdown = SocketClose{1012, "shutdown"}
	// CloseSlowSubscriber: a subscriber fell too far behind.
	CloseSlowSubscriber = SocketClose{1013, "slow subscriber"}
	// CloseUnresolved: an event of a subscription could not be resolved.
	CloseUnresolved = SocketClose{1013, "event not resolved"}
	// CloseRevoked: the socket's token was revoked or expired.
	CloseRevoked = SocketClose{4401, "token revoked or expired"}
	// CloseUnauthenticated: connection_init carried no valid token.
	CloseUnauthenticated = SocketClose{4401, "unauthenticated"}
	// CloseThrottled: connection_init came from an address that failed to
	// authenticate too often.
	CloseThrottled = SocketClose{4429, "authentication throttled"}
	// CloseConnectionLimit: the token holds MaxSocketsPerToken sockets.
	CloseConnectionLimit = SocketClose{4429, "connection limit"}
	// CloseInitTimeout: no connection_init within InitTimeout.
	CloseInitTimeout = SocketClose{4408, "init timeout"}
	// CloseUnavailable: the token could not be checked, a dependency
	// being unavailable (try again later).
	CloseUnavailable = SocketClose{1013, "dependency unavailable"}
)

// closeCause is why a socket is being closed: the cause its context ends
// with, and the code and text of its close frame (at most 123 bytes).
type closeCause struct {
	SocketClose
	reason string
}

func (c *closeCause) Error() string { return c.reason }

// Sockets is the registry of a handler's open websockets: it closes them
// when the server stops, bounds them per token, and closes those whose
// token stops being valid. The server closes them last when it stops, once
// the requests and deliveries in flight ended, so that clients which
// reconnect after their back-off find the next server rather than a
// closed port. A Sockets serves one handler (NewHandler sets its limits).
type Sockets struct {
	mu       sync.Mutex
	open     map[*socket]struct{}
	byToken  map[int]map[*socket]struct{}
	closes   map[SocketClose]int
	stopping bool
	watching bool
	wg       sync.WaitGroup

	// The handler's settings, set by NewHandler.
	svc         *webhooks.Service
	log         *slog.Logger
	maxPerToken int
	interval    time.Duration
	initTimeout time.Duration
	detached    bool
}

// NewSockets returns an empty registry of websockets; pass it in Options
// and call Close when the server stops.
func NewSockets() *Sockets {
	return &Sockets{open: map[*socket]struct{}{}, byToken: map[int]map[*socket]struct{}{}, closes: map[SocketClose]int{}}
}

// configure takes the settings of the handler o; with detached, the
// sockets outlive the requests' contexts (the server's), until Close.
func (r *Sockets) configure(o Options, detached bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.svc, r.log, r.maxPerToken = o.Service, o.Log, o.MaxSocketsPerToken
	r.interval, r.initTimeout, r.detached = o.TokenCheckInterval, o.InitTimeout, detached
}

// Close closes every open websocket with code 1012 (service restart) and
// waits until their handlers returned or ctx ends. Later upgrades are
// refused with 503.
func (r *Sockets) Close(ctx context.Context) error {
	r.mu.Lock()
	r.stopping = true
	socks := make([]*socket, 0, len(r.open))
	for s := range r.open {
		socks = append(socks, s)
	}
	r.mu.Unlock()
	for _, s := range socks {
		s.close(CloseShutdown, "server restarting; reconnect")
	}
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Closed returns how many websockets the server closed, by reason.
func (r *Sockets) Closed() map[SocketClose]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.closes)
}

// Subscribed returns how many subscriptions of the open websocket whose
// peer is remote (host:port, the client's end of the connection) are in
// place: events published from now on reach them. The protocol has no
// message for it; a test waits for it before it makes the events it
// expects.
func (r *Sockets) Subscribed(remote string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for s := range r.open {
		if s.remote == remote {
			n += int(s.live.Load())
		}
	}
	return n
}

// subscribed counts a subscription of the socket in ctx as in place until
// the returned func is called.
func subscribed(ctx context.Context) (done func()) {
	s := socketFrom(ctx)
	if s == nil {
		return func() {}
	}
	s.live.Add(1)
	return func() { s.live.Add(-1) }
}

// socket is the state of one websocket connection.
type socket struct {
	reg  *Sockets
	addr string // the client's address, for the authentication throttle
	subs atomic.Int32
	// remote is the peer's host:port; live counts the subscriptions
	// whose events flow (Subscribed).
	remote string
	live   atomic.Int32

	// Set when the registry takes the socket in, before it is served.
	ctx    context.Context
	cancel context.CancelCauseFunc

	mu      sync.Mutex
	token   string // as sent; "" until known
	session bool   // token is the ID of a console session (the cookie's)
	pr      *auth.Principal
	closing *closeCause // why the socket is being closed; nil while open
	timer   *time.Timer
	// waiting stops the socket from writing its close frame itself, which
	// it does until connection_init arrives; nil from then on.
	waiting func() bool

	// Guarded by reg.mu: the token the socket was admitted under.
	admitted  bool
	tokenID   int
	sessionID int
}

type socketKey struct{}

// newSocket returns the socket of a websocket upgrade from addr (remote
// the connection's peer), with the token of its request ("" if none), or
// with session, the console session ID of its cookie; serve takes it in.
func (r *Sockets) newSocket(token string, session bool, addr, remote string) *socket {
	return &socket{reg: r, token: token, session: session, addr: addr, remote: remote}
}

func withSocket(ctx context.Context, s *socket) context.Context {
	return context.WithValue(ctx, socketKey{}, s)
}

// socketFrom returns the socket an operation came over, or nil for HTTP.
func socketFrom(ctx context.Context) *socket {
	s, _ := ctx.Value(socketKey{}).(*socket)
	return s
}

// closeSocket closes the websocket that ctx belongs to, if any, for why
// with reason as the text of its close frame (at most 123 bytes).
func closeSocket(ctx context.Context, why SocketClose, reason string) {
	if s := socketFrom(ctx); s != nil {
		s.close(why, reason)
	}
}

// close is the one way the server closes a socket: it records why in the
// registry and ends the socket's context with it as the cause, which ends
// every operation on it and closes the connection with why's code and
// reason (see the top of this file). Only the first close counts.
func (s *socket) close(why SocketClose, reason string) {
	c := &closeCause{SocketClose: why, reason: reason}
	s.mu.Lock()
	if s.closing != nil {
		s.mu.Unlock()
		return
	}
	s.closing = c
	if s.timer != nil {
		s.timer.Stop()
	}
	s.mu.Unlock()
	s.reg.closed(s, why)
	if s.cancel != nil {
		s.cancel(c)
	}
}

// cause is why the socket is being closed, or nil.
func (s *socket) cause() *closeCause {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// setToken records the token that connection_init authenticated with.
func (s *socket) setToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token, s.session = token, false
}

// currentToken is the token the socket authenticates with, or with
// session, the ID of its console session.
func (s *socket) currentToken() (token string, session bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token, s.session
}

// accepted hands the accepted connection to the socket, starts the
// connection_init timer, and until connection_init arrives writes the
// close frame itself when the socket's context ends (gqlgen's transport is
// blocked reading then). It returns the connection gqlgen is to use.
func (s *socket) accepted(conn transport.WebsocketConn) transport.WebsocketConn {
	c := &socketConn{WebsocketConn: conn, s: s}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waiting = context.AfterFunc(s.ctx, func() { _ = c.WriteClose(transport.WebsocketCloseNormalClosure, "") })
	s.timer = time.AfterFunc(s.reg.initTimeout, func() { s.close(CloseInitTimeout, "Connection initialisation timeout") })
	return c
}

// initialised marks connection_init as received: from now on gqlgen's
// transport writes the close frame. It answers false if the socket is
// already being closed (for waiting too long, or the server stopping).
func (s *socket) initialised() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
	}
	stopped := s.waiting == nil || s.waiting()
	s.waiting = nil
	return stopped && s.closing == nil
}

// socketConn is a socket's connection: when the socket is being closed,
// every close frame written carries the code and reason it is closed for,
// in place of what gqlgen sends (1000 when a context ends). Other closes
// (the client's own) pass unchanged.
type socketConn struct {
	transport.WebsocketConn
	s *socket
}

func (c *socketConn) WriteClose(code int, reason string) error {
	if cause := c.s.cause(); cause != nil {
		code, reason = cause.Code, cause.reason
	}
	return c.WebsocketConn.WriteClose(code, reason)
}

func (c *socketConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *socketConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}

// socketAccepter accepts websockets as sockets of the registry (see
// socket.accepted).
type socketAccepter struct {
	inner transport.WebsocketImplementation
}

func (a socketAccepter) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := a.inner.Accept(w, r, opts)
	if err != nil {
		return nil, err
	}
	if s := socketFrom(r.Context()); s != nil && s.ctx != nil {
		return s.accepted(conn), nil
	}
	return conn, nil
}

// serve takes in the socket that authenticate gave a websocket upgrade,
// with a context of its own that ends when the socket is to be closed (its
// cause a *closeCause). Unless detached, the server's end closes the
// socket as Close does. Requests without a socket pass.
func (r *Sockets) serve(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		s := socketFrom(req.Context())
		if s == nil {
			next.ServeHTTP(w, req)
			return
		}
		ctx, cancel := context.WithCancelCause(context.WithoutCancel(req.Context()))
		defer cancel(nil)
		s.ctx, s.cancel = ctx, cancel
		r.mu.Lock()
		if r.stopping {
			r.mu.Unlock()
			writeGraphQLError(w, http.StatusServiceUnavailable, "the server is stopping; reconnect shortly", "UNAVAILABLE")
			return
		}
		detached := r.detached
		r.open[s] = struct{}{}
		r.wg.Add(1)
		r.mu.Unlock()
		defer func() {
			r.mu.Lock()
			delete(r.open, s)
			r.releaseLocked(s)
			r.mu.Unlock()
			r.wg.Done()
		}()
		if !detached {
			stop := context.AfterFunc(req.Context(), func() { s.close(CloseShutdown, "server restarting; reconnect") })
			defer stop()
		}
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// admit registers s under the token of pr; false if the token has too
// many sockets.
func (r *Sockets) admit(s *socket, pr *auth.Principal) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	set := r.byToken[pr.TokenID]
	if len(set) >= r.maxPerToken {
		return false
	}
	if set == nil {
		set = map[*socket]struct{}{}
		r.byToken[pr.TokenID] = set
	}
	set[s] = struct{}{}
	s.admitted, s.tokenID, s.sessionID = true, pr.TokenID, pr.SessionID
	if !r.watching {
		r.watching = true
		go r.watch()
	}
	return true
}

// release frees the place s took under its token.
func (r *Sockets) release(s *socket) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.releaseLocked(s)
}

func (r *Sockets) releaseLocked(s *socket) {
	if !s.admitted {
		return
	}
	s.admitted = false
	if set := r.byToken[s.tokenID]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(r.byToken, s.tokenID)
		}
	}
}

// closed records that s is being closed for why, and frees its place.
func (r *Sockets) closed(s *socket, why SocketClose) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closes[why]++
	r.releaseLocked(s)
}

// watch checks the tokens of the open sockets every interval until none
// is left.
func (r *Sockets) watch() {
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for range t.C {
		r.mu.Lock()
		if len(r.byToken) == 0 {
			r.watching = false
			r.mu.Unlock()
			return
		}
		ids := make([]int, 0, len(r.byToken))
		var sessions []int
		for id, set := range r.byToken {
			if id != 0 { // the bootstrap token lives in the configuration
				ids = append(ids, id)
			}
			for s := range set {
				if s.sessionID != 0 {
					sessions = append(sessions, s.sessionID)
				}
			}
		}
		r.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		invalid, err := r.svc.Tokens().Invalid(ctx, ids)
		var ended []int
		if err == nil {
			ended, err = r.svc.Sessions().Invalid(ctx, sessions)
		}
		cancel()
		if err != nil {
			r.log.Warn("websocket token check failed", "err", err)
			continue
		}
		for _, id := range invalid {
			r.closeToken(id)
		}
		if len(ended) > 0 {
			r.closeSessions(ended)
		}
	}
}

// closeSessions closes every socket of the console sessions ids, which
// no longer authenticate.
func (r *Sockets) closeSessions(ids []int) {
	r.mu.Lock()
	var socks []*socket
	for _, set := range r.byToken {
		for s := range set {
			if slices.Contains(ids, s.sessionID) {
				socks = append(socks, s)
			}
		}
	}
	r.mu.Unlock()
	if len(socks) > 0 {
		r.log.Info("websockets closed: session no longer valid", "sessions", len(ids), "sockets", len(socks))
	}
	for _, s := range socks {
		s.close(CloseRevoked, "Unauthorized: session ended or expired")
	}
}

// closeToken closes every socket of a token that is no longer valid.
func (r *Sockets) closeToken(id int) {
	r.mu.Lock()
	var socks []*socket
	for s := range r.byToken[id] {
		socks = append(socks, s)
	}
	r.mu.Unlock()
	if len(socks) > 0 {
		r.log.Info("websockets closed: token no longer valid", "token_id", id, "sockets", len(socks))
	}
	for _, s := range socks {
		s.close(CloseRevoked, "Unauthorized: token revoked or expired")
	}
}

// socketGuard authorises an operation sent over a socket when it runs (see
// the story at the top of this file); HTTP operations pass untouched, their
// request was authorised by authenticate. A socket's token was let in
// already: checked again, it is not throttled (a token revoked since is no
// guess).
func socketGuard(o Options, maxSubs int) graphql.OperationMiddleware {
	again := auth.NewAuthenticator(o.Service.Tokens(), o.Service.Sessions(), o.AdminToken, nil)
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		s := socketFrom(ctx)
		if s == nil || s.pr == nil {
			return next(ctx)
		}
		refuse := func(err error, code string) graphql.ResponseHandler {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{presentErr(ctx, err, code)}})
		}
		if o.Limiter != nil {
			if ok, wait := o.Limiter.Allow(strconv.Itoa(s.pr.TokenID)); !ok {
				return refuse(fmt.Errorf("rate limit exceeded; retry after %ss", guard.RetryAfter(wait)), "RATE_LIMITED")
			}
		}
		var pr *auth.Principal
		var err error
		if token, session := s.currentToken(); session {
			pr, err = again.AuthenticateSession(ctx, token, s.addr)
		} else {
			pr, err = again.Authenticate(ctx, token, s.addr)
		}
		if errors.Is(err, problem.ErrUnauthenticated) {
			s.close(CloseRevoked, "Unauthorized: token revoked or expired")
			return refuse(errors.New("this connection's token is no longer valid (revoked or expired)"), "UNAUTHENTICATED")
		} else if err != nil {
			o.Log.ErrorContext(ctx, "authentication failed", "err", err)
			return refuse(errors.New("internal error"), "INTERNAL_SERVER_ERROR")
		}
		ctx = auth.WithPrincipal(ctx, pr)
		if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Subscription {
			if s.subs.Add(1) > int32(maxSubs) {
				s.subs.Add(-1)
				return refuse(fmt.Errorf("too many subscriptions on this connection (at most %d); complete one first or open another connection", maxSubs), "SUBSCRIPTION_LIMIT_EXCEEDED")
			}
			// The transport cancels an operation's context when it ends.
			context.AfterFunc(ctx, func() { s.subs.Add(-1) })
		}
		return next(ctx)
	}
}
