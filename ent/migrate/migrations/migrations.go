// Package migrations holds the versioned PostgreSQL migrations (Atlas
// format, made by `make migration NAME=...` from ent/schema) and applies
// them. Review a new file before committing it.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed *.sql
var files embed.FS

// Versions lists the migration versions, oldest first.
func Versions() []string {
	names, _ := fs.Glob(files, "*.sql")
	sort.Strings(names)
	for i, n := range names {
		names[i] = strings.TrimSuffix(path.Base(n), ".sql")
	}
	return names
}

// lockID serialises migrations of processes starting together.
const lockID = 7253474

// Apply runs, in order and each in its own transaction, the migrations the
// database has not had yet, and records them in scoopa_schema_migrations.
// It returns the versions it applied.
func Apply(ctx context.Context, db *sql.DB) (applied []string, err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockID); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", lockID)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS scoopa_schema_migrations (
		version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return nil, err
	}
	done := map[string]bool{}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM scoopa_schema_migrations")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, err
		}
		done[v] = true
	}
	rows.Close()
	for _, v := range Versions() {
		if done[v] {
			continue
		}
		body, err := files.ReadFile(v + ".sql")
		if err != nil {
			return applied, err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return applied, err
		}
		// Without arguments, PostgreSQL runs every statement of the file.
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %s: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO scoopa_schema_migrations (version) VALUES ($1)", v); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %s: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("migration %s: %w", v, err)
		}
		applied = append(applied, v)
	}
	return applied, nil
}
