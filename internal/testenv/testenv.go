// Package testenv gives tests their own backends: a fresh PostgreSQL
// database cloned from a migrated template and a private Asynq queue on the
// shared Redis, or the embedded SQLite and miniredis. Tests never touch data
// they did not create, so packages and runs can share the servers.
package testenv

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hibiken/asynq"
	_ "github.com/lib/pq"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent/migrate/migrations"
	"github.com/scoopa/webhooks/internal/app"
)

// Kind names a backend.
type Kind string

// The backends tests run on.
const (
	Postgres Kind = "postgres" // PostgreSQL and Redis, as in production
	Embedded Kind = "embedded" // SQLite and miniredis
)

// Kinds lists every backend; API tests run on each.
var Kinds = []Kind{Postgres, Embedded}

// PostgresAdminURL is the server tests create their databases on:
// $SCOOPA_TEST_DATABASE_URL, or the local server.
func PostgresAdminURL() string {
	if u := os.Getenv("SCOOPA_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// RedisURL is the Redis tests use: $SCOOPA_TEST_REDIS_URL, or the local one.
func RedisURL() string {
	if u := os.Getenv("SCOOPA_TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// OpenRedis opens a client of the Redis tests use (RedisURL), closed when
// the test ends.
func OpenRedis(t testing.TB) redis.UniversalClient {
	t.Helper()
	rdb, err := app.OpenRedis(RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// Name returns a random name with a prefix, unique enough to share servers.
func Name(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// templateDB is named after the migrations it holds, so a run with other
// migrations never uses a template made by another.
var templateDB = func() string {
	h := sha256.Sum256([]byte(strings.Join(migrations.Versions(), ",")))
	return "scoopa_test_template_" + hex.EncodeToString(h[:4])
}()

// lockTemplate guards the template across test processes: held alone to
// migrate it, shared to clone it.
const lockTemplate = 7253475

var templateOnce sync.Once
var templateErr error

// NewPostgresDB creates a database for the test, cloned from the migrated
// template, drops it when the test ends, and returns its URL. A missing
// server fails the test: it does not skip.
func NewPostgresDB(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("postgres", PostgresAdminURL())
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		t.Fatalf("postgres at %s unreachable (start it, or set SCOOPA_TEST_DATABASE_URL): %v", PostgresAdminURL(), err)
	}
	defer conn.Close()
	// The template is migrated under the lock held alone, and cloned under
	// the lock shared: clones from one template may run at once (each
	// waits on its own fsyncs, 0.3 s here), but none while the template
	// changes.
	templateOnce.Do(func() {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockTemplate); err != nil {
			templateErr = fmt.Errorf("lock: %w", err)
			return
		}
		defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", lockTemplate)
		templateErr = migrateTemplate(ctx, conn)
	})
	if templateErr != nil {
		t.Fatalf("postgres template: %v", templateErr)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock_shared($1)", lockTemplate); err != nil {
		t.Fatalf("postgres lock: %v", err)
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock_shared($1)", lockTemplate)
	name := Name("scoopa_test_")
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, templateDB)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	dropOnCleanup(t, name)
	return dbURL(name)
}

// dropOnCleanup drops the test's database when the test ends.
func dropOnCleanup(t testing.TB, name string) {
	t.Cleanup(func() {
		admin, err := sql.Open("postgres", PostgresAdminURL())
		if err != nil {
			return
		}
		defer admin.Close()
		if _, err := admin.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
}

func dbURL(name string) string {
	u, _ := url.Parse(PostgresAdminURL())
	u.Path = "/" + name
	return u.String()
}

// migrateTemplate brings the template database to the current schema (once
// per test process; cheap when nothing changed).
func migrateTemplate(ctx context.Context, conn *sql.Conn) error {
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", templateDB).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+templateDB); err != nil {
			return err
		}
	}
	db, client, err := app.OpenPostgres(dbURL(templateDB))
	if err != nil {
		return err
	}
	defer client.Close()
	return app.Migrate(ctx, db, client, false)
}

// Env returns the environment of a test server or worker on kind: a fresh
// database and a private queue (production kind), or a fresh data dir
// (embedded kind), plus the given overrides.
func Env(t testing.TB, kind Kind, overrides map[string]string) map[string]string {
	t.Helper()
	addr := freeAddr(t)
	env := map[string]string{
		"SCOOPA_HTTP_ADDR":             addr,
		"SCOOPA_PUBLIC_URL":            "http://" + addr,
		"SCOOPA_DATA_DIR":              t.TempDir(),
		"SCOOPA_ADMIN_TOKEN":           "test-admin-token-" + Name("") + Name(""),
		"SCOOPA_ALLOW_PRIVATE_TARGETS": "true",
		"SCOOPA_RETRY_DELAYS":          "1s,1s,1s",
		"SCOOPA_DELIVERY_TIMEOUT":      "2s",
		"SCOOPA_VALIDATION_TIMEOUT":    "2s",
		"SCOOPA_SWEEP_INTERVAL":        "1s",
		"SCOOPA_SWEEP_DELAY":           "5s",
		"SCOOPA_LOG_LEVEL":             "warn",
		"SCOOPA_RATE_LIMIT":            "0",
		"SCOOPA_METRICS_ADDR":          "127.0.0.1:0",
		// Packages test in parallel on one PostgreSQL (100 connections).
		"SCOOPA_DB_MAX_CONNS": "4",
		// A stopping worker waits for its poll under way (Asynq sleeps
		// between polls): 75 ms at most rather than 1.5 s at each stop.
		"SCOOPA_TASK_CHECK_INTERVAL": "50ms",
	}
	if kind == Postgres {
		env["SCOOPA_DATABASE_URL"] = NewPostgresDB(t)
		env["SCOOPA_REDIS_URL"] = RedisURL()
		env["SCOOPA_SECRET_KEY"] = "test-secret-key-" + Name("") + Name("")
		env["SCOOPA_QUEUE"] = NewQueue(t)
	}
	for k, v := range overrides {
		env[k] = v
	}
	return env
}

// NewQueue returns a queue name of the test's own and deletes what Asynq
// kept of it in Redis when the test ends.
func NewQueue(t testing.TB) string {
	t.Helper()
	q := Name("test-")
	t.Cleanup(func() {
		rdb, err := app.OpenRedis(RedisURL())
		if err != nil {
			return
		}
		defer rdb.Close()
		insp := asynq.NewInspectorFromRedisClient(rdb)
		// The test's processes have stopped by now: a task still active
		// belonged to one that was killed, and would hold the queue until its
		// lease ran out. Its keys go below with the rest.
		if err := insp.DeleteQueue(q, true); err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			rdb.SRem(context.Background(), "asynq:queues", q)
		}
		// Keys of unique periodic tasks are not part of the queue proper.
		deleteKeys(context.Background(), rdb, "asynq:{"+q+"}:*")
		deleteKeys(context.Background(), rdb, "scoopa:{"+q+"}:*") // the wake lane
	})
	return q
}

// Getenv turns a map into a getenv function.
func Getenv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// DataFile returns a path in the data dir of env.
func DataFile(env map[string]string, name string) string {
	return filepath.Join(env["SCOOPA_DATA_DIR"], name)
}

// freeAddr returns a loopback address with a port free at the time, so the
// server's public URL can name it before it starts.
func freeAddr(t testing.TB) string {
	return fmt.Sprintf("127.0.0.1:%d", freePort(t))
}

// Ports handed to test servers and backends come from below the kernel's
// ephemeral range (32768-60999 on Linux), where no listener on port 0 and
// no outgoing connection ever lands: a port a test picks and binds a
// moment later, or binds again when it restarts its server, cannot be
// taken in between by a test listening on port 0 (httptest). Each test
// process starts at a random place in the range; a port still in use is
// skipped.
const (
	portBase  = 20000
	portRange = 12000
)

var nextPort atomic.Int64

func init() { nextPort.Store(mrand.Int64N(portRange)) }

// freePort returns a port of 127.0.0.1 that nothing listens on now.
func freePort(t testing.TB) int {
	for range 1000 {
		p := portBase + int(nextPort.Add(1)%portRange)
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue
		}
		ln.Close()
		return p
	}
	t.Fatal("no free port between 20000 and 32000")
	return 0
}

// NewEmptyPostgresDB creates an empty database for the test, drops it when
// the test ends, and returns its URL.
func NewEmptyPostgresDB(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("postgres", PostgresAdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := Name("scoopa_test_")
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("postgres at %s: %v", PostgresAdminURL(), err)
	}
	dropOnCleanup(t, name)
	return dbURL(name)
}

// OpenEmptyPostgres opens a new empty database, closed and dropped when the
// test ends.
func OpenEmptyPostgres(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", NewEmptyPostgresDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// deleteKeys deletes the keys matching pattern, on every master of a
// cluster.
func deleteKeys(ctx context.Context, rdb redis.UniversalClient, pattern string) {
	del := func(ctx context.Context, c *redis.Client) error {
		keys, _ := c.Keys(ctx, pattern).Result()
		for _, k := range keys {
			c.Del(ctx, k)
		}
		return nil
	}
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		_ = c.ForEachMaster(ctx, del)
	case *redis.Client:
		_ = del(ctx, c)
	}
}
