// Package webhooks is the domain that the server and the worker binaries
// share: what happens when a file arrives (dispatch.go: its calls, in the
// file's transaction), what one delivery attempt does and what follows
// from it (Deliveries: deliver.go, ordered delivery, admission under the
// webhook's limits, health), calls sent again, the sweeper and retention
// (Recovery), validation calls (Validations), and the tasks it enqueues for
// the worker. The Service wires the packages it is built from and hands
// them out: Settings (internal/settings), Files (internal/files), Tokens
// (internal/auth), Stats (internal/stats), Calls (internal/calllog),
// Operator (internal/operator), Keys (internal/secrets). Its state changes
// are written by a store (internal/store): PostgreSQL's statements
// (pgstore) or ent's builders (entstore), chosen once in New (store.go),
// held to one contract suite. Blobs are kept by internal/storage and call
// events carried by internal/events; the worker package runs the tasks.
package webhooks

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/audit"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/calllog"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/groupcommit"
	"github.com/scoopa/webhooks/internal/limits"
	"github.com/scoopa/webhooks/internal/operator"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/secrets"
	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/settings"
	"github.com/scoopa/webhooks/internal/stats"
	"github.com/scoopa/webhooks/internal/storage"
	"github.com/scoopa/webhooks/internal/store"
	"go.opentelemetry.io/otel/trace"
)

