package app

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"net/http/pprof"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent/apitoken"
	"github.com/scoopa/webhooks/graph"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/events"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/guard"
	"github.com/scoopa/webhooks/internal/operator"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/secrets"
	"github.com/scoopa/webhooks/internal/storage"
	"github.com/scoopa/webhooks/internal/wake"
	"github.com/scoopa/webhooks/internal/webhooks"
	"github.com/scoopa/webhooks/worker"
	"go.opentelemetry.io/otel/trace"
	"golang.org/x/sync/errgroup"
)

// Version is the version of the binaries, set at build time.
var Version = "dev"

// Option changes how Serve and Work build what they run. Tests use them;
// the binaries give none.
type Option func(*options)

type options struct {
	listening func(addr string)
	clock     webhooks.Clock
	opened    func(*webhooks.Service, redis.UniversalClient)
	sockets   func(*graph.Sockets)
	tracer    trace.TracerProvider
}

// WithTracerProvider makes the process trace with tp (W3C Trace Context
// propagation), whatever the OTEL_* variables say, and export nothing
// itself: a test records the spans.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(o *options) { o.tracer = tp }
}

// WithClock makes the domain read the time from c instead of the system
// clock, so that a test can move it.
func WithClock(c webhooks.Clock) Option { return func(o *options) { o.clock = c } }

// WithOpened calls f with the domain and the Redis client once they are
// open, so that a test can drive them (run the sweeper, the revalidation
// scan, due tasks) instead of waiting for the scheduler.
func WithOpened(f func(*webhooks.Service, redis.UniversalClient)) Option {
	return func(o *options) { o.opened = f }
}

// WithSockets calls f with the registry of the server's websockets before
// the server listens, so that a test can see why it closed them.
func WithSockets(f func(*graph.Sockets)) Option {
	return func(o *options) { o.sockets = f }
}

// WithListening calls f with the server's address as soon as its port is
// open: before the backends are reached, when it answers 503 to all but
// /healthz.
func WithListening(f func(addr string)) Option {
	return func(o *options) { o.listening = f }
}

