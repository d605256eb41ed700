package webhooks

import "github.com/prometheus/client_golang/prometheus"

// healthMetrics count the deactivations of webhooks by the service and the
// operator events.
type healthMetrics struct {
	disabled *prometheus.CounterVec
	operator *prometheus.CounterVec
}

func newHealthMetrics(reg prometheus.Registerer) healthMetrics {
	m := healthMetrics{
		disabled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scoopa_webhooks_disabled_total",
			Help: "Webhooks the service deactivated, by cause (failing: every call failed for SCOOPA_DISABLE_AFTER; gone: 410 Gone).",
		}, []string{"cause"}),
		operator: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scoopa_operator_events_total",
			Help: "Attempts to send operator events, by type and outcome (delivered, retrying, failed: dropped after the last retry, not_enqueued).",
		}, []string{"type", "outcome"}),
	}
	reg.MustRegister(m.disabled, m.operator)
	return m
}

func (m *Metrics) disabled(cause string) {
	if m != nil {
		m.health.disabled.WithLabelValues(cause).Inc()
	}
}

func (m *Metrics) operatorEvent(typ, outcome string) {
	if m != nil {
		m.health.operator.WithLabelValues(typ, outcome).Inc()
	}
}
