package app

import (
	"context"
	"database/sql/driver"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/internal/problem"
)

// pgConnector names the database in the errors of connecting to it, so
// that a request failing while PostgreSQL is down is answered 503 naming
// the database, not as an internal error.
type pgConnector struct{ driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil && ctx.Err() == nil {
		return nil, problem.Unavailable(problem.Database, err)
	}
	return conn, err
}

// outageHook names Redis in the errors of reaching it (see redisDown).
type outageHook struct{}

func (outageHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (outageHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if redisDown(ctx, err) {
			err = problem.Unavailable(problem.Redis, err)
			cmd.SetErr(err)
		}
		return err
	}
}

func (outageHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, cmd := range cmds {
			if redisDown(ctx, cmd.Err()) {
				cmd.SetErr(problem.Unavailable(problem.Redis, cmd.Err()))
			}
		}
		if redisDown(ctx, err) {
			err = problem.Unavailable(problem.Redis, err)
		}
		return err
	}
}

// redisDown reports an error of Redis being out of reach or unable to
// serve (loading its data, no master, cluster down), not of the command.
func redisDown(ctx context.Context, err error) bool {
	if err == nil || errors.Is(err, redis.Nil) || ctx.Err() != nil {
		return false
	}
	if problem.ConnectionFailed(err) || errors.Is(err, redis.ErrPoolTimeout) {
		return true
	}
	for _, prefix := range []string{"LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN"} {
		if redis.HasErrorPrefix(err, prefix) {
			return true
		}
	}
	return false
}

// The back-off between the rounds of a server or worker waiting for its
// backends while it starts.
const (
	startBackoffMin = 250 * time.Millisecond
	startBackoffMax = 5 * time.Second
)

// startup is what a starting server knows of its backends while it waits
// for them, for its answers meanwhile (see startingHandler). Its methods
// do nothing on a nil startup.
type startup struct {
	mu     sync.Mutex
	checks map[string]string // dependency: "ok", "down" or "unknown"
}

func newStartup(cfg Config) *startup {
	s := &startup{checks: map[string]string{problem.Database: "unknown", problem.Redis: "unknown"}}
	if cfg.StorageURL != "" {
		s.checks[problem.ObjectStore] = "unknown"
	}
	return s
}

// set records how dependency answered.
func (s *startup) set(dependency string, err error) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks[dependency] = "ok"
	if err != nil {
		s.checks[dependency] = "down"
	}
}

// state returns a copy of the checks and the first dependency down (in
// the order database, redis, object store), or "".
func (s *startup) state() (map[string]string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	checks := make(map[string]string, len(s.checks))
	for k, v := range s.checks {
		checks[k] = v
	}
	for _, d := range []string{problem.Database, problem.Redis, problem.ObjectStore} {
		if checks[d] == "down" {
			return checks, d
		}
	}
	return checks, ""
}

// startingHandler answers while the server waits for its backends (and
// migrates): /healthz 200 (the process is alive), /readyz 503 with each
// dependency's state, and everything else 503 with Retry-After and an
// error naming the dependency that is down (GraphQL-shaped on /graphql).
func startingHandler(s *startup) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		checks, down := s.state()
		switch r.URL.Path {
		case "/healthz":
			writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
			return
		case "/readyz":
			writeJSON(w, http.StatusServiceUnavailable, checks)
			return
		}
		o := problem.Outage{Status: http.StatusServiceUnavailable, Code: "DEPENDENCY_UNAVAILABLE",
			Message: "the server is starting; retry shortly", RetryAfter: problem.RetryAfter}
		if down != "" {
			o = problem.UnavailableOutage(down)
			o.Message = "the server is starting: " + o.Message
		}
		writeOutage(w, r, o)
	})
}

