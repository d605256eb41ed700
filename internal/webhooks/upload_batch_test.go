package webhooks_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// upload is a file to store: its folder and name.
type upload struct {
	folder *ent.Folder
	name   string
}

// stored is what storing an upload returned.
type stored struct {
	file  *ent.File
	calls []*ent.WebhookCall
	err   error
}

// storeTogether stores the uploads at once, written in one batch, and
// returns what each returned and the batches written.
func storeTogether(fx *uploadFixture, ups []upload) ([]stored, []webhooks.FileBatch) {
	batches := fx.svc.RecordFileBatches()
	out := make([]stored, len(ups))
	fx.svc.StoreTogether(len(ups), func(i int) {
		out[i].file, out[i].calls, out[i].err = fx.svc.StoreFile(fx.ctx, ups[i].folder.ID, ups[i].name, nil)
	})
	return out, batches()
}

// transactions is how many transactions wrote the files of got (without
// an error): one for the files of one statement.
func transactions(t *testing.T, fx *uploadFixture, got []stored) int {
	t.Helper()
	var ids []int64
	for _, g := range got {
		if g.err == nil {
			ids = append(ids, int64(g.file.ID))
		}
	}
	var n int
	if err := fx.db.QueryRowContext(fx.ctx, `SELECT count(DISTINCT xmin::text) FROM files WHERE id = ANY($1)`, pq.Array(ids)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// storeAlone stores the uploads one after the other, each with a
// statement of its own, as when nobody else stores at the same moment.
func storeAlone(t *testing.T, fx *uploadFixture, ups []upload) [][]uploadCall {
	t.Helper()
	fx.svc.SetFileBatching(false)
	defer fx.svc.SetFileBatching(true)
	var views [][]uploadCall
	for _, u := range ups {
		f, calls, err := fx.svc.StoreFile(fx.ctx, u.folder.ID, u.name, nil)
		if err != nil {
			t.Fatalf("%s in %s alone: %v", u.name, u.folder.Name, err)
		}
		views = append(views, fx.check(t, f, u.folder, calls))
	}
	return views
}

// Files stored at the same moment are written by one statement, and each
// file and its calls are what the file's own statement writes: the same
// webhooks (folder, all folders, inactive, filters of any case and with
// LIKE's wildcards), the same columns, each call with its own file.
func TestUploadBatchAgrees(t *testing.T) {
	t.Parallel()
	fx := newUploadFixture(t, "postgres")
	a, b := fx.a, fx.b
	var ups []upload
	for _, name := range []string{"clip.mov", "CLIP.MOV", "Clip.Mov.txt", "plain", "100%_done.txt", "a_b", `back\slash`,
		"été.mov", "İSTANBUL.MOV", "\u212a.txt", "k.txt"} {
		ups = append(ups, upload{a, name}, upload{b, name})
	}
	got, batches := storeTogether(fx, ups)
	if want := []webhooks.FileBatch{{Files: len(ups), Written: len(ups)}}; !reflect.DeepEqual(batches, want) {
		t.Errorf("batches %+v, want %+v", batches, want)
	}
	if n := transactions(t, fx, got); n != 1 {
		t.Errorf("the files were written by %d transactions, want 1", n)
	}
	alone := storeAlone(t, fx, ups)
	for i, u := range ups {
		if got[i].err != nil {
			t.Errorf("%s in %s: %v", u.name, u.folder.Name, got[i].err)
			continue
		}
		v := fx.check(t, got[i].file, u.folder, got[i].calls)
		if !reflect.DeepEqual(v, alone[i]) {
			t.Errorf("%s in %s: stored together\n%+v\nalone\n%+v", u.name, u.folder.Name, v, alone[i])
		}
		fx.checkMatches(t, u.folder, u.name, v)
	}
}

// In a batch, a file whose folder has a webhook that is ordered, or whose
// filter is not ASCII, is left out of the statement and stored the ent
// way, as alone; the other files are written by the statement.
func TestUploadBatchLeavesOut(t *testing.T) {
	t.Parallel()
	fx := newUploadFixture(t, "postgres")
	ups := []upload{
		{fx.a, "clip.mov"}, {fx.c, "ÉTÉ 2026.mov"}, {fx.b, "clip.mov"}, {fx.d, "first.mov"}, {fx.a, "plain"},
		{fx.c, "summer.mov"}, {fx.d, "second.txt"}, {fx.b, "K.txt"},
	}
	left := 0
	for _, u := range ups {
		if u.folder == fx.c || u.folder == fx.d {
			left++
		}
	}
	got, batches := storeTogether(fx, ups)
	if want := []webhooks.FileBatch{{Files: len(ups), Written: len(ups) - left, Left: left}}; !reflect.DeepEqual(batches, want) {
		t.Errorf("batches %+v, want %+v", batches, want)
	}
	var together []stored
	for i, u := range ups {
		if u.folder != fx.c && u.folder != fx.d {
			together = append(together, got[i])
		}
	}
	if n := transactions(t, fx, together); n != 1 {
		t.Errorf("the files of folders A and B were written by %d transactions, want 1", n)
	}
	if n := transactions(t, fx, got); n != 1+left {
		t.Errorf("the files were written by %d transactions, want %d: 1 and one per file left out", n, 1+left)
	}
	alone := storeAlone(t, fx, ups)
	orderedCalls := 0
	for i, u := range ups {
		if got[i].err != nil {
			t.Errorf("%s in %s: %v", u.name, u.folder.Name, got[i].err)
			continue
		}
		v := fx.check(t, got[i].file, u.folder, got[i].calls)
		if !reflect.DeepEqual(v, alone[i]) {
			t.Errorf("%s in %s: stored together\n%+v\nalone\n%+v", u.name, u.folder.Name, v, alone[i])
		}
		fx.checkMatches(t, u.folder, u.name, v)
		for _, c := range v {
			if c.Ordered {
				orderedCalls++
			}
		}
	}
	if orderedCalls != 1 { // first.mov's call to the ordered webhook
		t.Errorf("%d ordered calls, want 1", orderedCalls)
	}
}

// When the statement of a batch fails, each of its files is written
// alone: the files that can be stored are, and only the uploads of the
// others fail.
func TestUploadBatchFallsBack(t *testing.T) {
	t.Parallel()
	fx := newUploadFixture(t, "postgres")
	bad, err := fx.client.Folder.Create().SetName("bad").SetCreatedAt(time.Now()).Save(fx.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.client.Webhook.Create().SetName("boom").SetURL("https://receiver.example/").SetSigningSecret("whsec_x").
		SetActive(true).AddFolders(bad).SetCreatedAt(time.Now()).SetUpdatedAt(time.Now()).Save(fx.ctx); err != nil {
		t.Fatal(err)
	}
	// A call of webhook boom cannot be written.
	if _, err := fx.db.ExecContext(fx.ctx, `ALTER TABLE webhook_calls ADD CONSTRAINT no_boom CHECK (webhook_name <> 'boom')`); err != nil {
		t.Fatal(err)
	}
	ups := []upload{{fx.a, "clip.mov"}, {bad, "one.mov"}, {fx.b, "clip.mov"}, {fx.a, "plain"}, {bad, "two.mov"}, {fx.b, "K.txt"}}
	got, batches := storeTogether(fx, ups)
	if want := []webhooks.FileBatch{{Files: len(ups), Written: len(ups) - 2, Failed: 2}}; !reflect.DeepEqual(batches, want) {
		t.Errorf("batches %+v, want %+v", batches, want)
	}
	var good []upload
	for i, u := range ups {
		if u.folder == bad {
			if got[i].err == nil {
				t.Errorf("%s in %s: stored, want the constraint's error", u.name, u.folder.Name)
			}
			continue
		}
		good = append(good, u)
		if got[i].err != nil {
			t.Errorf("%s in %s: %v", u.name, u.folder.Name, got[i].err)
		}
	}
	if n := transactions(t, fx, got); n != len(good) {
		t.Errorf("the files were written by %d transactions, want %d: one each", n, len(good))
	}
	if n, err := fx.client.File.Query().Count(fx.ctx); err != nil || n != len(good) {
		t.Errorf("%d files stored (%v), want %d", n, err, len(good))
	}
	if n, err := fx.client.WebhookCall.Query().Where(webhookcall.FolderID(bad.ID)).Count(fx.ctx); err != nil || n != 0 {
		t.Errorf("%d calls in folder bad (%v), want none", n, err)
	}
	alone := storeAlone(t, fx, good)
	for i, u := range good {
		j := slicesIndex(ups, u)
		if got[j].err != nil {
			continue
		}
		if v := fx.check(t, got[j].file, u.folder, got[j].calls); !reflect.DeepEqual(v, alone[i]) {
			t.Errorf("%s in %s: stored together\n%+v\nalone\n%+v", u.name, u.folder.Name, v, alone[i])
		}
	}
}

func slicesIndex(ups []upload, u upload) int {
	for i, x := range ups {
		if x == u {
			return i
		}
	}
	return -1
}

// BenchmarkStoreFileConcurrent measures the write of new files (row and
// calls, step 2 of "a file arrives") by 16 uploads at once on PostgreSQL,
// into 4 folders with 2 webhooks each and 1 for all folders: each file
// with a statement of its own ("single"), and written together
// ("batched"). ns/op is per file; files/stmt is the files per statement;
// pg-µs/file is PostgreSQL's execution time of those statements per file
// (with pg_stat_statements loaded).
func BenchmarkStoreFileConcurrent(b *testing.B) {
	const uploads = 16
	ctx := context.Background()
	db, client, err := app.OpenPostgres(testenv.NewPostgresDB(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { client.Close() })
	// PostgreSQL's time in the statements that write files, if
	// pg_stat_statements is loaded: of this database only, which is the
	// benchmark's own.
	_, statsErr := db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
	execTime := func() (ms float64) {
		if statsErr != nil {
			return 0
		}
		if err := db.QueryRowContext(ctx, `SELECT coalesce(sum(total_exec_time), 0) FROM pg_stat_statements
			WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query LIKE '%INSERT INTO files%'`).Scan(&ms); err != nil {
			// Created but not loaded (not in shared_preload_libraries):
			// no figure, as without it.
			statsErr = err
			return 0
		}
		return ms
	}
	svc, err := webhooks.New(webhooks.Config{SecretKey: []byte("0123456789abcdef0123")},
		webhooks.Deps{DB: client, Log: testenv.Logger(b, 0), Dialect: "postgres"})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	hook := func(name string, all bool, filter *string, folders ...*ent.Folder) {
		if _, err := client.Webhook.Create().SetName(name).SetURL("https://receiver.example/" + name).SetSigningSecret("whsec_x").
			SetActive(true).SetAllFolders(all).SetNillableFilter(filter).AddFolders(folders...).SetCreatedAt(now).SetUpdatedAt(now).Save(ctx); err != nil {
			b.Fatal(err)
		}
	}
	mov := ".mov"
	var folders []*ent.Folder
	for i := range 4 {
		f, err := client.Folder.Create().SetName(fmt.Sprint("folder ", i)).SetCreatedAt(now).Save(ctx)
		if err != nil {
			b.Fatal(err)
		}
		folders = append(folders, f)
		hook(fmt.Sprint("every file ", i), false, nil, f)
		hook(fmt.Sprint("movies ", i), false, &mov, f)
	}
	hook("all folders", true, nil)
	for _, bc := range []struct {
		name    string
		batched bool
	}{{"single", false}, {"batched", true}} {
		b.Run(bc.name, func(b *testing.B) {
			svc.SetFileBatching(bc.batched)
			batches := func() []webhooks.FileBatch { return nil }
			if bc.batched {
				batches = svc.RecordFileBatches()
			}
			var next atomic.Int64
			before := execTime()
			b.ResetTimer()
			var wg sync.WaitGroup
			for range uploads {
				wg.Go(func() {
					for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
						name := fmt.Sprintf("clip %d.mov", i)
						if i%2 == 0 {
							name = fmt.Sprintf("notes %d.txt", i)
						}
						if _, _, err := svc.StoreFile(ctx, folders[i%4].ID, name, nil); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			if statsErr == nil {
				b.ReportMetric((execTime()-before)*1000/float64(b.N), "pg-µs/file")
			}
			if bc.batched {
				files, stmts := 0, 0
				for _, fb := range batches() {
					files, stmts = files+fb.Files, stmts+1
					if fb.Written != fb.Files {
						b.Errorf("batch %+v: not all written", fb)
					}
				}
				b.ReportMetric(float64(files)/float64(stmts), "files/stmt")
			} else {
				b.ReportMetric(1, "files/stmt")
			}
		})
	}
}
