package webhooks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// BenchmarkSendTracing is one call to a loopback receiver with tracing off
// (no tracer: the code path as before tracing existed, plus a nil check),
// on with every span sampled (a client span and a traceparent header), and
// on with none sampled. Run: go test -run '^$' -bench SendTracing ./internal/webhooks/
func BenchmarkSendTracing(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	req := Request{URL: srv.URL, Headers: [][2]string{{"webhook-id", "msg_1"}}, Body: []byte(`{"file_id":1}`), Timeout: 5 * time.Second}
	for _, tc := range []struct {
		name    string
		sampler sdktrace.Sampler
	}{{"off", nil}, {"on-sampled", sdktrace.AlwaysSample()}, {"on-not-sampled", sdktrace.NeverSample()}} {
		b.Run(tc.name, func(b *testing.B) {
			s := NewSender("bench", 64, true)
			if tc.sampler != nil {
				s.tracer = sdktrace.NewTracerProvider(sdktrace.WithSampler(tc.sampler)).Tracer(TracerName)
				s.propagator = propagation.TraceContext{}
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if resp := s.Send(ctx, req); resp.Err != nil {
					b.Fatal(resp.Err)
				}
			}
		})
	}
}

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
