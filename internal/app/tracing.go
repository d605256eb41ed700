package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/scoopa/webhooks/internal/secrets"
	"github.com/scoopa/webhooks/internal/webhooks"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// TracingConfig is the OpenTelemetry trace export, read from OpenTelemetry's
// own variables (OTEL_*), not from SCOOPA_* ones: tracing is on when an
// OTLP endpoint is set, and off (no exporter, no span, no traceparent sent
// to receivers) otherwise, or with OTEL_SDK_DISABLED=true or
// OTEL_TRACES_EXPORTER=none. The SDK reads the rest of its variables itself
// (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION, _CERTIFICATE, their
// _TRACES_ forms, OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*).
type TracingConfig struct {
	// Endpoint is the URL spans are sent to: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
	// as it is, or OTEL_EXPORTER_OTLP_ENDPOINT (with /v1/traces added over
	// HTTP). Empty: tracing is off.
	Endpoint string
	// Protocol is grpc or http/protobuf (the default).
	Protocol string
	// ServiceName is OTEL_SERVICE_NAME; if empty, the binary's name.
	ServiceName string
}

// Enabled reports whether spans are exported.
func (t TracingConfig) Enabled() bool { return t.Endpoint != "" }

// The OTLP protocols (OTEL_EXPORTER_OTLP_PROTOCOL).
const (
	protocolHTTP = "http/protobuf"
	protocolGRPC = "grpc"
)

// loadTracing reads the OTEL_* variables that decide whether and where
// spans go, and checks those the SDK would otherwise only warn about. A bad
// value is an error naming the variable.
func loadTracing(getenv func(string) string) (TracingConfig, error) {
	var t TracingConfig
	env := func(name string) string { return strings.TrimSpace(getenv(name)) }
	if v := env("OTEL_SDK_DISABLED"); v != "" {
		off, err := strconv.ParseBool(v)
		if err != nil {
			return t, fmt.Errorf("OTEL_SDK_DISABLED %q: must be true or false", v)
		}
		if off {
			return t, nil
		}
	}
	switch v := env("OTEL_TRACES_EXPORTER"); v {
	case "", "otlp":
	case "none":
		return t, nil
	default:
		return t, fmt.Errorf("OTEL_TRACES_EXPORTER %q: must be otlp or none (OTLP is the exporter built in)", v)
	}
	t.Protocol = protocolHTTP
	for _, name := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if v := env(name); v != "" {
			if v != protocolHTTP && v != protocolGRPC {
				return t, fmt.Errorf("%s %q: must be http/protobuf or grpc (http/json is not supported)", name, v)
			}
			t.Protocol = v
			break
		}
	}
	for _, name := range []string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"} {
		v := env(name)
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return t, fmt.Errorf("%s %q: must be an http:// or https:// URL, such as http://collector:4318 (4317 for grpc)", name, v)
		}
		if name == "OTEL_EXPORTER_OTLP_ENDPOINT" && t.Protocol == protocolHTTP {
			// The base URL of every signal: traces go under /v1/traces.
			u.Path = strings.TrimRight(u.Path, "/") + "/v1/traces"
		}
		t.Endpoint = u.String()
		break
	}
	if t.Endpoint == "" {
		return TracingConfig{}, nil // off
	}
	if err := checkSampler(env("OTEL_TRACES_SAMPLER"), env("OTEL_TRACES_SAMPLER_ARG")); err != nil {
		return t, err
	}
	t.ServiceName = env("OTEL_SERVICE_NAME")
	return t, nil
}

