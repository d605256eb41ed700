package app_test

import (
	"compress/gzip"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// recorder records the spans of one process.
func recorder() (*tracetest.SpanRecorder, trace.TracerProvider) {
	rec := tracetest.NewSpanRecorder()
	return rec, sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
}

// span returns the one ended span of rec named name for which match holds
// (nil: any), failing the test if there is none or more than one.
func span(t *testing.T, rec *tracetest.SpanRecorder, name string, match func(sdktrace.ReadOnlySpan) bool) sdktrace.ReadOnlySpan {
	t.Helper()
	var found []sdktrace.ReadOnlySpan
	for _, s := range rec.Ended() {
		if s.Name() == name && (match == nil || match(s)) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d spans named %q, want 1; spans: %s", len(found), name, names(rec.Ended()))
	}
	return found[0]
}

func names(spans []sdktrace.ReadOnlySpan) string {
	var out []string
	for _, s := range spans {
		out = append(out, fmt.Sprintf("%q(%s parent %s)", s.Name(), s.SpanContext().SpanID(), s.Parent().SpanID()))
	}
	return strings.Join(out, ", ")
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// childOf fails the test unless child's parent is parent.
func childOf(t *testing.T, child, parent sdktrace.ReadOnlySpan) {
	t.Helper()
	if child.SpanContext().TraceID() != parent.SpanContext().TraceID() {
		t.Errorf("span %q is in trace %s, %q in %s: want one trace", child.Name(), child.SpanContext().TraceID(), parent.Name(), parent.SpanContext().TraceID())
	}
	if child.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("span %q has parent %s, want %q (%s)", child.Name(), child.Parent().SpanID(), parent.Name(), parent.SpanContext().SpanID())
	}
}

// wantAttrs fails the test unless s has each attribute of want.
func wantAttrs(t *testing.T, s sdktrace.ReadOnlySpan, want map[attribute.Key]any) {
	t.Helper()
	got := attrs(s)
	for k, w := range want {
		v, ok := got[k]
		if !ok {
			t.Errorf("span %q lacks attribute %s (want %v); has %v", s.Name(), k, w, got)
			continue
		}
		if fmt.Sprint(v.AsInterface()) != fmt.Sprint(w) {
			t.Errorf("span %q: %s = %v, want %v", s.Name(), k, v.AsInterface(), w)
		}
	}
}

// setUp creates a folder and an active webhook to rc assigned to it, and
// returns the folder's and the webhook's IDs.
func setUp(t *testing.T, s *testenv.Server, rc *testenv.Receiver) (folderID, webhookID string) {
	t.Helper()
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "traced"}) { id } }`, nil, &f)
	var w struct {
		CreateWebhook struct{ ID, ValidationStatus string }
	}
	s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id validationStatus } }`, map[string]any{"in": map[string]any{
		"name": "traced", "url": rc.URL, "folderIDs": []string{f.CreateFolder.ID}, "active": true}}, &w)
	if w.CreateWebhook.ValidationStatus != "VALID" {
		t.Fatalf("webhook: %+v, want VALID", w.CreateWebhook)
	}
	return f.CreateFolder.ID, w.CreateWebhook.ID
}

