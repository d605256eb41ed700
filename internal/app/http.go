package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/pprof"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/scoopa/webhooks/frontend"
	"github.com/scoopa/webhooks/graph"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/events"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/guard"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/storage"
	"github.com/scoopa/webhooks/internal/webhooks"
	"golang.org/x/time/rate"
)

// routes builds the server's HTTP handler.
func routes(cfg Config, b *Backends, svc *webhooks.Service, broker *events.Broker, sockets *graph.Sockets, log *slog.Logger, reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	m := newHTTPMetrics(reg)
	var limiter graph.RateLimiter
	if cfg.RateLimit > 0 {
		limiter = newRateLimiter(cfg.RateLimit)
	}
	throttle := guard.NewThrottle(cfg.AuthFailureLimit, cfg.AuthFailureWindow, nil)
	gqlOpts := graph.Options{
		DB: b.DB, Service: svc, Broker: broker, Log: log,
		AdminToken: cfg.AdminToken, MaxUploadBytes: cfg.MaxUploadBytes,
		MaxRequestBytes: cfg.MaxRequestBytes, UploadDir: filepath.Join(cfg.DataDir, "tmp"), AuthThrottle: throttle,
		Introspection: cfg.Introspection, OriginPatterns: cfg.AllowedOrigins, Limiter: limiter,
		Responses: m.graphqlOps, MaxQueryBytes: cfg.MaxQueryBytes, MaxQueryTokens: cfg.MaxQueryTokens,
		MaxSubscriptionsPerSocket: cfg.WSMaxSubscriptions, InitTimeout: cfg.WSInitTimeout, Sockets: sockets,
	}
	gql := graph.NewHandler(gqlOpts)
	// The API's routes are traced (the console's files are not).
	traced := func(route string, h http.Handler) http.Handler { return traceHTTP(svc.Tracing(), route, h) }
	mux.Handle("/graphql", m.wrap("/graphql", traced("/graphql", gql)))
	// The routes below take no method in their pattern: readOnly answers the
	// methods they do not serve 405, where the catch-all "/" would otherwise
	// take them.
	mux.Handle("/metrics", readOnly(metricsHandler(reg)))
	// The playground is GraphiQL as the console's build bundles it: it loads
	// nothing from another origin, under the console's security headers.
	if cfg.Introspection {
		mux.Handle("/playground", readOnly(securityHeaders(svc.Files().UploadOrigin(context.Background()), nil, frontend.Playground())))
	}
	mux.Handle("/api/session", m.wrap("/api/session", traced("/api/session", sessionHandler(cfg, gqlOpts.Authenticator(), svc.Sessions().Config().MaxAge, log))))
	mux.Handle("/api/session/portal", m.wrap("/api/session/portal", traced("/api/session/portal", portalHandler(cfg, gqlOpts.Authenticator(), svc.Sessions().Config().MaxAge, log))))
	// The call log export is authenticated exactly as /graphql is.
	mux.Handle("/exports/{file}", readOnly(m.wrap("/exports/{file}", traced("/exports/{file}", graph.Authenticated(gqlOpts, exportHandler(svc, exportLimits{maxRows: cfg.ExportMaxRows, timeout: cfg.ExportTimeout, maxFilterCost: gqlOpts.WithDefaults().ComplexityLimit, limiter: limiter}, log))))))
	mux.Handle("/files/{id}/download", readOnly(m.wrap("/files/{id}/download", traced("/files/{id}/download", downloadHandler(svc, log)))))
	if pr := svc.Files().PartReceiver(); pr != nil {
		mux.Handle(storage.PartPath, m.wrap(storage.PartPath, traced(storage.PartPath, partHandler(pr, log))))
	}
	mux.Handle("/healthz", readOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})))
	mux.Handle("/readyz", readOnly(readyHandler(cfg, b, log)))
	if cfg.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	// Every other path is the console's (GET and HEAD only), /portal (where
	// a portal link lands) included, except under the API's own names,
	// where an unknown path is 404 whatever the method.
	mux.Handle("/", m.wrap("/", apiNotFound(securityHeaders(svc.Files().UploadOrigin(context.Background()), cfg.FrameAncestors, frontend.Handler()))))
	return mux
}

