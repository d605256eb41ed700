package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/events"
	"github.com/scoopa/webhooks/internal/guard"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/webhooks"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Options configure the GraphQL handler.
type Options struct {
	DB      *ent.Client
	Service *webhooks.Service
	// Broker feeds subscriptions; nil turns them off.
	Broker *events.Broker
	Log    *slog.Logger
	// AdminToken is accepted as an admin token when not empty.
	AdminToken string
	// MaxUploadBytes bounds uploaded files.
	MaxUploadBytes int64
	// MaxRequestBytes bounds every other body (JSON requests, and the
	// operations and map parts of uploads). If zero, 1 MiB.
	MaxRequestBytes int64
	// UploadDir holds uploads while their request is served (removed
	// after). If empty, os.TempDir().
	UploadDir string
	// AuthThrottle, if not nil, refuses authentications from addresses
	// that failed too often.
	AuthThrottle *guard.Throttle
	// Introspection serves the schema to clients (and the playground).
	Introspection bool
	// OriginPatterns lists the foreign origins allowed to open websockets
	// and to use the session cookie.
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
	// MaxSubscriptionsPerSocket bounds the subscriptions running at once on
	// one websocket. If zero, 100.
	MaxSubscriptionsPerSocket int
	// InitTimeout is how long a websocket may wait before connection_init;
	// then it is closed with 4408. If zero, 5s.
	InitTimeout time.Duration
	// TokenCheckInterval is how often the tokens of open websockets are
	// checked for revocation and expiry. If zero, 500ms.
	TokenCheckInterval time.Duration
	// MaxQueryBytes and MaxQueryTokens bound a query's text before it is
	// parsed. If zero, DefaultMaxQueryBytes and DefaultMaxQueryTokens.
	MaxQueryBytes, MaxQueryTokens int
	// Sockets, if not nil, is the registry of the handler's websockets,
	// which keeps them open until its Close; otherwise they end with the
	// server's base context. Either way they are closed with code 1012,
	// which graphql-ws clients reconnect on.
	Sockets *Sockets
}

// WithDefaults returns o with every unset limit set to the default its
// field names; the server's settings take their defaults from here.
func (o Options) WithDefaults() Options {
	if o.ComplexityLimit == 0 {
		o.ComplexityLimit = 5000
	}
	if o.MaxDepth == 0 {
		o.MaxDepth = 12
	}
	if o.MaxSocketsPerToken == 0 {
		o.MaxSocketsPerToken = 20
	}
	if o.MaxRequestBytes == 0 {
		o.MaxRequestBytes = 1 << 20
	}
	if o.UploadDir == "" {
		o.UploadDir = os.TempDir()
	}
	if o.MaxSubscriptionsPerSocket == 0 {
		o.MaxSubscriptionsPerSocket = 100
	}
	if o.InitTimeout == 0 {
		o.InitTimeout = 5 * time.Second
	}
	if o.TokenCheckInterval == 0 {
		o.TokenCheckInterval = 500 * time.Millisecond
	}
	if o.MaxQueryBytes == 0 {
		o.MaxQueryBytes = DefaultMaxQueryBytes
	}
	if o.MaxQueryTokens == 0 {
		o.MaxQueryTokens = DefaultMaxQueryTokens
	}
	return o
}

// RateLimiter answers whether a principal may make a request now, and if
// not, after how long.
type RateLimiter interface {
	Allow(key string) (bool, time.Duration)
}

// SessionCookie is the name of the console's HttpOnly session cookie; it
// holds the ID of a console session (auth.Sessions), never a token.
const SessionCookie = "scoopa_session"

