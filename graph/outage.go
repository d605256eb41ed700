package graph

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// presentOutage is the GraphQL error of an outage: its code
// (DEPENDENCY_UNAVAILABLE, INSUFFICIENT_STORAGE), its message, and the
// dependency at fault in extensions.dependency.
func presentOutage(ctx context.Context, o problem.Outage) *gqlerror.Error {
	e := presentErr(ctx, outageMessage(o.Message), o.Code)
	if o.Dependency != "" {
		e.Extensions["dependency"] = o.Dependency
	}
	return e
}

type outageMessage string

func (m outageMessage) Error() string { return string(m) }

// refuseOutage answers a request refused for an outage before it reached
// GraphQL: its status and Retry-After, and a GraphQL-shaped error.
func refuseOutage(w http.ResponseWriter, r *http.Request, log *slog.Logger, what string, err error) bool {
	o, ok := problem.OutageOf(err)
	if !ok {
		return false
	}
	log.WarnContext(r.Context(), what, "dependency", o.Dependency, "code", o.Code, "err", err)
	if o.RetryAfter != "" {
		w.Header().Set("Retry-After", o.RetryAfter)
	}
	if r.ContentLength != 0 {
		w.Header().Set("Connection", "close")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(o.Status)
	e := map[string]any{"message": o.Message, "extensions": map[string]any{"code": o.Code}}
	if o.Dependency != "" {
		e["extensions"].(map[string]any)["dependency"] = o.Dependency
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{e}, "data": nil})
	return true
}

// outageCodes are the codes of presentOutage, each with its HTTP status.
var outageCodes = map[string]int{
	"DEPENDENCY_UNAVAILABLE": http.StatusServiceUnavailable,
	"INSUFFICIENT_STORAGE":   http.StatusInsufficientStorage,
}

// outageStatus is where a response's status is decided for its errors.
type outageStatus struct {
	mu     sync.Mutex
	status int
}

type outageStatusKey struct{}

// outageResponses is a response middleware: a response over HTTP whose
// errors are all outages (a dependency unavailable, a full disk) is sent
// with the outage's status (503, with Retry-After, or 507) instead of 200,
// so that clients, proxies and monitors see an outage rather than a bug.
// Responses with other errors too, and those of websockets, are left as
// they are.
func outageResponses(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	st, _ := ctx.Value(outageStatusKey{}).(*outageStatus)
	if st == nil || resp == nil || len(resp.Errors) == 0 {
		return resp
	}
	status := 0
	for _, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		s, ok := outageCodes[code]
		if !ok {
			return resp
		}
		status = max(status, s)
	}
	st.mu.Lock()
	st.status = status
	st.mu.Unlock()
	return resp
}

// withOutageStatus gives the HTTP requests (not websocket upgrades) a
// place for outageResponses to set their status, and applies it when the
// transport writes the header.
func withOutageStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			next.ServeHTTP(w, r)
			return
		}
		st := &outageStatus{}
		ow := &outageWriter{ResponseWriter: w, st: st}
		next.ServeHTTP(ow, r.WithContext(context.WithValue(r.Context(), outageStatusKey{}, st)))
	})
}

// outageWriter turns a 200 into the status outageResponses decided.
type outageWriter struct {
	http.ResponseWriter
	st    *outageStatus
	wrote bool
}

func (w *outageWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		w.st.mu.Lock()
		status := w.st.status
		w.st.mu.Unlock()
		if code == http.StatusOK && status != 0 {
			code = status
			if status == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", problem.RetryAfter)
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *outageWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (w *outageWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush flushes the writer underneath, for the transports that stream.
func (w *outageWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		if !w.wrote {
			w.WriteHeader(http.StatusOK)
		}
		f.Flush()
	}
}

func isOutage(err error) bool {
	_, ok := problem.OutageOf(err)
	return ok
}