// One upload is one trace, across the server and the worker (each with a
// recorder of its own, as two processes): the HTTP request, the mutation,
// the file's transaction, the enqueue, then the worker's attempt and its
// POST, whose context the receiver gets in traceparent.
func TestTraceOfOneUpload(t *testing.T) {
	t.Parallel()
	rc := testenv.NewReceiver(t)
	srvRec, srvTP := recorder()
	wrkRec, wrkTP := recorder()
	s := testenv.StartServerWith(t, testenv.Postgres, testenv.Options{ServerTracer: srvTP, WorkerTracer: wrkTP})
	folderID, webhookID := setUp(t, s, rc)

	// The validation of createWebhook has a span too, with its POST in it.
	validate := span(t, srvRec, "webhook.validate", nil)
	wantAttrs(t, validate, map[attribute.Key]any{"scoopa.webhook.id": webhookID, "scoopa.outcome": "VALID", "http.response.status_code": 200})
	childOf(t, span(t, srvRec, "POST", func(s sdktrace.ReadOnlySpan) bool { return s.Parent().SpanID() == validate.SpanContext().SpanID() }), validate)
	childOf(t, validate, span(t, srvRec, "mutation createWebhook", nil))
	if v := rc.Validations(); len(v) != 1 || v[0].Header.Get("traceparent") == "" {
		t.Errorf("validation calls %d, traceparent %q: want one, with a traceparent", len(v), v[0].Header.Get("traceparent"))
	}

	if r := s.Upload(t, folderID, "clip.mov", "video/quicktime", []byte("trace me")); len(r.Errors) > 0 {
		t.Fatalf("upload: %+v", r.Errors)
	}
	testenv.Eventually(t, 30*time.Second, "the attempt's span to end", func() bool {
		for _, s := range wrkRec.Ended() {
			if s.Name() == "call.attempt" {
				return true
			}
		}
		return false
	})
	got := rc.Deliveries()
	if len(got) != 1 {
		t.Fatalf("receiver got %d deliveries, want 1", len(got))
	}
	callID := strings.TrimPrefix(got[0].Header.Get("webhook-id"), "msg_")

	// The server: request > mutation > file's transaction > enqueue.
	request := span(t, srvRec, "POST /graphql", func(s sdktrace.ReadOnlySpan) bool {
		for _, c := range srvRec.Ended() {
			if c.Name() == "mutation uploadFile" && c.Parent().SpanID() == s.SpanContext().SpanID() {
				return true
			}
		}
		return false
	})
	if request.SpanKind() != trace.SpanKindServer {
		t.Errorf("request span kind %v, want server", request.SpanKind())
	}
	wantAttrs(t, request, map[attribute.Key]any{"http.request.method": "POST", "http.route": "/graphql", "http.response.status_code": 200})
	upload := span(t, srvRec, "mutation uploadFile", nil)
	childOf(t, upload, request)
	tx := span(t, srvRec, "file.arrived", nil)
	childOf(t, tx, upload)
	wantAttrs(t, tx, map[attribute.Key]any{"scoopa.folder.id": folderID, "scoopa.calls": 1})
	// A new file's calls go in one task (the file's).
	enqueue := span(t, srvRec, "send file:deliver", nil)
	childOf(t, enqueue, tx)
	if enqueue.SpanKind() != trace.SpanKindProducer {
		t.Errorf("enqueue span kind %v, want producer", enqueue.SpanKind())
	}
	wantAttrs(t, enqueue, map[attribute.Key]any{"messaging.system": "asynq"})
	for _, kv := range enqueue.Attributes() {
		if kv.Key == "messaging.message.id" && !strings.HasPrefix(kv.Value.Emit(), "file:") {
			t.Errorf("enqueue span's message id %q, want the file task's (file:…)", kv.Value.Emit())
		}
	}

	// The worker: the file task > the call's attempt > POST, the task a
	// child of the enqueue, which it knows only from the task's payload.
	task := span(t, wrkRec, "process file:deliver", nil)
	childOf(t, task, enqueue)
	if !task.Parent().IsRemote() || task.SpanKind() != trace.SpanKindConsumer {
		t.Errorf("task span: parent remote %v, kind %v; want a consumer span of a remote parent", task.Parent().IsRemote(), task.SpanKind())
	}
	attempt := span(t, wrkRec, "call.attempt", nil)
	childOf(t, attempt, task)
	wantAttrs(t, attempt, map[attribute.Key]any{
		"scoopa.call.id": callID, "scoopa.webhook.id": webhookID, "scoopa.attempt": 1,
		"scoopa.outcome": "SUCCEEDED", "http.response.status_code": 200,
	})
	post := span(t, wrkRec, "POST", nil)
	childOf(t, post, attempt)
	if post.SpanKind() != trace.SpanKindClient {
		t.Errorf("POST span kind %v, want client", post.SpanKind())
	}
	wantAttrs(t, post, map[attribute.Key]any{"http.request.method": "POST", "url.full": rc.URL, "http.response.status_code": 200})

	// The receiver can join the trace: its parent is our POST.
	tp := got[0].Header.Get("traceparent")
	want := "00-" + post.SpanContext().TraceID().String() + "-" + post.SpanContext().SpanID().String() + "-01"
	if tp != want {
		t.Errorf("receiver got traceparent %q, want %q (the trace of the upload, %s)", tp, want, request.SpanContext().TraceID())
	}
	if tp[3:35] != request.SpanContext().TraceID().String() {
		t.Errorf("traceparent's trace ID %s is not the upload's %s", tp[3:35], request.SpanContext().TraceID())
	}
}

// otlpReceiver is an OTLP/HTTP trace receiver: it decodes what the exporter
// posts to /v1/traces.
type otlpReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*collectortrace.ExportTraceServiceRequest
}

