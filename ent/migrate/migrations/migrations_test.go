package migrations_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/scoopa/webhooks/ent/migrate"
	"github.com/scoopa/webhooks/ent/migrate/migrations"
	"github.com/scoopa/webhooks/internal/testenv"
)

// The committed migrations must describe ent/schema exactly: replaying them
// and diffing with the schema leaves nothing to write. If this fails, run
// `make migration NAME=<what changed>` and review the new file.
func TestMigrationsMatchSchema(t *testing.T) {
	dir := t.TempDir()
	src, _ := filepath.Glob("*.sql")
	for _, f := range append(src, "atlas.sum") {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := atlas.NewLocalDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := atlas.Validate(d); err != nil {
		t.Fatalf("atlas.sum does not match the files (edited by hand?): %v", err)
	}
	err = migrate.NamedDiff(context.Background(), testenv.NewEmptyPostgresDB(t), "pending",
		schema.WithDir(d), schema.WithMigrationMode(schema.ModeReplay), schema.WithDialect(dialect.Postgres),
		schema.WithFormatter(atlas.DefaultFormatter), schema.WithDropIndex(true), schema.WithDropColumn(true))
	if err != nil {
		t.Fatal(err)
	}
	after, _ := filepath.Glob(filepath.Join(dir, "*.sql"))
	if len(after) != len(src) {
		extra, _ := os.ReadFile(after[len(after)-1])
		t.Errorf("ent/schema has changes without a migration:\n%s", extra)
	}
}

// Applying twice applies nothing the second time.
func TestApplyIsIdempotent(t *testing.T) {
	db := testenv.OpenEmptyPostgres(t)
	first, err := migrations.Apply(context.Background(), db)
	if err != nil || len(first) != len(migrations.Versions()) {
		t.Fatalf("first apply: %v %v", first, err)
	}
	second, err := migrations.Apply(context.Background(), db)
	if err != nil || len(second) != 0 {
		t.Errorf("second apply: %v %v, want nothing applied", second, err)
	}
}