// Enqueuer puts tasks on the queue; *asynq.Client is one.
type Enqueuer interface {
	EnqueueContext(ctx context.Context, task *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
}

// Publisher announces state changes of calls to every server instance.
type Publisher interface {
	Publish(ctx context.Context, call *ent.WebhookCall) error
}

// batchPublisher is a Publisher that announces several calls at once.
type batchPublisher interface {
	PublishAll(ctx context.Context, calls ...*ent.WebhookCall) error
}

// watchedPublisher is a Publisher that knows whether anybody listens: when
// nobody does, publish skips the announcement altogether.
type watchedPublisher interface {
	Watched(ctx context.Context) bool
}

// DefaultConcurrency is how many tasks a worker runs at once, and the size
// of its HTTP connection pool, unless told otherwise.
const DefaultConcurrency = 50

// Service is the domain: every operation on webhooks, files and calls.
type Service struct {
	db    *ent.Client
	blobs storage.Store
	// files moves the bytes of files in and out (internal/files).
	files     *files.Service
	queue     Enqueuer
	events    Publisher
	sender    *sender.Sender
	links     *files.LinkSigner
	cfg       Config
	log       *slog.Logger
	clock     Clock
	metrics   *Metrics
	hooks     hookCache
	keys      *secrets.Keyring
	limiter   *limits.Limiter
	apiTokens *auth.Tokens
	sessions  *auth.Sessions
	portals   *auth.PortalLinks
	stats     *stats.Reader
	callLog   *calllog.Reader
	settings  *settings.Service
	operator  *operator.Notifier
	// tracing is how the service traces; tracer is nil when it does not.
	tracing Tracing
	tracer  trace.Tracer
	// store writes the state changes of the hot path (internal/store).
	store store.Store
	// announce publishes the events of the moment together, in one round
	// trip, when the publisher can (announceTogether).
	announce *groupcommit.Group[[]*ent.WebhookCall, struct{}]
	// folders are the folders uploads went to (dispatch.go).
	folders folderCache
	// maxRecover, if not zero, replaces MaxRecoverCalls (tests).
	maxRecover int
	// maxNotFetched, if not zero, replaces notFetchedBatch (tests).
	maxNotFetched int
	// The parts of the domain, each a view of the Service with the
	// operations of one concern.
	deliveries  *Deliveries
	recovery    *Recovery
	validations *Validations
	// sends bounds the requests of file tasks (fanout.go) in flight in this
	// process, to the size of the sender's connection pool.
	sends chan struct{}
}

// Deps are what a Service is built from.
type Deps struct {
	DB *ent.Client
	// SQL, if not nil, is DB's own connection pool: on PostgreSQL the
	// statements of the hot path are then prepared on it
	// (internal/store/pgstore).
	SQL   *sql.DB
	Blobs storage.Store
	// TempDir is where uploads spill to disk (the data dir's tmp/):
	// CleanUploads removes what a process that died left there. If empty,
	// the temp area of Blobs when it is a *storage.Local.
	TempDir string
	Queue   Enqueuer
	Events  Publisher
	Log     *slog.Logger
	// Concurrency sizes the HTTP connection pool. If zero, DefaultConcurrency.
	Concurrency int
	// Dialect is the database's ent dialect ("postgres" or "sqlite3").
	Dialect string
	// Metrics, if not nil, counts calls and attempts.
	Metrics *Metrics
	// Clock is where the domain reads the time: due times, deadlines,
	// retention, timestamps of rows, expiry of links and tokens. If nil, the
	// system clock. Tests give one they set and advance.
	Clock Clock
	// Redis, if not nil, holds the delivery limits of webhooks (internal/limits)
	// shared by every worker. If nil, the limits are not enforced.
	Redis redis.UniversalClient
	// Tracing, if its Provider is not nil, traces uploads, enqueues,
	// attempts and the calls to receivers (tracing.go). Off by default.
	Tracing Tracing
}

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// systemClock is the real time.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// New returns a Service. cfg is completed with its defaults and validated.
func New(cfg Config, d Deps) (*Service, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	keys, err := secrets.NewKeyring(cfg.SecretKey, cfg.EncryptionKeys)
	if err != nil {
		return nil, err
	}
	if d.Concurrency <= 0 {
		d.Concurrency = DefaultConcurrency
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Clock == nil {
		d.Clock = systemClock{}
	}
	s := &Service{
		db:      d.DB,
		blobs:   d.Blobs,
		queue:   d.Queue,
		events:  d.Events,
		links:   files.NewLinkSigner(cfg.SecretKey, cfg.PublicURL),
		cfg:     cfg,
		log:     d.Log,
		metrics: d.Metrics,
		keys:    keys,
		clock:   d.Clock,
		sends:   make(chan struct{}, d.Concurrency),
	}
	if d.Redis != nil {
		s.limiter = limits.NewLimiter(d.Redis, cfg.Queue)
	}
	s.files = files.New(files.Config{
		DirectUploads: cfg.DirectUploads, MaxDirectUploadBytes: cfg.MaxDirectUploadBytes,
		UploadPartSize: cfg.UploadPartSize, PartURLValidity: cfg.PartURLValidity, UploadExpiry: cfg.UploadExpiry,
		RedirectDownloads: cfg.RedirectDownloads, Retention: cfg.CallRetention,
	}, files.Deps{DB: d.DB, Blobs: d.Blobs, TempDir: d.TempDir, Links: s.links, Log: d.Log, Now: s.Now,
		Folder: s.folder, Arrive: s.fileArrived})
	s.apiTokens = auth.NewTokens(d.DB, s.Now, d.Log)
	s.sessions = auth.NewSessions(d.DB, s.Now, d.Log, cfg.Sessions)
	s.portals = auth.NewPortalLinks(s.apiTokens, s.sessions, auth.PortalConfig{PublicURL: cfg.PublicURL, Title: cfg.PortalTitle})
	s.stats = stats.NewReader(d.DB, s.Now)
	s.callLog = calllog.NewReader(d.DB)
	s.tracing = d.Tracing.withDefaults()
	s.tracer = s.tracing.tracer()
	s.sender = sender.New(sender.Options{
		UserAgent:      fmt.Sprintf("scoopa-webhooks/%s (+https://github.com/scoopa/webhooks)", cfg.Version),
		MaxIdlePerHost: d.Concurrency, AllowPrivate: cfg.AllowPrivateTargets,
		Redis: d.Redis, Queue: cfg.Queue, Keys: keys, Log: d.Log,
		Tracer: s.tracer, Propagator: s.tracing.Propagator,
	})
	s.hooks.open = s.keys.Opened
	s.store = newStore(d, storeRules{s})
	s.deliveries, s.recovery, s.validations = &Deliveries{s}, &Recovery{s}, &Validations{s}
	s.operator = operator.New(cfg.Operator, operator.Deps{DB: d.DB, Sender: s.sender, Enqueue: s.enqueue, Log: d.Log, Now: s.Now,
		Platform: string(cfg.Platform), Timeout: cfg.DeliveryTimeout, Counted: s.metrics.operatorEvent})
	s.settings = settings.New(settings.Config{MaxWebhooks: cfg.MaxWebhooks, MaxHeaders: cfg.MaxHeaders, SecretGracePeriod: cfg.SecretGracePeriod},
		settings.Deps{DB: d.DB, Store: s.store, Keys: keys, Log: d.Log, Now: s.Now, Domain: settingsDomain{s}})
	if b, ok := d.Events.(batchPublisher); ok {
		s.announce = groupcommit.New(announceBatch, announceTogether(b))
	}
	return s, nil
}

// WarmUp prepares what the first delivery after a start would otherwise
// wait for (on PostgreSQL, the claim's plan). Nothing is written.
func (s *Service) WarmUp(ctx context.Context) error {
	if s.store == nil {
		return nil
	}
	return s.store.WarmUp(ctx)
}

// Tokens are the API tokens.
func (s *Service) Tokens() *auth.Tokens { return s.apiTokens }

// Sessions are the console's sessions.
func (s *Service) Sessions() *auth.Sessions { return s.sessions }

// PortalLinks mint the links that open a partner's console session.
func (s *Service) PortalLinks() *auth.PortalLinks { return s.portals }

// Deliveries are the attempts of calls: the claim, the request, its outcome
// and what follows from it (deliver.go).
type Deliveries struct{ *Service }

// Recovery sends calls again: a retry, a recovery of failed calls, a file
// sent again, a test file; and the sweeper and retention (recover.go,
// sweeper.go).
type Recovery struct{ *Service }

// Validations are the validation calls of webhooks and their periodic
// revalidation (validation.go).
type Validations struct{ *Service }

// Deliveries are the attempts of calls.
func (s *Service) Deliveries() *Deliveries { return s.deliveries }

// Recovery sends calls again and sweeps.
func (s *Service) Recovery() *Recovery { return s.recovery }

// Validations validate webhooks' URLs.
func (s *Service) Validations() *Validations { return s.validations }

// Operator raises and sends the operator webhook's system events.
func (s *Service) Operator() *operator.Notifier { return s.operator }

// Settings changes the settings of webhooks and folders.
func (s *Service) Settings() *settings.Service { return s.settings }

// Files moves the bytes of files in and out: uploads, downloads, links.
func (s *Service) Files() *files.Service { return s.files }

// Calls reads the call log: exports and the webhook list's per-page loads.
func (s *Service) Calls() *calllog.Reader { return s.callLog }

// Stats reads the delivery health of webhooks.
func (s *Service) Stats() *stats.Reader { return s.stats }

// Keys is the keyring that seals and opens stored secrets.
func (s *Service) Keys() *secrets.Keyring { return s.keys }

// Now is the time on the service's clock, in UTC, to the microsecond: what
// PostgreSQL keeps, so a time read back compares equal.
func (s *Service) Now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) now() time.Time { return s.Now() }

// withTx runs fn in a transaction, committing when it returns nil. ent's
// errors come back as the domain's (problem.StoreError).
func withTx(ctx context.Context, db *ent.Client, fn func(tx *ent.Tx) error) error {
	return problem.StoreError(store.WithTx(ctx, db, fn))
}

// announceBatch is the most publishes whose events go in one round trip.
const announceBatch = 64

// announceTogether is the announce group's write: the events of several
// publishes in one pipeline, in the order they were published.
func announceTogether(b batchPublisher) func(ctx context.Context, batch [][]*ent.WebhookCall) []groupcommit.Result[struct{}] {
	return func(ctx context.Context, batch [][]*ent.WebhookCall) []groupcommit.Result[struct{}] {
		var all []*ent.WebhookCall
		for _, calls := range batch {
			all = append(all, calls...)
		}
		err := b.PublishAll(ctx, all...)
		res := make([]groupcommit.Result[struct{}], len(batch))
		for i := range res {
			res[i].Err = err
		}
		return res
	}
}

// publish announces the new state of calls; a failure only costs live
// updates (clients refetch), so it is logged, not returned.
func (s *Service) publish(ctx context.Context, calls ...*ent.WebhookCall) {
	if s.events == nil {
		return
	}
	if len(calls) == 0 {
		return
	}
	if w, ok := s.events.(watchedPublisher); ok && !w.Watched(ctx) {
		return
	}
	if s.announce != nil {
		if _, err := s.announce.Do(ctx, calls); err != nil {
			s.log.WarnContext(ctx, "call events not published", "calls", len(calls), "err", err)
		}
		return
	}
	for _, c := range calls {
		if err := s.events.Publish(ctx, c); err != nil {
			s.log.WarnContext(ctx, "call event not published", "call_id", c.ID, "err", err)
		}
	}
}

// AuditLog returns a page of the audit log, newest first (audit.List).
func (s *Service) AuditLog(ctx context.Context, f audit.Filter, first, after, last, before *int) (*audit.Page, error) {
	return audit.List(ctx, s.db, f, first, after, last, before)
}

// RecordFetch counts a download through a delivery call's link against the
// call (files.Service.RecordFetch) and announces the call, so the live call
// log shows it.
func (s *Service) RecordFetch(ctx context.Context, f files.Fetch) error {
	call, err := s.files.RecordFetch(ctx, f)
	if err != nil || call == nil {
		return err
	}
	s.publish(ctx, call)
	return nil
}
