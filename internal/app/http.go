package app

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/frontend"
	"github.com/scoopa/webhooks/graph"
	"github.com/scoopa/webhooks/worker"
	"golang.org/x/time/rate"
)

// routes builds the server's HTTP handler.
func routes(cfg Config, b *Backends, svc *worker.Service, broker *worker.Broker, sockets *graph.Sockets, log *slog.Logger, reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	m := newHTTPMetrics(reg)
	var limiter graph.RateLimiter
	if cfg.RateLimit > 0 {
		limiter = newRateLimiter(cfg.RateLimit)
	}
	gql := graph.NewHandler(graph.Options{
		DB: b.DB, Service: svc, Broker: broker, Log: log,
		AdminToken: cfg.AdminToken, MaxUploadBytes: cfg.MaxUploadBytes,
		Introspection: cfg.Introspection, OriginPatterns: cfg.AllowedOrigins, Limiter: limiter,
		Responses: m.graphqlOps, Sockets: sockets,
	})
	mux.Handle("/graphql", m.wrap("/graphql", http.MaxBytesHandler(gql, cfg.MaxUploadBytes+2<<20)))
	mux.Handle("GET /metrics", metricsHandler(reg))
	if cfg.Introspection {
		mux.Handle("GET /playground", playground.Handler("scoopa webhooks", "/graphql"))
	}
	mux.Handle("/api/session", m.wrap("/api/session", sessionHandler(cfg, svc, log)))
	download := m.wrap("/files/{id}/download", downloadHandler(b.DB, svc, log))
	mux.Handle("GET /files/{id}/download", download)
	mux.Handle("HEAD /files/{id}/download", download)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		checks := map[string]string{"database": "ok", "redis": "ok"}
		status := http.StatusOK
		if err := b.SQL.PingContext(r.Context()); err != nil {
			checks["database"], status = err.Error(), http.StatusServiceUnavailable
		}
		if err := b.Redis.Ping(r.Context()).Err(); err != nil {
			checks["redis"], status = err.Error(), http.StatusServiceUnavailable
		}
		writeJSON(w, status, checks)
	})
	if cfg.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	mux.Handle("/", m.wrap("/", securityHeaders(frontend.Handler())))
	return mux
}

// securityHeaders are sent with the console.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "+
			"img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// sessionHandler signs the console in and out: POST {"token"} sets an
// HttpOnly, SameSite=Strict cookie holding the token (401 for a bad one);
// GET tells who is signed in ({"signedIn": false} when nobody is); DELETE
// signs out.
func sessionHandler(cfg Config, svc *worker.Service, log *slog.Logger) http.Handler {
	secure := strings.HasPrefix(cfg.PublicURL, "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			var in struct {
				Token string `json:"token"`
			}
			if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&in); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "body must be JSON: {\"token\": \"...\"}"})
				return
			}
			p, err := svc.Authenticate(r.Context(), strings.TrimSpace(in.Token), cfg.AdminToken)
			if err != nil {
				if !errors.Is(err, worker.ErrUnauthenticated) {
					log.ErrorContext(r.Context(), "sign-in failed", "err", err)
					writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
					return
				}
				writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "this token is not valid (unknown, revoked or expired)"})
				return
			}
			http.SetCookie(w, &http.Cookie{Name: graph.SessionCookie, Value: strings.TrimSpace(in.Token), Path: "/",
				HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode, MaxAge: 12 * 3600})
			log.InfoContext(r.Context(), "console sign-in", "token_name", p.TokenName, "role", p.Role)
			w.WriteHeader(http.StatusNoContent)
		case http.MethodGet:
			// Asking who is signed in is not an error when nobody is.
			c, err := r.Cookie(graph.SessionCookie)
			if err != nil {
				writeJSON(w, http.StatusOK, map[string]any{"signedIn": false})
				return
			}
			p, err := svc.Authenticate(r.Context(), c.Value, cfg.AdminToken)
			if err != nil {
				writeJSON(w, http.StatusOK, map[string]any{"signedIn": false, "reason": "session no longer valid; sign in again"})
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"signedIn": true, "role": string(p.Role), "tokenName": p.TokenName})
		case http.MethodDelete:
			http.SetCookie(w, &http.Cookie{Name: graph.SessionCookie, Value: "", Path: "/", HttpOnly: true,
				Secure: secure, SameSite: http.SameSiteStrictMode, MaxAge: -1})
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Allow", "GET, POST, DELETE")
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
		}
	})
}

// downloadHandler serves a file's bytes to whoever holds a valid signed
// link; a tampered or expired link gets 403 and nothing else.
func downloadHandler(db *ent.Client, svc *worker.Service, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		q := r.URL.Query()
		if err := svc.Links().CheckDownload(id, q.Get("expires"), q.Get("signature"), time.Now()); err != nil {
			http.Error(w, "forbidden: "+err.Error(), http.StatusForbidden)
			return
		}
		if id == worker.SampleFileID {
			serveContent(w, r, "test.mov", "video/quicktime", time.Time{}, strings.NewReader(string(worker.SampleFile)))
			return
		}
		n, err := strconv.Atoi(id)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		f, err := db.File.Get(r.Context(), n)
		if ent.IsNotFound(err) {
			http.NotFound(w, r)
			return
		} else if err != nil {
			log.ErrorContext(r.Context(), "download failed", "file_id", n, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		blob, err := svc.Blobs().Open(f.StorageKey)
		if err != nil {
			log.ErrorContext(r.Context(), "stored file missing", "file_id", n, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		defer blob.Close()
		serveContent(w, r, f.Name, f.ContentType, f.CreatedAt, blob)
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
