package app

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/events"
)

// newRegistry returns a registry with the Go and process collectors.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// stateCollector reads, at scrape time, what is waiting: the queue's depth
// and latency in Redis, and the calls pending or retrying in the database.
type stateCollector struct {
	insp   *asynq.Inspector
	queue  string
	db     *ent.Client
	broker *events.Broker
	log    *slog.Logger

	queueSize, queueLatency, calls, subs, disabled *prometheus.Desc
}

func newStateCollector(insp *asynq.Inspector, queue string, db *ent.Client, broker *events.Broker, log *slog.Logger) *stateCollector {
	return &stateCollector{
		insp: insp, queue: queue, db: db, broker: broker, log: log,
		queueSize:    prometheus.NewDesc("scoopa_queue_tasks", "Tasks in the queue by state.", []string{"state"}, nil),
		queueLatency: prometheus.NewDesc("scoopa_queue_latency_seconds", "Age of the oldest pending task.", nil, nil),
		calls:        prometheus.NewDesc("scoopa_calls_waiting", "Delivery calls waiting, by status.", []string{"status"}, nil),
		subs:         prometheus.NewDesc("scoopa_subscriptions", "Live call-log subscriptions of this server: in place, their events flowing.", nil, nil),
		disabled:     prometheus.NewDesc("scoopa_webhooks_disabled", "Webhooks the service deactivated (SCOOPA_DISABLE_AFTER, 410 Gone) and nobody activated again.", nil, nil),
	}
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.queueSize
	ch <- c.queueLatency
	ch <- c.calls
	ch <- c.disabled
	if c.broker != nil {
		ch <- c.subs
	}
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	if qi, err := c.insp.GetQueueInfo(c.queue); err == nil {
		for state, n := range map[string]int{"pending": qi.Pending, "active": qi.Active, "scheduled": qi.Scheduled, "retry": qi.Retry, "archived": qi.Archived} {
			ch <- prometheus.MustNewConstMetric(c.queueSize, prometheus.GaugeValue, float64(n), state)
		}
		ch <- prometheus.MustNewConstMetric(c.queueLatency, prometheus.GaugeValue, qi.Latency.Seconds())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, st := range []webhookcall.Status{webhookcall.StatusPENDING, webhookcall.StatusRUNNING, webhookcall.StatusRETRYING} {
		n, err := c.db.WebhookCall.Query().Where(webhookcall.StatusEQ(st), webhookcall.KindEQ(webhookcall.KindDELIVERY)).Count(ctx)
		if err != nil {
			c.log.Warn("metrics: count calls", "err", err)
			return
		}
		ch <- prometheus.MustNewConstMetric(c.calls, prometheus.GaugeValue, float64(n), string(st))
	}
	if n, err := c.db.Webhook.Query().Where(webhook.DisabledAtNotNil()).Count(ctx); err != nil {
		c.log.Warn("metrics: count disabled webhooks", "err", err)
	} else {
		ch <- prometheus.MustNewConstMetric(c.disabled, prometheus.GaugeValue, float64(n))
	}
	if c.broker != nil {
		ch <- prometheus.MustNewConstMetric(c.subs, prometheus.GaugeValue, float64(c.broker.Live()))
	}
}

// httpMetrics instruments a handler by route.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	ops      *prometheus.CounterVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "scoopa_http_requests_total", Help: "HTTP requests by route and status code."}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "scoopa_http_request_duration_seconds", Help: "HTTP request duration by route.", Buckets: prometheus.DefBuckets}, []string{"route"}),
		ops:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: "scoopa_graphql_operations_total", Help: "GraphQL operations by type and whether they had errors."}, []string{"type", "errors"}),
	}
	reg.MustRegister(m.requests, m.duration, m.ops)
	return m
}

func (m *httpMetrics) wrap(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: 200}
		next.ServeHTTP(sw, r)
		m.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// graphqlOps counts operations; used as a gqlgen response middleware.
func (m *httpMetrics) graphqlOps(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	typ := "unknown"
	// Requests refused before parsing (bad JSON) have no operation.
	if !graphql.HasOperationContext(ctx) {
		typ = "none"
	} else if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil {
		typ = string(oc.Operation.Operation)
	}
	hasErr := resp != nil && len(resp.Errors) > 0
	m.ops.WithLabelValues(typ, strconv.FormatBool(hasErr)).Inc()
	return resp
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) { w.code = code; w.ResponseWriter.WriteHeader(code) }

// Hijack lets websocket upgrades through.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("hijacking not supported")
	}
	w.code = http.StatusSwitchingProtocols
	return h.Hijack()
}

// Flush passes flushes through.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController (websocket hijacking, flushing) reach
// the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func metricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}