func newOTLPReceiver(t *testing.T) *otlpReceiver {
	o := &otlpReceiver{}
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			t.Errorf("OTLP request %s %s (%s), want POST /v1/traces of protobuf", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
			w.WriteHeader(http.StatusNotFound)
			return
		}
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				t.Errorf("gzip: %v", err)
				return
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Errorf("read OTLP body: %v", err)
			return
		}
		var req collectortrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			t.Errorf("decode OTLP body: %v", err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		o.mu.Lock()
		o.requests = append(o.requests, &req)
		o.mu.Unlock()
		out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(o.Close)
	return o
}

// exported is a span as the OTLP receiver got it.
type exported struct {
	name, service, traceID string
}

func (o *otlpReceiver) spans() []exported {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []exported
	for _, req := range o.requests {
		for _, rs := range req.ResourceSpans {
			service := ""
			for _, kv := range rs.Resource.GetAttributes() {
				if kv.Key == "service.name" {
					service = kv.Value.GetStringValue()
				}
			}
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					out = append(out, exported{s.Name, service, hex.EncodeToString(s.TraceId)})
				}
			}
		}
	}
	return out
}

// The OTEL_* variables alone turn the export on: the spans of an upload
// and its delivery reach an OTLP/HTTP endpoint, in one trace, under the
// service name given.
func TestTracesExportedOverOTLP(t *testing.T) {
	t.Parallel()
	rc := testenv.NewReceiver(t)
	otlp := newOTLPReceiver(t)
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT": otlp.URL,
		"OTEL_SERVICE_NAME":           "scoopa-traced",
	})
	folderID, _ := setUp(t, s, rc)
	if r := s.Upload(t, folderID, "clip.mov", "video/quicktime", []byte("export me")); len(r.Errors) > 0 {
		t.Fatalf("upload: %+v", r.Errors)
	}
	testenv.Eventually(t, 30*time.Second, "the delivery", func() bool { return len(rc.Deliveries()) == 1 })
	s.Stop() // flushes the spans not yet exported
	tp := rc.Deliveries()[0].Header.Get("traceparent")
	if len(tp) != 55 {
		t.Fatalf("receiver got traceparent %q, want one", tp)
	}
	traceID := tp[3:35]
	inTrace := map[string]bool{}
	for _, sp := range otlp.spans() {
		if sp.service != "scoopa-traced" {
			t.Errorf("span %q of service %q, want scoopa-traced (OTEL_SERVICE_NAME)", sp.name, sp.service)
		}
		if sp.traceID == traceID {
			inTrace[sp.name] = true
		}
	}
	for _, name := range []string{"POST /graphql", "mutation uploadFile", "file.arrived", "send file:deliver", "process file:deliver", "call.attempt", "POST"} {
		if !inTrace[name] {
			t.Errorf("no span %q exported in the delivery's trace %s; got %v", name, traceID, inTrace)
		}
	}
}

// Without an endpoint, or with OTEL_SDK_DISABLED=true, there is no
// exporter and no trace: receivers get no traceparent, the OTLP endpoint
// nothing.
func TestTracingOff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  func(otlp string) map[string]string
	}{
		{"unset", func(string) map[string]string { return map[string]string{"OTEL_SERVICE_NAME": "scoopa-untraced"} }},
		{"disabled", func(otlp string) map[string]string {
			return map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": otlp, "OTEL_SDK_DISABLED": "true"}
		}},
		{"exporter none", func(otlp string) map[string]string {
			return map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": otlp, "OTEL_TRACES_EXPORTER": "none"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rc := testenv.NewReceiver(t)
			otlp := newOTLPReceiver(t)
			s := testenv.StartServer(t, testenv.Embedded, tc.env(otlp.URL))
			if s.Service().Tracing().Provider != nil {
				t.Error("the service has a tracer provider, want none")
			}
			folderID, _ := setUp(t, s, rc)
			if r := s.Upload(t, folderID, "clip.mov", "video/quicktime", []byte("no trace")); len(r.Errors) > 0 {
				t.Fatalf("upload: %+v", r.Errors)
			}
			testenv.Eventually(t, 30*time.Second, "the delivery", func() bool { return len(rc.Deliveries()) == 1 })
			s.Stop()
			for _, r := range append(rc.Validations(), rc.Deliveries()...) {
				for _, h := range []string{"traceparent", "tracestate"} {
					if v := r.Header.Get(h); v != "" {
						t.Errorf("receiver got %s %q, want none", h, v)
					}
				}
			}
			if n := len(otlp.spans()); n != 0 {
				t.Errorf("the OTLP endpoint got %d spans, want none", n)
			}
		})
	}
}