func collect(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// newService builds the domain on the backends.
func newService(ctx context.Context, cfg Config, b *Backends, log *slog.Logger, reg prometheus.Registerer, clock webhooks.Clock, tracing webhooks.Tracing) (*webhooks.Service, *asynq.Client, error) {
	key, err := SecretKey(cfg)
	if err != nil {
		return nil, nil, err
	}
	if cfg.EncryptionKeys, err = EncryptionKeys(cfg); err != nil {
		return nil, nil, err
	}
	// Uploads spill to the data dir's tmp/ whatever the store.
	tempDir := filepath.Join(cfg.DataDir, "tmp")
	if err := os.MkdirAll(tempDir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("SCOOPA_DATA_DIR: %w", err)
	}
	blobs, err := storage.OpenWith(ctx, cfg.StorageURL, cfg.DataDir, cfg.StorageCredentials)
	if err != nil {
		if cfg.StorageURL != "" {
			return nil, nil, fmt.Errorf("SCOOPA_STORAGE_URL: %w", err)
		}
		return nil, nil, err
	}
	b.Blobs = blobs
	// Part URLs of direct uploads on the local store are this server's.
	if local, ok := blobs.(*storage.Local); ok {
		local.SignParts(cfg.PublicURL, key)
	}
	queue := asynq.NewClientFromRedisClient(b.Redis)
	// The hot path's statements are prepared on the pool, unless
	// SCOOPA_DB_PREPARE says not to, or a test counts statements through a
	// wrapped driver (they would bypass it).
	var prepareOn *sql.DB
	if cfg.WrapDriver == nil && cfg.DBPrepare {
		prepareOn = b.Hot
	}
	svc, err := webhooks.New(cfg.Domain(key, Version), webhooks.Deps{
		DB: b.DB, SQL: prepareOn, Blobs: blobs, TempDir: tempDir, Queue: wakeQueue(queue, b.Redis), Events: events.NewRedisEvents(b.Redis, cfg.Queue),
		Log: log, Concurrency: cfg.WorkerConcurrency, Dialect: b.Dialect, Metrics: webhooks.NewMetrics(reg),
		Clock: clock, Redis: b.Redis, Tracing: tracing,
	})
	if err != nil {
		return nil, nil, err
	}
	return svc, queue, nil
}

// wakeQueue sends the tasks to run now through the wake lane (package
// wake), so an idle worker starts them at once instead of at its next poll.
// Operator events stay on Asynq alone: their handler reads Asynq's retry
// count.
func wakeQueue(client *asynq.Client, rdb redis.UniversalClient) *wake.Queue {
	return wake.NewQueue(client, rdb, operator.TypeNotify)
}

// system is what both binaries run on: the backends and the domain.
type system struct {
	*Backends
	svc     *webhooks.Service
	queue   *asynq.Client
	reg     *prometheus.Registry
	tracing *tracingSetup
}

// open opens the backends (migrating the schema) and builds the domain.
// statementTimeout bounds each PostgreSQL statement (the server's API);
// zero leaves them unbounded (the worker's maintenance jobs). service, if
// not empty, names the process in its traces, which are then on when the
// configuration says so.
//
// With st (the server, the worker), it waits for PostgreSQL and Redis for
// as long as it takes, telling st how they are; without (the commands),
// for a minute.
func open(ctx context.Context, cfg Config, log *slog.Logger, statementTimeout time.Duration, service string, o options, st *startup) (*system, error) {
	tracing := &tracingSetup{shutdown: func(context.Context) error { return nil }}
	if service != "" {
		var err error
		if tracing, err = openTracing(ctx, cfg, service, log, o); err != nil {
			return nil, err
		}
	}
	b, err := openBackends(ctx, cfg, log, statementTimeout, st)
	if err != nil {
		_ = tracing.shutdown(ctx)
		if ctx.Err() != nil {
			return nil, ctx.Err() // stopped while starting
		}
		return nil, err
	}
	reg := newRegistry()
	svc, queue, err := newService(ctx, cfg, b, log, reg, o.clock, tracing.Tracing)
	if cfg.StorageURL != "" && (err == nil || problem.IsUnavailable(err, problem.ObjectStore)) {
		st.set(problem.ObjectStore, err)
	}
	if err != nil {
		_ = tracing.shutdown(ctx)
		b.Close()
		return nil, err
	}
	if err := svc.WarmUp(ctx); err != nil {
		log.Warn("preparing the claim at start failed; it is prepared at the first delivery", "err", err)
	}
	// Rows stored in plain by an older version are sealed now; once they
	// are, this reads the rows and writes nothing.
	if n, err := secrets.Reencrypt(ctx, b.DB, svc.Keys(), false); err != nil {
		_ = tracing.shutdown(ctx)
		b.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err() // stopped while starting
		}
		return nil, err
	} else if n > 0 {
		log.Info("stored secrets encrypted", "values", n)
	}
	if len(cfg.EncryptionKeys) == 0 && !b.Embedded {
		log.Warn("SCOOPA_ENCRYPTION_KEYS is not set: stored secrets are encrypted with a key derived from SCOOPA_SECRET_KEY, which then cannot change; see docs/SECURITY.md")
	}
	if o.opened != nil {
		o.opened(svc, b.Redis)
	}
	return &system{Backends: b, svc: svc, queue: queue, reg: reg, tracing: tracing}, nil
}

// openWaiting is open for the server and the worker: it waits for the
// backends for as long as it takes, and starts again (with a growing
// back-off, up to startBackoffMax) when a dependency became unavailable
// while it opened (a migration cut off, the object store unreachable).
// Other errors, of the configuration, are returned: the process exits.
func openWaiting(ctx context.Context, cfg Config, log *slog.Logger, statementTimeout time.Duration, service string, o options, st *startup) (*system, error) {
	delay := startBackoffMin
	for {
		sys, err := open(ctx, cfg, log, statementTimeout, service, o, st)
		if err == nil || ctx.Err() != nil {
			return sys, err
		}
		u, ok := problem.AsUnavailable(err)
		if !ok {
			return nil, err
		}
		st.set(u.Dependency, err)
		log.Warn("dependency unavailable while starting; retrying", "dependency", u.Dependency, "err", err, "retry_in", delay.String())
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, startBackoffMax)
	}
}

// Close flushes the spans not yet exported, then closes the backends.
func (s *system) Close() error {
	return errors.Join(s.tracing.shutdown(context.Background()), s.queue.Close(), s.Backends.Close())
}

