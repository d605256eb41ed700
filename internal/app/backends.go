package app

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/scoopa/webhooks/internal/auth"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/alicebob/miniredis/v2"
	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/migrate"
	"github.com/scoopa/webhooks/ent/migrate/migrations"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/secrets"
	"github.com/scoopa/webhooks/internal/storage"
	_ "modernc.org/sqlite" // SQLite driver (pure Go), registered as "sqlite"
)

// Backends are the database and Redis the binaries work with.
type Backends struct {
	DB  *ent.Client
	SQL *sql.DB
	// Hot is the pool of the hot path's prepared statements (see
	// hotPoolSize), nil when they are not prepared; on SQLite it is SQL.
	Hot   *sql.DB
	Redis redis.UniversalClient
	// Blobs is the blob store, once the domain is built on the backends.
	Blobs    storage.Store
	Embedded bool
	Dialect  string
	closers  []func() error
	// redisCut cuts Redis off a worker whose stop it holds up.
	redisCut *redisCutoff
}

// Close releases the backends, newest first.
func (b *Backends) Close() error {
	var errs []error
	for i := len(b.closers) - 1; i >= 0; i-- {
		errs = append(errs, b.closers[i]())
	}
	return errors.Join(errs...)
}

// OpenBackends opens PostgreSQL and Redis, or in embedded mode a SQLite file
// in the data dir and an in-process Redis, and migrates the schema.
func OpenBackends(ctx context.Context, cfg Config, log *slog.Logger) (*Backends, error) {
	return openBackends(ctx, cfg, log, 0, nil)
}

// openBackends is OpenBackends whose PostgreSQL statements, if
// statementTimeout is not zero, are cancelled after it (the migration,
// made beforehand on a connection of its own, is not). With st, it waits
// for PostgreSQL and Redis for as long as it takes (until ctx ends),
// telling st how each is; without, for a minute.
func openBackends(ctx context.Context, cfg Config, log *slog.Logger, statementTimeout time.Duration, st *startup) (_ *Backends, err error) {
	b := &Backends{Embedded: cfg.Embedded(), Dialect: dialect.Postgres}
	if b.Embedded {
		b.Dialect = dialect.SQLite
	}
	defer func() {
		if err != nil {
			b.Close()
		}
	}()
	if b.Embedded {
		log.Warn("EMBEDDED MODE: SQLite and an in-process Redis, for evaluation and development only; " +
			"queued tasks live in memory (the sweeper re-enqueues them after a restart). " +
			"Set SCOOPA_DATABASE_URL and SCOOPA_REDIS_URL for production.")
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("SCOOPA_DATA_DIR %q: %w", cfg.DataDir, err)
		}
		unlock, err := lockDataDir(cfg.DataDir) // one server per data dir
		if err != nil {
			return nil, err
		}
		b.closers = append(b.closers, unlock)
		if b.SQL, b.DB, err = OpenSQLite(filepath.Join(cfg.DataDir, "scoopa.db")); err != nil {
			return nil, err
		}
		b.closers = append(b.closers, b.DB.Close)
		b.Hot = b.SQL
		mr, stop, err := StartMiniredis()
		if err != nil {
			return nil, err
		}
		b.closers = append(b.closers, func() error { stop(); return nil })
		b.Redis = redis.NewClient(&redis.Options{Addr: mr.Addr()})
	} else {
		dsn := withStatementTimeout(cfg.DatabaseURL, statementTimeout)
		conns, hot := cfg.DBMaxConns, 0
		if cfg.DBPrepare && cfg.WrapDriver == nil {
			hot = hotPoolSize(conns)
			conns -= hot
		}
		if b.SQL, b.DB, err = openPostgres(dsn, conns); err != nil {
			return nil, err
		}
		b.closers = append(b.closers, b.DB.Close)
		if hot > 0 {
			if b.Hot, err = openPool(withParam(dsn, "plan_cache_mode", "force_generic_plan"), hot); err != nil {
				return nil, err
			}
			b.closers = append(b.closers, b.Hot.Close)
		}
		if b.Redis, err = OpenRedis(cfg.RedisURL); err != nil {
			return nil, fmt.Errorf("SCOOPA_REDIS_URL: %w", err)
		}
		b.Redis.AddHook(outageHook{})
	}
	b.closers = append(b.closers, b.Redis.Close)
	b.redisCut = newRedisCutoff()
	b.Redis.AddHook(b.redisCut)
	if cfg.WrapDriver != nil {
		b.DB = ent.NewClient(ent.Driver(cfg.WrapDriver(entsql.OpenDB(b.Dialect, b.SQL))))
	}
	// A partner's reads see only its webhooks and what hangs off them,
	// whichever resolver or export makes them.
	b.DB.Intercept(auth.Scope())
	if err := waitFor(ctx, log, st, []backendCheck{
		{problem.Database, b.SQL.PingContext},
		{problem.Redis, func(ctx context.Context) error { return b.Redis.Ping(ctx).Err() }},
	}); err != nil {
		return nil, err
	}
	if b.Hot != nil && b.Hot != b.SQL {
		// A connection open before the first upload, which would
		// otherwise wait for it.
		if err := b.Hot.PingContext(ctx); err != nil {
			return nil, fmt.Errorf("database: %w", err)
		}
	}
	if statementTimeout > 0 && !b.Embedded {
		// Migrations may take longer than a request's statements.
		db, client, err := openPostgres(cfg.DatabaseURL, 1)
		if err != nil {
			return nil, err
		}
		defer client.Close()
		return b, Migrate(ctx, db, client, false)
	}
	if err := Migrate(ctx, b.SQL, b.DB, b.Embedded); err != nil {
		return nil, err
	}
	return b, nil
}