// checkSampler checks OTEL_TRACES_SAMPLER and its argument as the SDK reads
// them (which, given a bad one, would only warn and sample everything).
func checkSampler(sampler, arg string) error {
	switch strings.ToLower(sampler) {
	case "", "always_on", "always_off", "parentbased_always_on", "parentbased_always_off":
		return nil
	case "traceidratio", "parentbased_traceidratio":
		if arg == "" {
			return nil
		}
		if f, err := strconv.ParseFloat(arg, 64); err != nil || f < 0 || f > 1 {
			return fmt.Errorf("OTEL_TRACES_SAMPLER_ARG %q: must be a ratio from 0 to 1, such as 0.1", arg)
		}
		return nil
	}
	return fmt.Errorf("OTEL_TRACES_SAMPLER %q: must be always_on, always_off, traceidratio, parentbased_always_on (the default), parentbased_always_off or parentbased_traceidratio", sampler)
}

// tracingSetup is the tracing of a process: what the domain and the HTTP
// server trace with, and how to flush the spans at the end.
type tracingSetup struct {
	webhooks.Tracing
	shutdown func(context.Context) error
}

// openTracing starts the export of spans when cfg.Tracing is on; otherwise
// (or when a test gave its own provider) it makes no exporter. service
// names the process when OTEL_SERVICE_NAME does not.
func openTracing(ctx context.Context, cfg Config, service string, log *slog.Logger, o options) (*tracingSetup, error) {
	noop := func(context.Context) error { return nil }
	if o.tracer != nil {
		return &tracingSetup{Tracing: webhooks.Tracing{Provider: o.tracer, Propagator: propagation.TraceContext{}}, shutdown: noop}, nil
	}
	t := cfg.Tracing
	if !t.Enabled() {
		return &tracingSetup{shutdown: noop}, nil
	}
	var (
		exp sdktrace.SpanExporter
		err error
	)
	if t.Protocol == protocolGRPC {
		exp, err = otlptracegrpc.New(ctx, otlptracegrpc.WithEndpointURL(t.Endpoint))
	} else {
		exp, err = otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(t.Endpoint))
	}
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter (%s %s): %w", t.Protocol, t.Endpoint, err)
	}
	// The binary's name unless OTEL_SERVICE_NAME (or service.name in
	// OTEL_RESOURCE_ATTRIBUTES) says otherwise: the later option wins.
	ropts := []resource.Option{
		resource.WithAttributes(attribute.String("service.name", service), attribute.String("service.version", Version)),
		resource.WithFromEnv(), resource.WithTelemetrySDK(),
	}
	if t.ServiceName != "" {
		ropts = append(ropts, resource.WithAttributes(attribute.String("service.name", t.ServiceName)))
	}
	res, err := resource.New(ctx, ropts...)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, fmt.Errorf("OTEL_RESOURCE_ATTRIBUTES: %w", err)
	}
	// Export failures (a collector down) are logged, not fatal.
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		log.Warn("trace export failed", "err", err)
	}))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	log.Info("tracing on", "endpoint", secrets.MaskURL(t.Endpoint), "protocol", t.Protocol)
	return &tracingSetup{
		Tracing: webhooks.Tracing{Provider: tp, Propagator: propagation.TraceContext{}},
		shutdown: func(ctx context.Context) error {
			// Spans still in the batch go out now, or within 5s.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			return tp.Shutdown(ctx)
		},
	}, nil
}

// traceHTTP traces each request of route as a server span named
// "METHOD route", continuing the trace of an incoming traceparent; with
// tracing off it returns next. Websocket upgrades are not traced: a span
// would last as long as the connection.
func traceHTTP(t webhooks.Tracing, route string, next http.Handler) http.Handler {
	if t.Provider == nil {
		return next
	}
	tracer, prop := t.Provider.Tracer(webhooks.TracerName), t.Propagator
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		ctx := prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := tracer.Start(ctx, r.Method+" "+route, trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(
			attribute.String("http.request.method", r.Method),
			attribute.String("http.route", route),
			attribute.String("url.path", r.URL.Path),
		))
		defer span.End()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(ctx))
		span.SetAttributes(attribute.Int("http.response.status_code", sw.code))
		if sw.code >= 500 {
			span.SetStatus(codes.Error, http.StatusText(sw.code))
		}
	})
}
