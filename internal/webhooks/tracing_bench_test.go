package webhooks

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// BenchmarkTaskPayload is the payload of a delivery task, with tracing off
// (unchanged) and on (the trace added).
func BenchmarkTaskPayload(b *testing.B) {
	tp := sdktrace.NewTracerProvider()
	ctx, span := tp.Tracer(TracerName).Start(context.Background(), "x")
	defer span.End()
	payload := []byte(`{"call_id":4711}`)
	for _, tc := range []struct {
		name string
		ctx  context.Context
		prop propagation.TextMapPropagator
	}{{"off", context.Background(), nil}, {"on", ctx, propagation.TraceContext{}}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = withTraceContext(tc.ctx, tc.prop, payload)
			}
		})
	}
}