// withStatementTimeout adds PostgreSQL's statement_timeout, in
// milliseconds, to a postgres:// URL as a run-time parameter of each
// connection; zero leaves the URL as it is.
func withStatementTimeout(dsn string, d time.Duration) string {
	if d <= 0 {
		return dsn
	}
	return withParam(dsn, "statement_timeout", strconv.FormatInt(d.Milliseconds(), 10))
}

// withParam sets a run-time parameter of each connection in a postgres://
// URL (lib/pq sends the parameters it does not know to the server).
func withParam(dsn, name, value string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // OpenPostgres reports it
	}
	q := u.Query()
	q.Set(name, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// hotPoolSize is how many of a process's PostgreSQL connections (maxConns
// in all) are kept for the hot path's prepared statements: a file's row and
// calls, a claim, an attempt's record, each written by one leader at a
// time for all the callers waiting (group commit), so a few connections
// serve them all.
//
// Those connections run prepared statements with a generic plan, planned
// once per connection (plan_cache_mode=force_generic_plan). PostgreSQL's
// own choice (auto) planned them anew at every execution: their custom
// plans never cost more than the generic one, so it kept making custom
// ones, and planning was a quarter of PostgreSQL's CPU per delivery
// (perf, 50 files/s). Their plans do not depend on the values bound (rows
// by primary key, arrays unnested), so a generic plan is the plan. The
// other connections keep auto: the call log's queries filter on values
// whose selectivity matters.
func hotPoolSize(maxConns int) int { return max(1, min(4, maxConns/5)) }

// backendCheck pings a backend named as problem names dependencies.
type backendCheck struct {
	name string
	ping func(context.Context) error
}

// waitFor pings every backend of checks until all answer, so the binaries
// can start before their backends: with st (the server, the worker) for
// as long as it takes, each round telling st how each backend is, and
// waiting a little longer between rounds, up to startBackoffMax; without
// (the commands), every second for up to a minute.
func waitFor(ctx context.Context, log *slog.Logger, st *startup, checks []backendCheck) error {
	deadline := time.Now().Add(time.Minute)
	delay := time.Second
	if st != nil {
		delay = startBackoffMin
	}
	for {
		var down error
		for _, c := range checks {
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err := c.ping(pctx)
			cancel()
			st.set(c.name, err)
			if err != nil && ctx.Err() == nil {
				log.Warn("backend not reachable yet; retrying", "backend", c.name, "err", err, "retry_in", delay.String())
			}
			if err != nil && down == nil {
				down = fmt.Errorf("%s unreachable: %w", c.name, err)
			}
		}
		if down == nil {
			return nil
		}
		if (st == nil && time.Now().After(deadline)) || ctx.Err() != nil {
			return down
		}
		select {
		case <-ctx.Done():
		case <-time.After(delay):
		}
		if st != nil {
			delay = min(2*delay, startBackoffMax)
		}
	}
}

// DefaultDBMaxConns is the size of a process's PostgreSQL pool unless
// SCOOPA_DB_MAX_CONNS says otherwise.
const DefaultDBMaxConns = 20

// OpenPostgres opens a PostgreSQL database by URL, with a pool of
// DefaultDBMaxConns connections.
func OpenPostgres(url string) (*sql.DB, *ent.Client, error) {
	return openPostgres(url, DefaultDBMaxConns)
}

// openPostgres opens a PostgreSQL database by URL with a pool of maxConns
// connections, kept open while idle for up to five minutes.
func openPostgres(url string, maxConns int) (*sql.DB, *ent.Client, error) {
	db, err := openPool(url, maxConns)
	if err != nil {
		return nil, nil, err
	}
	return db, ent.NewClient(ent.Driver(entsql.OpenDB(dialect.Postgres, db))), nil
}

// openPool opens a pool of up to maxConns PostgreSQL connections, kept open
// while idle for up to five minutes.
func openPool(url string, maxConns int) (*sql.DB, error) {
	c, err := pq.NewConnector(url)
	if err != nil {
		return nil, fmt.Errorf("SCOOPA_DATABASE_URL: %w", err)
	}
	db := sql.OpenDB(pgConnector{c})
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// OpenSQLite opens (creating) a SQLite database file with foreign keys on,
// WAL journaling (a server and a worker may share it) and write
// transactions that wait for each other instead of failing.
func OpenSQLite(path string) (*sql.DB, *ent.Client, error) {
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	return db, ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, db))), nil
}

