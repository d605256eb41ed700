package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/scoopa/webhooks/internal/webhooks"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// What guards a websocket connection, in the order it happens:
//
//  1. The upgrade request gets a socket (authenticate puts it in the
//     request's context with the token of its header or cookie, if any).
//  2. Accept starts a timer: without connection_init within InitTimeout the
//     socket is closed with 4408.
//  3. connection_init authenticates the token (4401 if bad) and registers
//     the socket under it; a token holds at most MaxSocketsPerToken (4429).
//  4. Every operation sent over the socket is authorised when it runs: it
//     counts against the token's rate limit, the token is authenticated
//     again (a revoked or expired token closes the socket with 4401), and a
//     subscription takes one of the socket's MaxSubscriptionsPerSocket
//     slots until it ends.
//  5. While sockets are open, the registry asks the database every
//     TokenCheckInterval which of their tokens were revoked or expired, on
//     whichever server instance, and closes their sockets with 4401.

// socket is the state of one websocket connection.
type socket struct {
	mu     sync.Mutex
	conn   transport.WebsocketConn
	token  string // as sent; "" until known
	addr   string // the client's address, for the authentication throttle
	pr     *webhooks.Principal
	inited bool
	closed bool
	timer  *time.Timer
	subs   atomic.Int32
}

type socketCtxKey struct{}

func withSocket(ctx context.Context, s *socket) context.Context {
	return context.WithValue(ctx, socketCtxKey{}, s)
}

// socketFrom returns the socket an operation came over, or nil for HTTP.
func socketFrom(ctx context.Context) *socket {
	s, _ := ctx.Value(socketCtxKey{}).(*socket)
	return s
}

// close closes the connection with code; the transport then ends its
// operations and calls its CloseFunc.
func (s *socket) close(code int, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.conn == nil {
		return
	}
	s.closed = true
	if s.timer != nil {
		s.timer.Stop()
	}
	_ = s.conn.WriteClose(code, reason)
}

// initialised marks connection_init as received; false if the socket was
// already closed for waiting too long.
func (s *socket) initialised() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
	}
	s.inited = true
	return !s.closed
}

// socketAccepter hands the accepted connection to its socket and starts the
// connection_init timer.
type socketAccepter struct {
	inner       transport.WebsocketImplementation
	initTimeout time.Duration
}

func (a socketAccepter) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := a.inner.Accept(w, r, opts)
	if err != nil {
		return nil, err
	}
	if s := socketFrom(r.Context()); s != nil {
		s.mu.Lock()
		s.conn = conn
		if !s.inited {
			s.timer = time.AfterFunc(a.initTimeout, func() {
				s.mu.Lock()
				inited := s.inited
				s.mu.Unlock()
				if !inited {
					s.close(4408, "Connection initialisation timeout")
				}
			})
		}
		s.mu.Unlock()
	}
	return conn, nil
}

// socketRegistry keeps the open sockets by token, bounds them per token,
// and closes those whose token stops being valid.
type socketRegistry struct {
	svc      *webhooks.Service
	log      *slog.Logger
	max      int
	interval time.Duration

	mu       sync.Mutex
	byToken  map[int]map[*socket]struct{}
	watching bool
}

func newSocketRegistry(svc *webhooks.Service, log *slog.Logger, maxPerToken int, interval time.Duration) *socketRegistry {
	return &socketRegistry{svc: svc, log: log, max: maxPerToken, interval: interval, byToken: map[int]map[*socket]struct{}{}}
}

// add registers s under its token; false if the token has too many.
func (r *socketRegistry) add(s *socket) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	set := r.byToken[s.pr.TokenID]
	if len(set) >= r.max {
		return false
	}
	if set == nil {
		set = map[*socket]struct{}{}
		r.byToken[s.pr.TokenID] = set
	}
	set[s] = struct{}{}
	if !r.watching {
		r.watching = true
		go r.watch()
	}
	return true
}

func (r *socketRegistry) remove(s *socket) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if set := r.byToken[s.pr.TokenID]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(r.byToken, s.pr.TokenID)
		}
	}
}

// watch checks the tokens of the open sockets every interval until none
// is left.
func (r *socketRegistry) watch() {
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
		for id := range r.byToken {
			if id != 0 { // the bootstrap token lives in the configuration
				ids = append(ids, id)
			}
		}
		r.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		invalid, err := r.svc.InvalidTokens(ctx, ids)
		cancel()
		if err != nil {
			r.log.Warn("websocket token check failed", "err", err)
			continue
		}
		for _, id := range invalid {
			r.closeToken(id, "Unauthorized: token revoked or expired")
		}
	}
}

// closeToken closes every socket of a token with 4401.
func (r *socketRegistry) closeToken(id int, reason string) {
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
		s.close(4401, reason)
	}
}

// socketGuard authorises an operation sent over a socket when it runs (see
// the story at the top of this file); HTTP operations pass untouched, their
// request was authorised by authenticate.
//
// A socket's token was let in already: checked again, it is not throttled
// (a token revoked since is no guess).
func socketGuard(o Options, maxSubs int) graphql.OperationMiddleware {
	again := webhooks.NewAuthenticator(o.Service, o.AdminToken, nil)
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
				return refuse(fmt.Errorf("rate limit exceeded; retry after %ss", retryAfter(wait)), "RATE_LIMITED")
			}
		}
		pr, err := again.Authenticate(ctx, s.token, s.addr)
		if errors.Is(err, webhooks.ErrUnauthenticated) {
			s.close(4401, "Unauthorized: token revoked or expired")
			return refuse(errors.New("this connection's token is no longer valid (revoked or expired)"), "UNAUTHENTICATED")
		} else if err != nil {
			o.Log.ErrorContext(ctx, "authentication failed", "err", err)
			return refuse(errors.New("internal error"), "INTERNAL_SERVER_ERROR")
		}
		ctx = webhooks.WithPrincipal(ctx, pr)
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