// Serve runs the HTTP server until ctx ends, then drains it. In embedded
// mode the worker runs in the same process. The start-up banner, shown when
// the admin token was generated, goes to stdout (nil: nowhere). ready, if
// not nil, receives the listening address once requests are served.
func Serve(ctx context.Context, cfg Config, log *slog.Logger, stdout io.Writer, ready func(addr string), opts ...Option) error {
	if stdout == nil {
		stdout = io.Discard
	}
	// Listen first: a port in use fails before anything opens, and a public
	// URL derived from the listen address names the port really given (port
	// 0 asks for any free one) in the banner and in every download link.
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("SCOOPA_HTTP_ADDR %q: %w", cfg.HTTPAddr, err)
	}
	defer ln.Close()
	cfg = cfg.listening(ln.Addr())
	o := collect(opts)
	// The port answers at once: 503 naming the dependency awaited, until
	// the backends are reached (for as long as it takes) and the schema
	// migrated; then the routes take over.
	st := newStartup(cfg)
	handler := &swapHandler{}
	handler.set(startingHandler(st))
	srv := &http.Server{
		Handler:           guard.TrustProxies(cfg.TrustedProxies, guard.ReadDeadline(cfg.ReadTimeout, handler)),
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if o.listening != nil {
		o.listening(ln.Addr().String())
	}
	sys, err := openWaiting(ctx, cfg, log, cfg.StatementTimeout, "scoopa-server", o, st)
	if err != nil {
		_ = srv.Close()
		<-served
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return err
	}
	defer sys.Close()
	b, svc, reg := sys.Backends, sys.svc, sys.reg
	generatedToken := false
	if cfg.AdminToken == "" && b.Embedded {
		if cfg.AdminToken, err = embeddedAdminToken(cfg); err != nil {
			return err
		}
		generatedToken = true
	}
	if cfg.AllowPrivateTargets {
		log.Warn("webhooks may call loopback and private addresses (SCOOPA_ALLOW_PRIVATE_TARGETS=true)")
	}
	if len(cfg.FrameAncestors) > 0 && !strings.HasPrefix(cfg.PublicURL, "https://") {
		log.Warn("the console may be framed (SCOOPA_FRAME_ANCESTORS), but its session cookie stays SameSite=Strict: browsers send it in a frame on another site only when SCOOPA_PUBLIC_URL is https")
	}
	broker := events.NewBroker(b.Redis, cfg.Queue, log)
	reg.MustRegister(newStateCollector(asynq.NewInspectorFromRedisClient(b.Redis), cfg.Queue, b.DB, broker, log))
	sockets := graph.NewSockets()
	if o.sockets != nil {
		o.sockets(sockets)
	}
	api := routes(cfg, b, svc, broker, sockets, log, reg)
	g, gctx := errgroup.WithContext(ctx)
	// Subscriptions outlive the drain below: their events keep flowing
	// until the websockets are closed, last.
	live, stopLive := context.WithCancel(context.WithoutCancel(ctx))
	defer stopLive()
	brokerReady := make(chan struct{})
	g.Go(func() error { return broker.Run(live, brokerReady) })
	workerStopped := make(chan struct{})
	if b.Embedded {
		g.Go(func() error {
			defer close(workerStopped)
			return worker.Run(gctx, svc, b.Redis, workerOptionsOn(cfg, b))
		})
	} else {
		close(workerStopped)
	}
	g.Go(func() error { cleanUploads(gctx, svc, log); return nil })
	g.Go(func() error {
		select {
		case <-brokerReady:
		case <-gctx.Done():
			return nil
		}
		log.Info("server listening", "addr", ln.Addr().String(), "url", cfg.PublicURL, "embedded", b.Embedded)
		if generatedToken {
			// A banner for the person who ran `make run`, not a log line.
			fmt.Fprintf(stdout, "\n  scoopa webhooks is running at %s\n  Sign in with the admin token kept in %s:\n\n    %s\n\n",
				cfg.PublicURL, filepath.Join(cfg.DataDir, "admin.token"), cfg.AdminToken)
		}
		handler.set(api)
		if ready != nil {
			ready(ln.Addr().String())
		}
		return nil
	})
	g.Go(func() error {
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		// Requests in flight may take as long as a validation call.
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ValidationTimeout+5*time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		<-workerStopped
		// Last, the websockets, with 1012 (service restart): clients
		// reconnect after a back-off of a second or more, and a restarted
		// server is back by then.
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer ccancel()
		if cerr := sockets.Close(cctx); cerr != nil {
			log.Warn("websockets not closed in time", "err", cerr)
		}
		stopLive()
		return err
	})
	return g.Wait()
}