// NewHandler returns the /graphql handler: POST, multipart uploads and
// websocket subscriptions, every request authenticated.
func NewHandler(o Options) http.Handler {
	o = o.WithDefaults()
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{
		db: o.DB, svc: o.Service, broker: o.Broker, maxUploadBytes: o.MaxUploadBytes, log: o.Log,
	}, Directives: DirectiveRoot{PartnerScope: partnerScope}}))
	live, detached := o.Sockets, o.Sockets != nil
	if live == nil {
		live = NewSockets()
	}
	live.configure(o, detached)
	authn := o.Authenticator()
	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 10 * time.Second,
		Implementation: socketAccepter{inner: transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{
			OriginPatterns: o.OriginPatterns,
		}}},
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			s := socketFrom(ctx)
			if s == nil || !s.initialised() {
				return ctx, nil, errors.New("connection initialisation timeout")
			}
			// A refused socket is closed as every other: the transport's
			// close frame carries the code and reason given here.
			refuse := func(why SocketClose, reason string, err error) (context.Context, *transport.InitPayload, error) {
				s.close(why, reason)
				return ctx, nil, err
			}
			if header := p.Authorization(); header != "" {
				token := bearer(header)
				// Guesses through sockets count against the address as over HTTP.
				pr, err := authn.Authenticate(ctx, token, s.addr)
				var throttled *guard.ThrottledError
				switch {
				case errors.As(err, &throttled):
					return refuse(CloseThrottled, "Too many failed authentications; retry after "+guard.RetryAfter(throttled.Wait)+"s",
						errors.New("too many failed authentications from this address"))
				case err != nil && isOutage(err):
					o.Log.WarnContext(ctx, "authentication failed", "err", err)
					out, _ := problem.OutageOf(err)
					return refuse(CloseUnavailable, "Service unavailable: "+out.Message, errors.New(out.Message))
				case err != nil:
					if !errors.Is(err, problem.ErrUnauthenticated) {
						o.Log.ErrorContext(ctx, "authentication failed", "err", err)
					}
					return refuse(CloseUnauthenticated, "Unauthorized: invalid token", errors.New("unauthenticated: invalid token"))
				}
				ctx = auth.WithPrincipal(ctx, pr)
				s.setToken(token)
			}
			pr := auth.PrincipalFrom(ctx) // or the session cookie of the upgrade request
			if pr == nil {
				return refuse(CloseUnauthenticated, "Unauthorized: no token",
					errors.New("unauthenticated: give {\"Authorization\": \"Bearer <token>\"} in connection_init"))
			}
			if !live.admit(s, pr) {
				return refuse(CloseConnectionLimit, "Too many connections for this token",
					fmt.Errorf("too many websocket connections for this token (at most %d)", o.MaxSocketsPerToken))
			}
			s.pr = pr
			return ctx, nil, nil
		},
		CloseFunc: func(ctx context.Context, _ int) {
			if s := socketFrom(ctx); s != nil {
				live.release(s)
			}
		},
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(uploadTransport{maxRequestBytes: o.MaxRequestBytes, maxUploadBytes: o.MaxUploadBytes, dir: o.UploadDir, log: o.Log})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if o.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(querySizeLimit{maxBytes: o.MaxQueryBytes, maxTokens: o.MaxQueryTokens})
	srv.Use(costLimit{limit: o.ComplexityLimit})
	srv.Use(depthLimit{max: o.MaxDepth})
	srv.Use(inputLimits{})
	srv.AroundOperations(socketGuard(o, o.MaxSubscriptionsPerSocket))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		op := graphql.GetOperationContext(ctx).Operation
		if op != nil && op.Operation == ast.Mutation {
			if err := mutationAllowed(ctx, op); err != nil {
				return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{presentErr(ctx, err, "FORBIDDEN")}})
			}
		}
		return next(ctx)
	})
	if o.Responses != nil {
		srv.AroundResponses(o.Responses)
	}
	srv.AroundResponses(outageResponses)
	srv.AroundResponses(withLoaders(o.Service))
	if o.Service != nil {
		if mw := tracedRootFields(o.Service.Tracing()); mw != nil {
			srv.AroundRootFields(mw)
		}
	}
	// Resolvers read through ent too (the connections and filters of
	// entgql): their errors are the domain's before the presenter sees them.
	srv.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
		res, err := next(ctx)
		return res, problem.StoreError(err)
	})
	srv.SetErrorPresenter(errorPresenter(o.Log))
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		o.Log.ErrorContext(ctx, "resolver panic", "panic", v)
		return errors.New("internal error")
	})
	return authenticate(o, live, limitBody(o, live.serve(withOutageStatus(srv))))
}