// writeOutage answers an outage (see problem.OutageOf): its status, its
// Retry-After, and its JSON error, GraphQL-shaped on /graphql.
func writeOutage(w http.ResponseWriter, r *http.Request, o problem.Outage) {
	if o.RetryAfter != "" {
		w.Header().Set("Retry-After", o.RetryAfter)
	}
	if r.ContentLength != 0 {
		w.Header().Set("Connection", "close") // the body is left unread
	}
	if strings.HasPrefix(r.URL.Path, "/graphql") {
		ext := map[string]any{"code": o.Code}
		if o.Dependency != "" {
			ext["dependency"] = o.Dependency
		}
		writeJSON(w, o.Status, map[string]any{"errors": []any{map[string]any{"message": o.Message, "extensions": ext}}, "data": nil})
		return
	}
	writeJSON(w, o.Status, o.JSON())
}

// answerOutage answers err if it is an outage (an unavailable dependency, a
// full disk), logging it, and reports whether it did.
func answerOutage(w http.ResponseWriter, r *http.Request, log *slog.Logger, what string, err error) bool {
	o, ok := problem.OutageOf(err)
	if !ok {
		return false
	}
	log.WarnContext(r.Context(), what, "dependency", o.Dependency, "code", o.Code, "err", err)
	writeOutage(w, r, o)
	return true
}

// swapHandler serves with the handler last set: the starting server's
// answers, then its routes.
type swapHandler struct{ h atomic.Pointer[http.Handler] }

func (s *swapHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}

// errRedisCut is the error of the commands of a Redis client cut off.
var errRedisCut = errors.New("redis: cut off: the process is stopping and Redis did not answer in time")

// redisCutoff lets a stopping process cut its Redis client off: the
// connections open are closed (the commands waiting on them fail at once,
// where they waited for the client's timeouts and retries), and the
// commands after fail without a connection. The client itself stays open,
// so that what still uses it (Asynq's stop) ends by itself.
type redisCutoff struct {
	mu    sync.Mutex
	cut   bool
	conns map[*cutConn]struct{}
}

func newRedisCutoff() *redisCutoff { return &redisCutoff{conns: map[*cutConn]struct{}{}} }

// Cut closes the connections and fails every command from now on.
func (c *redisCutoff) Cut() {
	c.mu.Lock()
	c.cut = true
	conns := c.conns
	c.conns = map[*cutConn]struct{}{}
	c.mu.Unlock()
	for conn := range conns {
		conn.Conn.Close()
	}
}

func (c *redisCutoff) isCut() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cut
}

func (c *redisCutoff) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if c.isCut() {
			return nil, errRedisCut
		}
		conn, err := next(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.cut {
			conn.Close()
			return nil, errRedisCut
		}
		tracked := &cutConn{Conn: conn, c: c}
		c.conns[tracked] = struct{}{}
		if _, ok := conn.(syscall.Conn); ok {
			return &cutSysConn{tracked}, nil
		}
		return tracked, nil
	}
}

func (c *redisCutoff) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if c.isCut() {
			cmd.SetErr(errRedisCut)
			return errRedisCut
		}
		return next(ctx, cmd)
	}
}

func (c *redisCutoff) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if c.isCut() {
			for _, cmd := range cmds {
				cmd.SetErr(errRedisCut)
			}
			return errRedisCut
		}
		return next(ctx, cmds)
	}
}

// cutConn is a connection of a redisCutoff, forgotten once closed.
type cutConn struct {
	net.Conn
	c *redisCutoff
}

func (k *cutConn) Close() error {
	k.c.mu.Lock()
	delete(k.c.conns, k)
	k.c.mu.Unlock()
	return k.Conn.Close()
}

// NetConn is the connection underneath, for the client's health checks.
func (k *cutConn) NetConn() net.Conn { return k.Conn }

// cutSysConn is a cutConn over a connection with a file descriptor (not
// TLS), which the client's health check of idle connections reads.
type cutSysConn struct{ *cutConn }

func (k *cutSysConn) SyscallConn() (syscall.RawConn, error) {
	return k.Conn.(syscall.Conn).SyscallConn()
}