// cleanUploads removes what cut-off uploads left in this server's temp
// area and in the blob store (a bucket is shared: every server sweeps it,
// and deleting what another already deleted is harmless), and aborts the
// direct uploads past their expiry, at start and then
// every hour, until ctx ends.
func cleanUploads(ctx context.Context, svc *webhooks.Service, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if _, _, err := svc.Files().CleanUploads(ctx, time.Now(), files.UploadLeftoverAge); err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, "upload leftovers not cleaned", "err", err)
		}
		if _, err := svc.Files().ExpireUploads(ctx); err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, "expired uploads not aborted", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// workerOptionsOn is workerOptions for a worker on b, whose Redis client
// it cuts off if Redis holds up its stop.
func workerOptionsOn(cfg Config, b *Backends) worker.RunOptions {
	o := workerOptions(cfg)
	o.CutOff = b.redisCut.Cut
	return o
}

func workerOptions(cfg Config) worker.RunOptions {
	return worker.RunOptions{
		Concurrency:       cfg.WorkerConcurrency,
		Periods:           worker.Periods{Sweep: cfg.SweepInterval, Prune: cfg.PruneInterval},
		TaskCheckInterval: cfg.TaskCheckInterval,
	}
}

// Work runs the worker until ctx ends, then lets running calls finish.
func Work(ctx context.Context, cfg Config, log *slog.Logger, opts ...Option) error {
	if cfg.Embedded() {
		return errors.New("the worker needs SCOOPA_DATABASE_URL and SCOOPA_REDIS_URL; in embedded mode it runs inside the server")
	}
	sys, err := openWaiting(ctx, cfg, log, 0, "scoopa-worker", collect(opts), &startup{checks: map[string]string{}})
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return err
	}
	defer sys.Close()
	b, svc, reg := sys.Backends, sys.svc, sys.reg
	reg.MustRegister(newStateCollector(asynq.NewInspectorFromRedisClient(b.Redis), cfg.Queue, b.DB, nil, log))
	g, gctx := errgroup.WithContext(ctx)
	if cfg.MetricsAddr != "" {
		ln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("SCOOPA_METRICS_ADDR %q: %w", cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metricsHandler(reg))
		mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
		if cfg.Pprof {
			mux.HandleFunc("/debug/pprof/", pprof.Index)
			mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		}
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		log.Info("worker metrics listening", "addr", ln.Addr().String())
		g.Go(func() error {
			if err := msrv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		})
		g.Go(func() error { <-gctx.Done(); return msrv.Close() })
	}
	g.Go(func() error { return worker.Run(gctx, svc, b.Redis, workerOptionsOn(cfg, b)) })
	return g.Wait()
}

// embeddedAdminToken returns the admin token kept in the data dir, making
// one on first start, so `make run` needs no set-up.
func embeddedAdminToken(cfg Config) (string, error) {
	path := filepath.Join(cfg.DataDir, "admin.token")
	if b, err := os.ReadFile(path); err == nil {
		if t := strings.TrimSpace(string(b)); len(t) >= 32 {
			return t, nil
		}
	}
	raw := make([]byte, 24)
	_, _ = rand.Read(raw)
	t := "admin-" + base64.RawURLEncoding.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(t+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("keep admin token: %w", err)
	}
	return t, nil
}

// RotateKey seals every stored secret again with the newest key of
// SCOOPA_ENCRYPTION_KEYS (`scoopa-server rotate-key`), after which older
// keys can be removed. It returns how many values it rewrote and the
// version of the key that seals them.
func RotateKey(ctx context.Context, cfg Config, log *slog.Logger) (int, int, error) {
	sys, err := open(ctx, cfg, log, 0, "", options{}, nil)
	if err != nil {
		return 0, 0, err
	}
	defer sys.Close()
	n, err := secrets.Reencrypt(ctx, sys.DB, sys.svc.Keys(), true)
	return n, sys.svc.Keys().Current(), err
}

// MintToken creates an API token from the command line, for production
// set-ups without SCOOPA_ADMIN_TOKEN, and returns its secret.
func MintToken(ctx context.Context, cfg Config, log *slog.Logger, name, role string) (string, error) {
	sys, err := open(ctx, cfg, log, 0, "", options{}, nil)
	if err != nil {
		return "", err
	}
	defer sys.Close()
	_, secret, err := sys.svc.Tokens().Create(ctx, auth.CreateAPITokenInput{Name: name, Role: apitoken.Role(strings.ToUpper(role))})
	return secret, err
}