// Authenticator returns the authenticator of the handler's tokens: every
// way into the API (bearer token, session cookie, websocket
// connection_init, the call log export, the console's sign-in) uses it.
func (o Options) Authenticator() *auth.Authenticator {
	return auth.NewAuthenticator(o.Service.Tokens(), o.Service.Sessions(), o.AdminToken, o.AuthThrottle)
}

// Authenticated serves next to the requests that the GraphQL endpoint would
// authenticate (bearer token, or the session cookie from an allowed origin),
// with their principal in the context (auth.PrincipalFrom), and refuses
// the others as it does: 401, 403 or 429 with a GraphQL-shaped error. The
// other HTTP endpoints of the API (the call log export) use it.
func Authenticated(o Options, next http.Handler) http.Handler {
	return authenticate(o.WithDefaults(), nil, next)
}

// authenticate puts the principal of the bearer token or session cookie in
// the request's context, and answers 401 when there is none, all before the
// body is read. The cookie (a session ID) is only taken from the server's
// own origin (or SCOOPA_ALLOWED_ORIGINS); addresses that failed too often
// get 429. Websocket upgrades pass without a token: it may come in
// connection_init; with sockets, they get a socket of it holding the
// request's token or session.
func authenticate(o Options, sockets *Sockets, next http.Handler) http.Handler {
	authn := o.Authenticator()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		token, session := bearer(r.Header.Get("Authorization")), false
		if token == "" {
			if c, err := r.Cookie(SessionCookie); err == nil {
				if err := guard.CheckOrigin(r, o.OriginPatterns); err != nil {
					refuse(w, r, http.StatusForbidden, err.Error(), "FORBIDDEN")
					return
				}
				token, session = c.Value, true
			}
		}
		upgrade := strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
		if upgrade && sockets != nil {
			// Its operations are authorised again as they run, with this
			// token or session unless connection_init gives a token.
			ctx = withSocket(ctx, sockets.newSocket(token, session, guard.ClientAddr(r), r.RemoteAddr))
		}
		var pr *auth.Principal
		if token != "" {
			var err error
			if session {
				pr, err = authn.AuthenticateSession(ctx, token, guard.ClientAddr(r))
			} else {
				pr, err = authn.Authenticate(ctx, token, guard.ClientAddr(r))
			}
			var throttled *guard.ThrottledError
			switch {
			case errors.As(err, &throttled):
				w.Header().Set("Retry-After", guard.RetryAfter(throttled.Wait))
				refuse(w, r, http.StatusTooManyRequests, "too many failed authentications from this address; retry after "+guard.RetryAfter(throttled.Wait)+"s", "RATE_LIMITED")
				return
			case err != nil && refuseOutage(w, r, o.Log, "authentication failed", err):
				return
			case err != nil && !errors.Is(err, problem.ErrUnauthenticated):
				o.Log.ErrorContext(ctx, "authentication failed", "err", err)
				refuse(w, r, http.StatusInternalServerError, "internal error", "INTERNAL_SERVER_ERROR")
				return
			}
		}
		if pr == nil && !upgrade {
			if r.Method == http.MethodOptions {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="scoopa"`)
			refuse(w, r, http.StatusUnauthorized, "a valid token is required: send Authorization: Bearer <token>", "UNAUTHENTICATED")
			return
		}
		if pr != nil {
			if o.Limiter != nil {
				if ok, wait := o.Limiter.Allow(strconv.Itoa(pr.TokenID)); !ok {
					w.Header().Set("Retry-After", guard.RetryAfter(wait))
					refuse(w, r, http.StatusTooManyRequests, "rate limit exceeded; retry after "+guard.RetryAfter(wait)+"s", "RATE_LIMITED")
					return
				}
			}
			ctx = auth.WithPrincipal(ctx, pr)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
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