// apiPrefixes are the first path segments that belong to the API, never to
// the console.
var apiPrefixes = []string{"api", "exports", "graphql", "files", "uploads", "debug", "healthz", "readyz", "metrics", "playground"}

// apiNotFound answers 404 for the paths under apiPrefixes that reach it (no
// route of the API took them), and hands every other path to console.
func apiNotFound(console http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		for _, p := range apiPrefixes {
			if first == p {
				writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found: " + r.URL.Path})
				return
			}
		}
		console.ServeHTTP(w, r)
	})
}

// readOnly serves GET and HEAD with h and answers other methods 405.
func readOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed: use GET or HEAD"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

// securityHeaders are sent with the console. uploadOrigin, if not empty,
// is where the console PUTs the parts of direct uploads (an S3 endpoint).
// frameAncestors are the origins that may show the console in a frame
// (SCOOPA_FRAME_ANCESTORS); none if empty.
func securityHeaders(uploadOrigin string, frameAncestors []string, next http.Handler) http.Handler {
	connect := "'self' ws: wss:"
	if uploadOrigin != "" {
		connect += " " + uploadOrigin
	}
	ancestors := "'none'"
	if len(frameAncestors) > 0 {
		ancestors = strings.Join(frameAncestors, " ")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "+
			"img-src 'self' data:; connect-src "+connect+"; frame-ancestors "+ancestors+"; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if len(frameAncestors) == 0 {
			// X-Frame-Options cannot name origins: CSP alone allows them.
			h.Set("X-Frame-Options", "DENY")
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// sessionHandler signs the console in and out: POST {"token"} starts a
// console session of the token and sets an HttpOnly cookie holding the
// session's ID, never the token (401 for a bad one); GET tells who is
// signed in ({"signedIn": false} when nobody is); DELETE ends the session
// on the server and clears the cookie. Only the server's own origin (or
// SCOOPA_ALLOWED_ORIGINS) may do any of it, sign-in takes JSON only (a
// cross-site form cannot send it), and addresses that failed too often get
// 429.
func sessionHandler(cfg Config, authn *auth.Authenticator, maxAge time.Duration, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := guard.CheckOrigin(r, cfg.AllowedOrigins); err != nil {
			writeJSON(w, http.StatusForbidden, map[string]string{"error": err.Error()})
			return
		}
		switch r.Method {
		case http.MethodPost:
			startSession(w, r, cfg, maxAge, log, "token", "this token is not valid (unknown, revoked or expired)",
				func(token string, c auth.Client) (*auth.Principal, string, error) {
					return authn.SignIn(r.Context(), token, c)
				})
		case http.MethodGet:
			// Asking who is signed in is not an error when nobody is.
			c, err := r.Cookie(graph.SessionCookie)
			if err != nil {
				writeJSON(w, http.StatusOK, map[string]any{"signedIn": false})
				return
			}
			p, err := authn.AuthenticateSession(r.Context(), c.Value, guard.ClientAddr(r))
			if answerThrottled(w, err) {
				return
			}
			if answerOutage(w, r, log, "session check failed", err) {
				return // the session may well be valid: no reason to sign in again
			}
			if err != nil {
				writeJSON(w, http.StatusOK, map[string]any{"signedIn": false, "reason": "session no longer valid; sign in again"})
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"signedIn": true, "role": string(p.Role), "tokenName": p.TokenName})
		case http.MethodDelete:
			// The session ends on the server: its ID no longer
			// authenticates anywhere, whatever a client kept of it.
			if c, err := r.Cookie(graph.SessionCookie); err == nil {
				if err := authn.SignOut(r.Context(), c.Value); err != nil {
					log.ErrorContext(r.Context(), "sign-out failed", "err", err)
					writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error; the session was not ended"})
					return
				}
			}
			http.SetCookie(w, sessionCookie(cfg, "", -1))
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Allow", "GET, POST, DELETE")
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
		}
	})
}

