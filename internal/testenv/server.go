package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/graph"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/wake"
	"github.com/scoopa/webhooks/internal/webhooks"
	"go.opentelemetry.io/otel/trace"
)

// Server is a running server (with its worker) for a test.
type Server struct {
	URL   string
	Token string
	Env   map[string]string
	Kind  Kind
	stop  func()
	logs  tlog
	svc   *webhooks.Service
	rdb   redis.UniversalClient
	socks *graph.Sockets
}

// Service returns the server's domain, on the server's backends and clock:
// a test calls the sweeper, the revalidation scan or the retention on it
// instead of waiting for the scheduler.
func (s *Server) Service() *webhooks.Service { return s.svc }

// Sockets returns the registry of the server's websockets: a test sees
// why the server closed them (Closed).
func (s *Server) Sockets() *graph.Sockets { return s.socks }

// Queue returns an inspector of the server's queue (on the server's Redis,
// the in-process one in embedded mode).
func (s *Server) Queue() *asynq.Inspector { return asynq.NewInspectorFromRedisClient(s.rdb) }

// RunDue waits until want tasks wait for their due time (retries), then
// makes every waiting task run now: with the server's clock moved past the
// due time, this is that time coming. A task run before its call is due
// does nothing, as a task run early would.
func (s *Server) RunDue(t testing.TB, want int) {
	t.Helper()
	insp, q := s.Queue(), s.queueName()
	s.waitLane(t)
	Eventually(t, 30*time.Second, fmt.Sprint(want, " tasks waiting for their due time"), func() bool {
		info, err := insp.GetQueueInfo(q)
		return err == nil && info.Scheduled >= want
	})
	if _, err := insp.RunAllScheduledTasks(q); err != nil {
		t.Fatalf("run due tasks: %v", err)
	}
}

// WaitIdle waits until the server's queue has no task pending or running.
func (s *Server) WaitIdle(t testing.TB) {
	t.Helper()
	s.waitLane(t)
	WaitIdle(t, s.Queue(), s.queueName())
	s.waitLane(t)
}

// waitLane waits until no task waits in the wake lane or runs through it
// (Asynq shows those as scheduled: package wake).
func (s *Server) waitLane(t testing.TB) {
	t.Helper()
	Eventually(t, 30*time.Second, "the wake lane to be idle", func() bool {
		n, err := wake.Busy(context.Background(), s.rdb, s.queueName())
		return err == nil && n == 0
	})
}

// WaitIdle waits until a queue has no task pending or running.
func WaitIdle(t testing.TB, insp *asynq.Inspector, queue string) {
	t.Helper()
	Eventually(t, 30*time.Second, "the queue to be idle", func() bool {
		queues, err := insp.Queues()
		if err != nil {
			t.Fatalf("queues: %v", err)
		}
		if !slices.Contains(queues, queue) {
			return true // nothing was ever enqueued
		}
		info, err := insp.GetQueueInfo(queue)
		if err != nil {
			t.Fatalf("queue: %v", err)
		}
		return info.Pending == 0 && info.Active == 0
	})
}

func (s *Server) queueName() string {
	if q := s.Env["SCOOPA_QUEUE"]; q != "" {
		return q
	}
	return "webhooks"
}

// Stop stops the server and its worker as a SIGTERM would, and waits until
// they returned; the end of the test does it otherwise. Starting a server
// with Env again brings it back on the same address and data.
func (s *Server) Stop() { s.stop() }

// Logs returns what the server and its worker logged so far.
func (s *Server) Logs() string {
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	return s.logs.buf.String()
}

