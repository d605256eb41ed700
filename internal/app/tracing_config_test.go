package app

import (
	"strings"
	"testing"
)

// The OTEL_* variables decide whether and where spans go; bad values stop
// start-up with the variable's name, rather than the SDK's warning.
func TestLoadTracing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    TracingConfig
		wantErr string
	}{
		{name: "unset: off", env: nil, want: TracingConfig{}},
		{name: "only a service name: off", env: map[string]string{"OTEL_SERVICE_NAME": "x"}, want: TracingConfig{}},
		{name: "base endpoint over HTTP", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"},
			want: TracingConfig{Endpoint: "http://collector:4318/v1/traces", Protocol: "http/protobuf"}},
		{name: "traces endpoint as it is", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://b/otlp/traces"},
			want: TracingConfig{Endpoint: "https://b/otlp/traces", Protocol: "http/protobuf"}},
		{name: "grpc", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_SERVICE_NAME": "svc"},
			want: TracingConfig{Endpoint: "http://collector:4317", Protocol: "grpc", ServiceName: "svc"}},
		{name: "disabled", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "TRUE"}, want: TracingConfig{}},
		{name: "exporter none", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"}, want: TracingConfig{}},
		{name: "bad disabled", env: map[string]string{"OTEL_SDK_DISABLED": "yes please"}, wantErr: `OTEL_SDK_DISABLED "yes please": must be true or false`},
		{name: "bad exporter", env: map[string]string{"OTEL_TRACES_EXPORTER": "zipkin"}, wantErr: `OTEL_TRACES_EXPORTER "zipkin": must be otlp or none`},
		{name: "bad protocol", env: map[string]string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json"}, wantErr: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL "http/json": must be http/protobuf or grpc`},
		{name: "endpoint without scheme", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"}, wantErr: `OTEL_EXPORTER_OTLP_ENDPOINT "collector:4318": must be an http:// or https:// URL`},
		{name: "bad sampler", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_SAMPLER": "sometimes"}, wantErr: `OTEL_TRACES_SAMPLER "sometimes": must be always_on`},
		{name: "bad ratio", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "10%"}, wantErr: `OTEL_TRACES_SAMPLER_ARG "10%": must be a ratio from 0 to 1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := loadTracing(func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if got.Enabled() != (tc.want.Endpoint != "") {
				t.Errorf("Enabled() = %v", got.Enabled())
			}
		})
	}
}
