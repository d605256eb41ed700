package sender

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// BenchmarkSendTracing is one call to a loopback receiver with tracing off
// (no tracer: the code path as before tracing existed, plus a nil check),
// on with every span sampled (a client span and a traceparent header), and
// on with none sampled. Run: go test -run '^$' -bench SendTracing ./internal/sender/
func BenchmarkSendTracing(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	req := Request{URL: srv.URL, Headers: [][2]string{{"webhook-id", "msg_1"}}, Body: []byte(`{"file_id":1}`), Timeout: 5 * time.Second}
	for _, tc := range []struct {
		name    string
		sampler sdktrace.Sampler
	}{{"off", nil}, {"on-sampled", sdktrace.AlwaysSample()}, {"on-not-sampled", sdktrace.NeverSample()}} {
		b.Run(tc.name, func(b *testing.B) {
			s := New(Options{UserAgent: "bench", MaxIdlePerHost: 64, AllowPrivate: true})
			if tc.sampler != nil {
				s = New(Options{UserAgent: "bench", MaxIdlePerHost: 64, AllowPrivate: true,
					Tracer: sdktrace.NewTracerProvider(sdktrace.WithSampler(tc.sampler)).Tracer("bench")})
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
