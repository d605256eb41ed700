package webhooks_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/audit"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// The retention job deletes the audit log's entries older than
// AuditRetention, with the calls; newer ones stay.
func TestPruneDeletesOldAuditEntries(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var (
				db     *sql.DB
				client *ent.Client
				err    error
			)
			if kind == testenv.Embedded {
				db, client, err = app.OpenSQLite(filepath.Join(t.TempDir(), "scoopa.db"))
				if err == nil {
					err = app.Migrate(ctx, db, client, true)
				}
			} else {
				db, client, err = app.OpenPostgres(testenv.NewPostgresDB(t))
			}
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			svc, err := webhooks.New(webhooks.Config{SecretKey: []byte("0123456789abcdef0123"), AuditRetention: 48 * time.Hour},
				webhooks.Deps{DB: client, Log: testenv.Logger(t, 0)})
			if err != nil {
				t.Fatal(err)
			}
			for i, age := range []time.Duration{72 * time.Hour, 50 * time.Hour, 24 * time.Hour} {
				if err := audit.Record(ctx, client, svc.Now().Add(-age), audit.Actor{Name: "ops"},
					audit.Entry{Action: "folder.create", SubjectType: "Folder", SubjectID: i + 1}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := svc.Recovery().Prune(ctx); err != nil {
				t.Fatal(err)
			}
			left, err := client.AuditEntry.Query().All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(left) != 1 || left[0].SubjectID != 3 {
				t.Errorf("%d entries left, want the one of a day ago", len(left))
			}
		})
	}
}