// portalHandler opens a portal link: POST {"link": "spl_..."} uses the
// link up and starts a console session of its PARTNER token, answered as
// a sign-in is (the same cookie, 204). A link unknown, malformed, expired
// or already used is one 401, and counts as a failed sign-in. The same
// origins as sign-in may do it, with JSON only.
func portalHandler(cfg Config, authn *auth.Authenticator, maxAge time.Duration, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := guard.CheckOrigin(r, cfg.AllowedOrigins); err != nil {
			writeJSON(w, http.StatusForbidden, map[string]string{"error": err.Error()})
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed: use POST"})
			return
		}
		startSession(w, r, cfg, maxAge, log, "link", "portal link expired, already used or unknown",
			func(link string, c auth.Client) (*auth.Principal, string, error) {
				return authn.OpenPortal(r.Context(), link, c)
			})
	})
}

// startSession answers a request that starts a console session: its JSON
// body {field: secret} goes to start, with the client; a session started
// sets the cookie and is answered 204, a secret refused is 401 with the
// message refused.
func startSession(w http.ResponseWriter, r *http.Request, cfg Config, maxAge time.Duration, log *slog.Logger,
	field, refused string, start func(secret string, c auth.Client) (*auth.Principal, string, error)) {
	usage := fmt.Sprintf(`{%q: "..."}`, field)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "send Content-Type: application/json and the body " + usage})
		return
	}
	var in map[string]json.RawMessage
	var secret string
	err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&in)
	if err == nil && in[field] != nil {
		err = json.Unmarshal(in[field], &secret)
	}
	if err != nil {
		if guard.IsTimeout(err) {
			w.Header().Set("Connection", "close")
			writeJSON(w, http.StatusRequestTimeout, map[string]string{"error": "the request body did not arrive in time"})
			return
		}
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "body must be JSON: " + usage})
		return
	}
	p, id, err := start(strings.TrimSpace(secret), auth.Client{Addr: guard.ClientAddr(r), UserAgent: r.UserAgent()})
	if answerThrottled(w, err) {
		return
	}
	if err != nil {
		if answerOutage(w, r, log, "sign-in failed", err) {
			return
		}
		if !errors.Is(err, problem.ErrUnauthenticated) {
			log.ErrorContext(r.Context(), "sign-in failed", "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			return
		}
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": refused})
		return
	}
	http.SetCookie(w, sessionCookie(cfg, id, int(maxAge/time.Second)))
	log.InfoContext(r.Context(), "console sign-in", "token_name", p.TokenName, "role", p.Role, "session_id", p.SessionID, "portal", p.PortalTitle != nil)
	w.WriteHeader(http.StatusNoContent)
}

// answerThrottled writes the 429 of a throttled authentication (under the
// throttle every way in shares) and reports whether err was one.
func answerThrottled(w http.ResponseWriter, err error) bool {
	var throttled *guard.ThrottledError
	if !errors.As(err, &throttled) {
		return false
	}
	secs := guard.RetryAfter(throttled.Wait)
	w.Header().Set("Retry-After", secs)
	writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "too many failed sign-ins from this address; retry after " + secs + "s"})
	return true
}

// sessionCookie is the console's session cookie holding value, for
// maxAge seconds (-1 clears it): HttpOnly, Secure on an https public URL,
// and SameSite=Strict, but for a console that may be framed
// (SCOOPA_FRAME_ANCESTORS) on https: SameSite=None, or a browser would not
// send it from inside another site's page, and Partitioned, so that a
// browser blocking third-party cookies keeps it for the page framing the
// console. The origin check of every cookie request (guard.CheckOrigin)
// is what keeps other sites out, then.
func sessionCookie(cfg Config, value string, maxAge int) *http.Cookie {
	c := &http.Cookie{Name: graph.SessionCookie, Value: value, Path: "/", HttpOnly: true,
		Secure: strings.HasPrefix(cfg.PublicURL, "https://"), SameSite: http.SameSiteStrictMode, MaxAge: maxAge}
	if c.Secure && len(cfg.FrameAncestors) > 0 {
		c.SameSite, c.Partitioned = http.SameSiteNoneMode, true
	}
	return c
}