// tlog sends the program's logs to the test's log, and keeps them.
type tlog struct {
	t   testing.TB
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (w tlog) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.buf.Write(p)
	w.mu.Unlock()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func newTLog(t testing.TB) tlog { return tlog{t, &sync.Mutex{}, &bytes.Buffer{}} }

func (w tlog) logger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// Logger returns a logger writing to t.Log.
func Logger(t testing.TB, level slog.Level) *slog.Logger { return newTLog(t).logger(level) }

// StartServer runs the real server on kind, and for the production kind a
// worker beside it (as a separate binary would), until the test ends.
func StartServer(t testing.TB, kind Kind, overrides map[string]string) *Server {
	t.Helper()
	return startServer(t, kind, Options{Env: overrides}, nil)
}

// Options are what StartServerWith takes besides the backend.
type Options struct {
	// Env overrides the environment.
	Env map[string]string
	// Clock, if not nil, is the clock of the server's domain and of its
	// worker's: the test moves the time, then calls the periodic jobs on
	// Service() or runs the due tasks (RunDue).
	Clock webhooks.Clock
	// ServerTracer and WorkerTracer, if not nil, trace the server and its
	// worker (app.WithTracerProvider): a test records their spans.
	ServerTracer, WorkerTracer trace.TracerProvider
}

// StartServerWith is StartServer with options.
func StartServerWith(t testing.TB, kind Kind, o Options) *Server {
	t.Helper()
	return startServer(t, kind, o, nil)
}

func startServer(t testing.TB, kind Kind, o Options, wrap func(dialect.Driver) dialect.Driver) *Server {
	t.Helper()
	env := Env(t, kind, o.Env)
	// A port picked for a new server may be taken before the server binds
	// it (another test process picked it too): such a server starts again
	// on another port. A restart keeps its address (o.Env names it).
	for try := 1; ; try++ {
		s, err := startServerOn(t, kind, env, o, wrap)
		if err == nil {
			return s
		}
		if _, given := o.Env["SCOOPA_HTTP_ADDR"]; given || try == 5 || !strings.Contains(err.Error(), "address already in use") {
			t.Fatalf("server did not start: %v", err)
		}
		addr := freeAddr(t)
		env["SCOOPA_HTTP_ADDR"], env["SCOOPA_PUBLIC_URL"] = addr, "http://"+addr
	}
}

// startServerOn starts a server on env; an error is the server's own.
func startServerOn(t testing.TB, kind Kind, env map[string]string, o Options, wrap func(dialect.Driver) dialect.Driver) (*Server, error) {
	t.Helper()
	cfg, err := app.LoadConfig("test-server", nil, Getenv(env), io.Discard)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	cfg.WrapDriver = wrap
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 2)
	level := slog.LevelWarn
	if env["SCOOPA_LOG_LEVEL"] == "debug" {
		level = slog.LevelDebug
	}
	logs := newTLog(t)
	log := logs.logger(level)
	s := &Server{Token: env["SCOOPA_ADMIN_TOKEN"], Env: env, Kind: kind, logs: logs}
	var opts []app.Option
	if o.Clock != nil {
		opts = append(opts, app.WithClock(o.Clock))
	}
	// Set before the server listens, so before addr is received.
	opened := app.WithOpened(func(svc *webhooks.Service, rdb redis.UniversalClient) { s.svc, s.rdb = svc, rdb })
	sockets := app.WithSockets(func(k *graph.Sockets) { s.socks = k })
	serverOpts, workerOpts := append(opts, opened, sockets), opts
	if o.ServerTracer != nil {
		serverOpts = append(serverOpts, app.WithTracerProvider(o.ServerTracer))
	}
	if o.WorkerTracer != nil {
		workerOpts = append(workerOpts, app.WithTracerProvider(o.WorkerTracer))
	}
	go func() {
		done <- app.Serve(ctx, cfg, log, io.Discard, func(a string) { addr <- a }, serverOpts...)
	}()
	workers := 0
	if kind == Postgres && env["TEST_NO_WORKER"] == "" {
		workers = 1
		go func() { done <- app.Work(ctx, cfg, log.With("process", "worker"), workerOpts...) }()
	}
	select {
	case a := <-addr:
		s.URL = "http://" + a
	case err := <-done:
		cancel()
		for range workers {
			<-done
		}
		return nil, err
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("server did not start within 60s")
	}
	s.stop = sync.OnceFunc(func() {
		cancel()
		for range 1 + workers {
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("server or worker stopped with: %v", err)
			}
		}
	})
	t.Cleanup(s.stop)
	return s, nil
}

