package webhooks_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minio/minio-go/v7"
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
			folder, err := svc.Settings().CreateFolder(ctx, "cleanup")
			if err != nil {
				t.Fatal(err)
			}
			kept, err := svc.Files().UploadFile(ctx, folder.ID, "kept.bin", "", bytes.NewReader([]byte("kept")), 0)
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

			tmps, orphans, err := svc.Files().CleanUploads(ctx, now, time.Hour)
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
			if tmps, orphans, err := svc.Files().CleanUploads(ctx, now, time.Hour); err != nil || tmps+orphans != 0 {
				t.Errorf("second CleanUploads = %d, %d, %v; want nothing removed", tmps, orphans, err)
			}
		})
	}
}

// On object storage the cleanup lists the bucket under the store's prefix:
// objects old enough that no File row names are deleted, in batches; the
// files' objects, recent ones and objects that are not blobs stay.
func TestCleanUploadsObjectStorage(t *testing.T) {
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			client, dialect := openKind(t, kind)
			s3 := testenv.StartS3(t)
			ctx := context.Background()
			st, err := storage.OpenWith(ctx, s3.URL, "", storage.Credentials{AccessKeyID: s3.AccessKey, SecretAccessKey: s3.SecretKey})
			if err != nil {
				t.Fatal(err)
			}
			svc, err := webhooks.New(webhooks.Config{SecretKey: []byte("0123456789abcdef0123456789abcdef")},
				webhooks.Deps{DB: client, Blobs: st, Log: testenv.Logger(t, 0), Dialect: dialect})
			if err != nil {
				t.Fatal(err)
			}
			svc.Files().SetOrphanBatch(2)
			folder, err := svc.Settings().CreateFolder(ctx, "cleanup")
			if err != nil {
				t.Fatal(err)
			}
			var kept []string
			for i := range 3 {
				f, err := svc.Files().UploadFile(ctx, folder.ID, "kept.bin", "", strings.NewReader(strings.Repeat("k", i)), 0)
				if err != nil {
					t.Fatal(err)
				}
				kept = append(kept, s3.Prefix+f.StorageKey)
			}
			for i := range 5 {
				if _, _, _, err := st.Put(ctx, strings.NewReader(strings.Repeat("o", i)), 0); err != nil {
					t.Fatal(err)
				}
			}
			mc := s3.Client(t)
			foreign := []string{s3.Prefix + "README.txt", "elsewhere/" + strings.Repeat("ab", 16)}
			for _, name := range foreign {
				if _, err := mc.PutObject(ctx, s3.Bucket, name, strings.NewReader("not a blob"), -1, minio.PutObjectOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			objects := func() []string {
				var out []string
				for o := range mc.ListObjects(ctx, s3.Bucket, minio.ListObjectsOptions{Recursive: true}) {
					if o.Err != nil {
						t.Fatal(o.Err)
					}
					out = append(out, o.Key)
				}
				sort.Strings(out)
				return out
			}
			// All of them are recent: nothing goes.
			if _, orphans, err := svc.Files().CleanUploads(ctx, time.Now(), time.Hour); err != nil || orphans != 0 {
				t.Fatalf("CleanUploads of recent objects = %d, %v; want 0", orphans, err)
			}
			if n := len(objects()); n != 10 {
				t.Fatalf("%d objects after a cleanup of recent ones, want 10", n)
			}
			// Two hours later the orphans go, the rest stays.
			if _, orphans, err := svc.Files().CleanUploads(ctx, time.Now().Add(2*time.Hour), time.Hour); err != nil || orphans != 5 {
				t.Fatalf("CleanUploads = %d orphans, %v; want 5", orphans, err)
			}
			want := append(append([]string{}, kept...), foreign...)
			sort.Strings(want)
			if diff := cmp.Diff(want, objects()); diff != "" {
				t.Errorf("objects after the cleanup (-want +got):\n%s", diff)
			}
		})
	}
}