// readyHandler answers whether the server can serve: the database and
// Redis reachable, the object store too (a bucket of SCOOPA_STORAGE_URL),
// and the data dir's file system with at least SCOOPA_MIN_FREE_SPACE free
// (uploads spill there whatever the store). The JSON names each check:
// "ok", "down", or for the disk "low". It names what is wrong, never its
// error (which holds addresses): that goes to the log. Each check answers
// within readyTimeout.
func readyHandler(cfg Config, b *Backends, log *slog.Logger) http.Handler {
	checks := map[string]func(context.Context) (string, error){
		problem.Database: func(ctx context.Context) (string, error) { return "down", b.SQL.PingContext(ctx) },
		problem.Redis:    func(ctx context.Context) (string, error) { return "down", b.Redis.Ping(ctx).Err() },
	}
	if s3, ok := b.Blobs.(*storage.S3); ok {
		checks[problem.ObjectStore] = func(ctx context.Context) (string, error) { return "down", s3.Ping(ctx, readyTimeout) }
	}
	if cfg.MinFreeSpace > 0 {
		checks["disk"] = func(context.Context) (string, error) {
			free, err := storage.FreeSpace(cfg.DataDir)
			if err != nil {
				return "down", err
			}
			if free >= 0 && free < cfg.MinFreeSpace {
				return "low", fmt.Errorf("%d bytes free in %s, under SCOOPA_MIN_FREE_SPACE (%d)", free, cfg.DataDir, cfg.MinFreeSpace)
			}
			return "ok", nil
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		var mu sync.Mutex
		var wg sync.WaitGroup
		answers := make(map[string]string, len(checks))
		status := http.StatusOK
		for name, check := range checks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				bad, err := check(ctx)
				mu.Lock()
				defer mu.Unlock()
				answers[name] = "ok"
				if err != nil {
					log.WarnContext(r.Context(), "readiness check failed", "dependency", name, "err", err)
					answers[name], status = bad, http.StatusServiceUnavailable
				}
			}()
		}
		wg.Wait()
		writeJSON(w, status, answers)
	})
}

// readyTimeout bounds each check of /readyz.
const readyTimeout = 2 * time.Second

// downloadHandler serves a file's bytes to whoever holds a valid signed
// link; a tampered or expired link gets 403 and nothing else, a good link
// to a file that is gone 404. Ranges and HEAD are http.ServeContent's. In
// redirect mode a good link is answered 302 to a presigned URL of the
// bucket instead.
func downloadHandler(svc *webhooks.Service, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, err := svc.Files().OpenDownload(r.Context(), r.PathValue("id"), r.URL.Query())
		switch {
		case errors.Is(err, problem.ErrBadSignature):
			http.Error(w, "forbidden: "+err.Error(), http.StatusForbidden)
			return
		case errors.Is(err, problem.ErrNotFound):
			http.NotFound(w, r)
			return
		case answerOutage(w, r, log, "download failed", err):
			return
		case err != nil:
			log.ErrorContext(r.Context(), "download failed", "file_id", r.PathValue("id"), "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		defer d.Close()
		if d.Redirect != nil {
			// The presigned URL is a bearer link: no cache may keep it.
			w.Header().Set("Cache-Control", "private, no-store")
			http.Redirect(w, r, d.Redirect.String(), http.StatusFound)
			recordFetch(svc, log, r, d, files.Fetch{})
			return
		}
		cw := &countingWriter{ResponseWriter: w}
		serveContent(cw, r, d.Name, d.ContentType, d.ModTime, d.Content)
		if cw.status >= 300 {
			return // not modified, a range it does not have: no file served
		}
		complete := cw.complete()
		recordFetch(svc, log, r, d, files.Fetch{Bytes: cw.n, Complete: &complete})
	})
}

