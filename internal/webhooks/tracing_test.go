package webhooks

import (
	"context"
	"encoding/json"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// A task's payload carries the trace of the enqueue to the worker, for any
// JSON object payload, and is left as it is without one.
func TestTraceContextInPayload(t *testing.T) {
	ctx, span := sdktrace.NewTracerProvider().Tracer(TracerName).Start(context.Background(), "enqueue")
	defer span.End()
	prop := propagation.TraceContext{}
	for _, payload := range []string{`{"call_id":4711,"slot":5}`, `{}`, ` { "webhook_id": 3 } `} {
		out := withTraceContext(ctx, prop, []byte(payload))
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("payload %s became %s: %v", payload, out, err)
		}
		var orig map[string]any
		_ = json.Unmarshal([]byte(payload), &orig)
		for k, v := range orig {
			if m[k] != v {
				t.Errorf("payload %s became %s: %s lost", payload, out, k)
			}
		}
		got := trace.SpanContextFromContext(Tracing{Provider: sdktrace.NewTracerProvider()}.TraceContext(context.Background(), out))
		if got.TraceID() != span.SpanContext().TraceID() || got.SpanID() != span.SpanContext().SpanID() || !got.IsRemote() {
			t.Errorf("payload %s: trace read back %v, want the enqueue's %v", out, got, span.SpanContext())
		}
	}
	// Off, or no trace: the same bytes.
	for _, c := range []struct {
		ctx  context.Context
		prop propagation.TextMapPropagator
	}{{ctx, nil}, {context.Background(), prop}} {
		if out := withTraceContext(c.ctx, c.prop, []byte(`{"call_id":1}`)); string(out) != `{"call_id":1}` {
			t.Errorf("payload without tracing became %s", out)
		}
	}
	if got := (Tracing{}).TraceContext(context.Background(), withTraceContext(ctx, prop, []byte(`{"call_id":1}`))); trace.SpanContextFromContext(got).IsValid() {
		t.Error("a worker with tracing off continued the trace")
	}
}