// StartWorker runs a worker in this process beside a server started with
// TEST_NO_WORKER, on its environment and with clock (the system clock if
// nil), until the test ends.
func StartWorker(t testing.TB, s *Server, clock webhooks.Clock) {
	t.Helper()
	cfg, err := app.LoadConfig("test-worker", nil, Getenv(s.Env), io.Discard)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	var opts []app.Option
	if clock != nil {
		opts = append(opts, app.WithClock(clock))
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Work(ctx, cfg, s.logs.logger(slog.LevelWarn).With("process", "worker"), opts...) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("worker stopped with: %v", err)
		}
	})
}

// Response is a GraphQL response.
type Response struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// Code returns the code of the first error, or "".
func (r *Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// Do runs a GraphQL operation with the admin token.
func (s *Server) Do(t testing.TB, query string, vars map[string]any) *Response {
	t.Helper()
	return s.DoAs(t, s.Token, query, vars)
}

// DoAs runs a GraphQL operation with a token ("" for none).
func (s *Server) DoAs(t testing.TB, token, query string, vars map[string]any) *Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return s.send(t, req)
}

func (s *Server) send(t testing.TB, req *http.Request) *Response {
	t.Helper()
	out, err := s.trySend(req)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// trySend is send returning what went wrong on the way (no connection, a
// body that is not a GraphQL response) rather than failing the test.
func (s *Server) trySend(req *http.Request) (*Response, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("graphql request: %w", err)
	}
	defer resp.Body.Close()
	var out Response
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("graphql response %d: %w", resp.StatusCode, err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("graphql response %d %q: %w", resp.StatusCode, b, err)
	}
	out.Status = resp.StatusCode
	return &out, nil
}

// MustDo runs an operation that must succeed and decodes its data into out.
func (s *Server) MustDo(t testing.TB, query string, vars map[string]any, out any) {
	t.Helper()
	r := s.Do(t, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("%s: errors %+v", firstLine(query), r.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			t.Fatalf("decode %s: %v", r.Data, err)
		}
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i > 0 {
		return s[:i]
	}
	return s
}

// Upload sends uploadFile as a GraphQL multipart request.
func (s *Server) Upload(t testing.TB, folderID, name, contentType string, content []byte) *Response {
	t.Helper()
	return s.UploadAs(t, s.Token, folderID, name, contentType, content)
}

// UploadAs sends uploadFile with a token ("" for none).
func (s *Server) UploadAs(t testing.TB, token, folderID, name, contentType string, content []byte) *Response {
	t.Helper()
	return s.upload(t, token, folderID, name, contentType, content, "")
}

// UploadWith sends uploadFile asking for more fields of the file than Upload does.
func (s *Server) UploadWith(t testing.TB, folderID, name, contentType string, content []byte, fields string) *Response {
	t.Helper()
	return s.upload(t, s.Token, folderID, name, contentType, content, fields)
}

// TryUpload is Upload for a client that expects trouble (a server that
// dies under it): a request that got no GraphQL answer is an error rather
// than the end of the test.
func (s *Server) TryUpload(folderID, name, contentType string, content []byte) (*Response, error) {
	return s.trySend(s.uploadRequest(s.Token, folderID, name, contentType, content, ""))
}

func (s *Server) upload(t testing.TB, token, folderID, name, contentType string, content []byte, fields string) *Response {
	t.Helper()
	return s.send(t, s.uploadRequest(token, folderID, name, contentType, content, fields))
}

func (s *Server) uploadRequest(token, folderID, name, contentType string, content []byte, fields string) *http.Request {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f: ID!, $file: Upload!) { uploadFile(folderID: $f, file: $file) { id name contentType sizeBytes sha256 downloadURL folder { id name } ` + fields + ` } }`,
		"variables": map[string]any{"f": folderID, "file": nil},
	})
	_ = mw.WriteField("operations", string(ops))
	_ = mw.WriteField("map", `{"0": ["variables.file"]}`)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name="0"; filename=%q`, name)}
	h["Content-Type"] = []string{contentType}
	part, _ := mw.CreatePart(h)
	_, _ = part.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}
