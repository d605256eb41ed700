package app_test

import (
	"context"
	"database/sql"
	"io"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/testenv"
)

// The hot path's statements are prepared on a pool of their own whose
// connections plan them once (a generic plan), while the rest keeps
// PostgreSQL's own choice of plans; the two pools share
// SCOOPA_DB_MAX_CONNS.
func TestHotStatementsArePlannedOnce(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"SCOOPA_DATABASE_URL": testenv.NewPostgresDB(t), "SCOOPA_REDIS_URL": testenv.RedisURL(),
		"SCOOPA_QUEUE": testenv.NewQueue(t), "SCOOPA_SECRET_KEY": strings.Repeat("k", 32),
		"SCOOPA_DATA_DIR": t.TempDir(), "SCOOPA_DB_MAX_CONNS": "2",
	}
	cfg, err := app.LoadConfig("t", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sys, svc, closeAll, err := app.OpenSystem(ctx, cfg, testenv.Logger(t, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	if sys.Hot == nil {
		t.Fatal("no pool for the hot path's statements")
	}
	// With 2 connections in all, one each: the hot pool's queries below
	// see the session its statements were prepared in.
	for name, db := range map[string]*sql.DB{"main": sys.SQL, "hot": sys.Hot} {
		if n := db.Stats().MaxOpenConnections; n != 1 {
			t.Errorf("%s pool: %d connections, want 1 of SCOOPA_DB_MAX_CONNS=2", name, n)
		}
	}
	mode := func(db *sql.DB) string {
		t.Helper()
		var m string
		if err := db.QueryRowContext(ctx, "SHOW plan_cache_mode").Scan(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := mode(sys.Hot); m != "force_generic_plan" {
		t.Errorf("hot pool: plan_cache_mode %s, want force_generic_plan", m)
	}
	if m := mode(sys.SQL); m != "auto" {
		t.Errorf("main pool: plan_cache_mode %s, want auto", m)
	}

	// The claim is prepared and planned at start (WarmUp), before any
	// delivery.
	var warm int
	if err := sys.Hot.QueryRowContext(ctx,
		`SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'WITH "claimed"%' AND generic_plans = 1`).Scan(&warm); err != nil {
		t.Fatal(err)
	}
	if warm != 1 {
		t.Errorf("%d claims prepared and planned at start, want 1", warm)
	}

	folder, err := sys.DB.Folder.Create().SetName("inbox").Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// More uploads than PostgreSQL's five custom plans before it weighs a
	// generic one.
	for i := range 7 {
		if _, err := svc.Files().UploadFile(ctx, folder.ID, "clip-"+string(rune('a'+i))+".mov", "video/quicktime", strings.NewReader("x"), 0); err != nil {
			t.Fatal(err)
		}
	}
	var generic, custom int
	if err := sys.Hot.QueryRowContext(ctx,
		"SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) FROM pg_prepared_statements").Scan(&generic, &custom); err != nil {
		t.Fatal(err)
	}
	if generic < 8 || custom != 0 {
		t.Errorf("the hot statements ran with %d generic and %d custom plans, want 8 or more (the claim and 7 uploads) and 0", generic, custom)
	}
}
