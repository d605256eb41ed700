package webhooks

import (
	"bytes"
	"context"
	"encoding/json"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Traces (OpenTelemetry). One upload is one trace: the HTTP request and its
// GraphQL mutation (the server's), the file's transaction (file.arrived),
// the enqueue of each of its calls (a producer span per task), then in the
// worker each attempt (a consumer span per task, worker/trace.go) and its
// HTTP POST to the receiver (a client span, whose context goes to the
// receiver in `traceparent`). The trace crosses Redis inside the task's
// payload (withTraceContext below). With tracing off (the zero Tracing)
// none of this runs: no span is started, no header is sent, and a payload
// is the same bytes as without tracing.

// Tracing is what the domain traces with. The zero value traces nothing.
type Tracing struct {
	// Provider makes the tracers. If nil, tracing is off.
	Provider trace.TracerProvider
	// Propagator carries a trace in task payloads and in the headers sent
	// to receivers. If nil (and Provider is not), W3C Trace Context.
	Propagator propagation.TextMapPropagator
}

// TracerName is the instrumentation scope of the spans of this program.
const TracerName = "github.com/scoopa/webhooks"

// Attributes of the spans, beside OpenTelemetry's semantic conventions.
const (
	AttrCallID    = attribute.Key("scoopa.call.id")
	AttrWebhookID = attribute.Key("scoopa.webhook.id")
	AttrAttempt   = attribute.Key("scoopa.attempt")
	// AttrOutcome is what became of the call: its status after the attempt
	// (SUCCEEDED, RETRYING, FAILED), or WAITING (a delivery limit), CANCELED
	// (webhook gone), SKIPPED (nothing to do: a duplicate task).
	AttrOutcome  = attribute.Key("scoopa.outcome")
	AttrFileID   = attribute.Key("scoopa.file.id")
	AttrFolderID = attribute.Key("scoopa.folder.id")
	AttrCalls    = attribute.Key("scoopa.calls")
)

// traceField is the member of a task's JSON payload that carries the
// trace (W3C traceparent and tracestate).
const traceField = "trace"

// tracer is the service's tracer; nil when tracing is off.
func (t Tracing) tracer() trace.Tracer {
	if t.Provider == nil {
		return nil
	}
	return t.Provider.Tracer(TracerName)
}

// withDefaults returns t with its propagator set when tracing is on.
func (t Tracing) withDefaults() Tracing {
	if t.Provider != nil && t.Propagator == nil {
		t.Propagator = propagation.TraceContext{}
	}
	return t
}

// Tracing is how the service traces (the zero value when it does not): the
// worker continues the traces that tasks carry with it.
func (s *Service) Tracing() Tracing { return s.tracing }

// startSpan starts a span named name as a child of the one in ctx, or, with
// tracing off, returns ctx and the (non-recording) span already in it,
// at no cost.
func (s *Service) startSpan(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	if s.tracer == nil {
		return ctx, trace.SpanFromContext(ctx)
	}
	return s.tracer.Start(ctx, name, opts...)
}

// endSpan ends span, recording err as its error if not nil.
func endSpan(span trace.Span, err error) {
	if err != nil && span.IsRecording() {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// withTraceContext returns the JSON object payload with the trace of ctx
// added as its member "trace" ({"traceparent": ..., "tracestate": ...}),
// for any task type: handlers decode their own members and ignore this one,
// and the worker continues the trace from it (worker.TaskContext). Without
// a trace in ctx (or with tracing off) payload is returned as it is.
func withTraceContext(ctx context.Context, prop propagation.TextMapPropagator, payload []byte) []byte {
	if prop == nil || !trace.SpanContextFromContext(ctx).IsValid() {
		return payload
	}
	carrier := propagation.MapCarrier{}
	prop.Inject(ctx, carrier)
	p := bytes.TrimSpace(payload)
	if len(carrier) == 0 || len(p) < 2 || p[0] != '{' {
		return payload
	}
	tc, err := json.Marshal(carrier)
	if err != nil {
		return payload
	}
	out := make([]byte, 0, len(p)+len(tc)+len(traceField)+4)
	out = append(out, `{"`+traceField+`":`...)
	out = append(out, tc...)
	if rest := bytes.TrimSpace(p[1:]); len(rest) > 0 && rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, p[1:]...)
}

// TraceContext returns ctx carrying, as its remote parent, the trace a task
// payload carries (withTraceContext), if any and if tracing is on.
func (t Tracing) TraceContext(ctx context.Context, payload []byte) context.Context {
	t = t.withDefaults()
	if t.Propagator == nil || !bytes.Contains(payload, []byte(`"`+traceField+`"`)) {
		return ctx
	}
	var p struct {
		Trace propagation.MapCarrier `json:"trace"`
	}
	if err := json.Unmarshal(payload, &p); err != nil || len(p.Trace) == 0 {
		return ctx
	}
	return t.Propagator.Extract(ctx, p.Trace)
}