// Migrate brings the schema up to date: on PostgreSQL by applying the
// versioned migrations of ent/migrate/migrations (reviewable, in order, each
// recorded), on the embedded SQLite by ent's auto-migration.
func Migrate(ctx context.Context, db *sql.DB, client *ent.Client, embedded bool) error {
	if !embedded {
		if _, err := migrations.Apply(ctx, db); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		return nil
	}
	// ent's auto-migration writes to the package-level table definitions
	// it shares with every client, so two at once (servers of parallel
	// tests) crash the process with concurrent map writes.
	autoMigrate.Lock()
	defer autoMigrate.Unlock()
	if err := client.Schema.Create(ctx, migrate.WithDropIndex(true)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// autoMigrate serialises ent's auto-migrations within the process.
var autoMigrate sync.Mutex

// StartMiniredis starts an in-process Redis whose TTLs advance with the
// clock: a ticker fast-forwards it (ClockTTL would re-sort keys on every
// command and collapse under load).
func StartMiniredis() (*miniredis.Miniredis, func(), error) {
	mr := miniredis.NewMiniRedis()
	if err := mr.Start(); err != nil {
		return nil, nil, fmt.Errorf("embedded redis: %w", err)
	}
	done := make(chan struct{})
	go func() {
		const step = 250 * time.Millisecond
		t := time.NewTicker(step)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				mr.FastForward(step)
			}
		}
	}()
	return mr, func() { close(done); mr.Close() }, nil
}

// SecretKey returns the configured key, or in embedded mode the key kept in
// the data dir (made on first start).
func SecretKey(cfg Config) ([]byte, error) {
	if cfg.SecretKey != "" {
		return []byte(cfg.SecretKey), nil
	}
	path := filepath.Join(cfg.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil {
		if k := strings.TrimSpace(string(b)); len(k) >= 32 {
			return []byte(k), nil
		}
		return nil, fmt.Errorf("%s: too short; delete it to make a new one", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	k := hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(k+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("keep secret key: %w", err)
	}
	return []byte(k), nil
}

// EncryptionKeys returns the keys that seal stored secrets: those of
// SCOOPA_ENCRYPTION_KEYS, or in embedded mode those kept in the data dir
// (encryption.keys, same format, made on first start). In production mode
// without SCOOPA_ENCRYPTION_KEYS it returns none: a key derived from
// SCOOPA_SECRET_KEY seals.
func EncryptionKeys(cfg Config) (map[int][]byte, error) {
	if len(cfg.EncryptionKeys) > 0 || !cfg.Embedded() {
		return cfg.EncryptionKeys, nil
	}
	path := filepath.Join(cfg.DataDir, "encryption.keys")
	if b, err := os.ReadFile(path); err == nil {
		keys, err := secrets.ParseEncryptionKeys(strings.ReplaceAll(strings.TrimSpace(string(b)), "\n", ","))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return keys, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	if err := os.WriteFile(path, []byte("1:"+hex.EncodeToString(raw)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("keep encryption key: %w", err)
	}
	return map[int][]byte{1: raw}, nil
}

// NewLogger returns the logger of the configured format and level, writing
// to w (the stderr main is given).
func NewLogger(cfg Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