// recordFetch counts a GET through a call's link against the call; HEAD,
// and the links without a call, count nothing. The receiver may have gone:
// the write does not follow its request's cancellation.
func recordFetch(svc *webhooks.Service, log *slog.Logger, r *http.Request, d *files.Download, f files.Fetch) {
	if d.CallID == 0 || r.Method != http.MethodGet {
		return
	}
	f.CallID = d.CallID
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), fetchRecordTimeout)
	defer cancel()
	if err := svc.RecordFetch(ctx, f); err != nil {
		log.WarnContext(ctx, "fetch not recorded", "call_id", f.CallID, "err", err)
	}
}

// fetchRecordTimeout bounds the write of a fetch.
const fetchRecordTimeout = 5 * time.Second

// countingWriter counts the body bytes a response wrote, and whether a
// write failed (the client went away).
type countingWriter struct {
	http.ResponseWriter
	status int
	n      int64
	failed bool
}

func (w *countingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	if err != nil {
		w.failed = true
	}
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// complete reports whether the response was sent to its end: a success
// whose every write went through and, when it announced its length, that
// many bytes.
func (w *countingWriter) complete() bool {
	if w.failed {
		return false
	}
	if cl, err := strconv.ParseInt(w.Header().Get("Content-Length"), 10, 64); err == nil && w.n != cl {
		return false
	}
	return true
}

// partHandler takes a part of a direct upload on the local store: a PUT to
// the signed URL that createUpload or uploadParts handed out, the body
// streamed to disk as it arrives (never held in memory). A tampered or
// expired URL gets 403, an upload completed or aborted 404, a part longer
// than its URL allows 413.
func partHandler(pr storage.PartReceiver, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut {
			w.Header().Set("Allow", "PUT")
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed: use PUT"})
			return
		}
		id, n, q := r.PathValue("id"), r.PathValue("n"), r.URL.Query()
		if err := pr.CheckPart(id, n, q); err != nil {
			writeJSON(w, http.StatusForbidden, map[string]string{"error": "this part URL is invalid or has expired; uploadParts gives fresh ones"})
			return
		}
		// Known to be ours: the body may take as long as it keeps coming.
		guard.Stream(r)
		size, err := pr.WritePart(id, n, q, r.Body)
		switch {
		case err == nil:
			w.Header().Set("ETag", strconv.Quote(n+"-"+strconv.FormatInt(size, 10)))
			writeJSON(w, http.StatusOK, map[string]any{"part": n, "sizeBytes": size})
		case errors.Is(err, storage.ErrNoMultipart):
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such upload: it was completed, aborted or has expired"})
		case errors.Is(err, storage.ErrPartTooLarge):
			w.Header().Set("Connection", "close")
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "the part is longer than its URL allows (see sizeBytes of the part)"})
		case guard.IsTimeout(err):
			w.Header().Set("Connection", "close")
			writeJSON(w, http.StatusRequestTimeout, map[string]string{"error": "the part stopped arriving"})
		case answerOutage(w, r, log, "upload part not stored", err):
		default:
			log.ErrorContext(r.Context(), "upload part not stored", "upload", id, "part", n, "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		}
	})
}

func serveContent(w http.ResponseWriter, r *http.Request, name, contentType string, mod time.Time, content io.ReadSeeker) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, name, mod, content)
}

// rateLimiter is a token bucket per key.
type rateLimiter struct {
	mu      sync.Mutex
	perSec  float64
	buckets map[string]*rate.Limiter
}

func newRateLimiter(perSec float64) *rateLimiter {
	return &rateLimiter{perSec: perSec, buckets: map[string]*rate.Limiter{}}
}

func (l *rateLimiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(rate.Limit(l.perSec), max(int(4*l.perSec), 1))
		l.buckets[key] = b
	}
	l.mu.Unlock()
	res := b.Reserve()
	if d := res.Delay(); d > 0 {
		res.Cancel()
		return false, d
	}
	return true, 0
}
