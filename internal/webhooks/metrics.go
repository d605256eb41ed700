package webhooks

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/scoopa/webhooks/ent/webhookcall"
)

// Metrics counts what the domain does, for Prometheus.
type Metrics struct {
	calls    *prometheus.CounterVec
	attempts *prometheus.HistogramVec
	created  prometheus.Counter
	health   healthMetrics // health_metrics.go
}

// NewMetrics registers the domain's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scoopa_call_attempts_total",
			Help: "Attempts of calls by kind and the call's outcome after it (SUCCEEDED, RETRYING, FAILED).",
		}, []string{"kind", "outcome"}),
		attempts: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "scoopa_call_attempt_duration_seconds",
			Help:    "Duration of one HTTP attempt, by kind.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 15},
		}, []string{"kind"}),
		created: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scoopa_delivery_calls_created_total",
			Help: "Delivery calls created for new files.",
		}),
	}
	reg.MustRegister(m.calls, m.attempts, m.created)
	m.health = newHealthMetrics(reg)
	return m
}

func (m *Metrics) attempted(kind webhookcall.Kind, outcome webhookcall.Status, d time.Duration) {
	if m == nil {
		return
	}
	m.calls.WithLabelValues(string(kind), string(outcome)).Inc()
	m.attempts.WithLabelValues(string(kind)).Observe(d.Seconds())
}

func (m *Metrics) callsCreated(n int) {
	if m != nil {
		m.created.Add(float64(n))
	}
}
