package webhooks_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/storage"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// openKind opens a migrated database of kind for a test.
func openKind(t *testing.T, kind testenv.Kind) (*ent.Client, string) {
	t.Helper()
	if kind == testenv.Postgres {
		db, client, err := app.OpenPostgres(testenv.NewPostgresDB(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { client.Close() })
		_ = db
		return client, "postgres"
	}
	db, client, err := app.OpenSQLite(filepath.Join(t.TempDir(), "scoopa.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	if err := app.Migrate(context.Background(), db, client, true); err != nil {
		t.Fatal(err)
	}
	return client, "sqlite3"
}

// A server killed during an upload leaves temp files and, in a narrow
// window, a blob without its File row: the cleanup removes both once they
// are older than the age given, and nothing else.
func TestCleanUploads(t *testing.T) {
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			client, dialect := openKind(t, kind)
			dir := t.TempDir()
			blobs, err := storage.NewLocal(dir)
			if err != nil {
				t.Fatal(err)
			}
			svc, err := webhooks.New(webhooks.Config{SecretKey: []byte("0123456789abcdef0123456789abcdef")},
				webhooks.Deps{DB: client, Blobs: blobs, Log: testenv.Logger(t, 0), Dialect: dialect})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			now := time.Now()
			old, recent := now.Add(-2*time.Hour), now.Add(-10*time.Minute)
			age := func(path string, at time.Time) {
				t.Helper()
				if err := os.Chtimes(path, at, at); err != nil {
					t.Fatal(err)
				}
			}
			// Temp files: an old one of an upload cut off, a recent one of an
			// upload under way (ours and gqlgen's spill files alike).
			tmp := blobs.TempDir()
			for name, at := range map[string]time.Time{"upload-old": old, "gqlgen-old": old, "upload-recent": recent, "gqlgen-recent": recent} {
				p := filepath.Join(tmp, name)
				if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
					t.Fatal(err)
				}
				age(p, at)
			}
			// Blobs: one of a real (old) file, an old orphan, a recent orphan
			// (its row may be on its way).
			folder, err := svc.CreateFolder(ctx, "cleanup")
			if err != nil {
				t.Fatal(err)
			}
			kept, err := svc.UploadFile(ctx, folder.ID, "kept.bin", "", bytes.NewReader([]byte("kept")), 0)
			if err != nil {
				t.Fatal(err)
			}
			put := func(content string) string {
				key, _, _, err := blobs.Put(ctx, bytes.NewReader([]byte(content)), 0)
				if err != nil {
					t.Fatal(err)
				}
				return key
			}
			orphanOld, orphanRecent := put("orphan old"), put("orphan recent")
			blobPath := func(key string) string { return filepath.Join(dir, "files", key[:2], key) }
			age(blobPath(kept.StorageKey), old)
			age(blobPath(orphanOld), old)
			age(blobPath(orphanRecent), recent)

			tmps, orphans, err := svc.CleanUploads(ctx, now, time.Hour)
			if err != nil || tmps != 2 || orphans != 1 {
				t.Fatalf("CleanUploads = %d temp files, %d blobs, %v; want 2, 1", tmps, orphans, err)
			}
			exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
			for p, want := range map[string]bool{
				filepath.Join(tmp, "upload-old"): false, filepath.Join(tmp, "gqlgen-old"): false,
				filepath.Join(tmp, "upload-recent"): true, filepath.Join(tmp, "gqlgen-recent"): true,
				blobPath(kept.StorageKey): true, blobPath(orphanOld): false, blobPath(orphanRecent): true,
			} {
				if got := exists(p); got != want {
					t.Errorf("%s exists: %v, want %v", p, got, want)
				}
			}
			// Nothing left to do the second time.
			if tmps, orphans, err := svc.CleanUploads(ctx, now, time.Hour); err != nil || tmps+orphans != 0 {
				t.Errorf("second CleanUploads = %d, %d, %v; want nothing removed", tmps, orphans, err)
			}
		})
	}
}
