package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/worker"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Options configure the GraphQL handler.
type Options struct {
	DB      *ent.Client
	Service *worker.Service
	// Broker feeds subscriptions; nil turns them off.
	Broker *worker.Broker
	Log    *slog.Logger
	// AdminToken is accepted as an admin token when not empty.
	AdminToken string
	// MaxUploadBytes bounds uploaded files.
	MaxUploadBytes int64
	// Introspection serves the schema to clients (and the playground).
	Introspection bool
	// OriginPatterns lists the foreign origins allowed to open websockets.
	OriginPatterns []string
	// ComplexityLimit bounds a query's complexity. If zero, 5000.
	ComplexityLimit int
	// MaxDepth bounds how deep a query nests. If zero, 12.
	MaxDepth int
	// Limiter, if not nil, is asked before each request of a principal.
	Limiter RateLimiter
	// Responses, if not nil, sees every response (metrics).
	Responses graphql.ResponseMiddleware
	// MaxSocketsPerToken bounds the websocket connections of one token.
	// If zero, 20.
	MaxSocketsPerToken int
}

// RateLimiter answers whether a principal may make a request now, and if
// not, after how long.
type RateLimiter interface {
	Allow(key string) (bool, time.Duration)
}

// SessionCookie is the name of the console's HttpOnly session cookie; it
// holds the token the user signed in with.
const SessionCookie = "scoopa_session"

// NewHandler returns the /graphql handler: POST, multipart uploads and
// websocket subscriptions, every request authenticated.
func NewHandler(o Options) http.Handler {
	if o.ComplexityLimit == 0 {
		o.ComplexityLimit = 5000
	}
	if o.MaxDepth == 0 {
		o.MaxDepth = 12
	}
	if o.MaxSocketsPerToken == 0 {
		o.MaxSocketsPerToken = 20
	}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{
		db: o.DB, svc: o.Service, broker: o.Broker, maxUploadBytes: o.MaxUploadBytes,
	}}))
	sockets := newSocketCounter(o.MaxSocketsPerToken)
	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 10 * time.Second,
		Implementation: transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{
			OriginPatterns: o.OriginPatterns,
		}},
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			if auth := p.Authorization(); auth != "" {
				pr, err := o.Service.Authenticate(ctx, bearer(auth), o.AdminToken)
				if err != nil {
					ctx = transport.WithWebsocketCloseCode(ctx, 4401)
					ctx = transport.AppendCloseReason(ctx, "Unauthorized: invalid token")
					return ctx, nil, errors.New("unauthenticated: invalid token")
				}
				ctx = worker.WithPrincipal(ctx, pr)
			}
			pr := worker.PrincipalFrom(ctx) // or the session cookie of the upgrade request
			if pr == nil {
				ctx = transport.WithWebsocketCloseCode(ctx, 4401)
				ctx = transport.AppendCloseReason(ctx, "Unauthorized: no token")
				return ctx, nil, errors.New("unauthenticated: give {\"Authorization\": \"Bearer <token>\"} in connection_init")
			}
			if !sockets.acquire(pr.TokenID) {
				ctx = transport.WithWebsocketCloseCode(ctx, 4429)
				ctx = transport.AppendCloseReason(ctx, "Too many connections for this token")
				return ctx, nil, fmt.Errorf("too many websocket connections for this token (at most %d)", o.MaxSocketsPerToken)
			}
			return context.WithValue(ctx, socketKey{}, pr.TokenID), nil, nil
		},
		CloseFunc: func(ctx context.Context, _ int) {
			if id, ok := ctx.Value(socketKey{}).(int); ok {
				sockets.release(id)
			}
		},
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: o.MaxUploadBytes + 1<<20, MaxMemory: 32 << 20})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if o.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(extension.FixedComplexityLimit(o.ComplexityLimit))
	srv.Use(depthLimit{max: o.MaxDepth})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		op := graphql.GetOperationContext(ctx).Operation
		if op != nil && op.Operation == ast.Mutation && !worker.PrincipalFrom(ctx).IsAdmin() {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{presentErr(ctx,
				errors.New("mutations need an ADMIN token"), "FORBIDDEN")}})
		}
		return next(ctx)
	})
	if o.Responses != nil {
		srv.AroundResponses(o.Responses)
	}
	srv.AroundResponses(withLoaders(o.Service))
	srv.SetErrorPresenter(errorPresenter(o.Log))
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		o.Log.ErrorContext(ctx, "resolver panic", "panic", v)
		return errors.New("internal error")
	})
	return authenticate(o, srv)
}

// authenticate puts the principal of the bearer token or session cookie in
// the request's context, and answers 401 when there is none. Websocket
// upgrades pass without one: their token may come in connection_init.
func authenticate(o Options, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		token := bearer(r.Header.Get("Authorization"))
		if token == "" {
			if c, err := r.Cookie(SessionCookie); err == nil {
				token = c.Value
			}
		}
		upgrade := strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
		var pr *worker.Principal
		if token != "" {
			var err error
			pr, err = o.Service.Authenticate(ctx, token, o.AdminToken)
			if err != nil && !errors.Is(err, worker.ErrUnauthenticated) {
				o.Log.ErrorContext(ctx, "authentication failed", "err", err)
				writeGraphQLError(w, http.StatusInternalServerError, "internal error", "INTERNAL_SERVER_ERROR")
				return
			}
		}
		if pr == nil && !upgrade {
			if r.Method == http.MethodOptions {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="scoopa"`)
			writeGraphQLError(w, http.StatusUnauthorized, "a valid token is required: send Authorization: Bearer <token>", "UNAUTHENTICATED")
			return
		}
		if pr != nil {
			if o.Limiter != nil {
				if ok, wait := o.Limiter.Allow(strconv.Itoa(pr.TokenID)); !ok {
					w.Header().Set("Retry-After", retryAfter(wait))
					writeGraphQLError(w, http.StatusTooManyRequests, "rate limit exceeded; retry after "+retryAfter(wait)+"s", "RATE_LIMITED")
					return
				}
			}
			ctx = worker.WithPrincipal(ctx, pr)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// retryAfter is d in whole seconds, rounded up, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(int((d+time.Second-1)/time.Second), 1))
}

func bearer(h string) string {
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func writeGraphQLError(w http.ResponseWriter, status int, msg, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}},
		"data":   nil,
	})
}

type socketKey struct{}

// socketCounter bounds the websocket connections per token.
type socketCounter struct {
	mu    sync.Mutex
	max   int
	count map[int]int
}

func newSocketCounter(max int) *socketCounter { return &socketCounter{max: max, count: map[int]int{}} }

func (c *socketCounter) acquire(token int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.count[token] >= c.max {
		return false
	}
	c.count[token]++
	return true
}

func (c *socketCounter) release(token int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.count[token]--; c.count[token] <= 0 {
		delete(c.count, token)
	}
}
