package webhooks_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/file"
	"github.com/scoopa/webhooks/ent/schema"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// The store contract: every state change of the hot path is written by
// the store (store.go), of which there are two, PostgreSQL's statements and
// ent's builders. Each test here runs the same scenario on every store
// (contractStores), checks what it wrote against the domain's rule, and
// compares what the stores wrote, column for column: no two writers of a
// change can drift apart.

// contractStores are the stores the contract runs on: PostgreSQL's, ent's
// on PostgreSQL (the way pgStore hands a file it cannot decide), and ent's
// on SQLite.
var contractStores = []string{"postgres", "ent", "sqlite"}

// newStoreService is a Service on a database of its own that writes
// through store (one of contractStores), with no queue; d's DB, SQL,
// Dialect and Log are filled in, and cfg's SecretKey if it has none.
func newStoreService(t *testing.T, store string, cfg webhooks.Config, d webhooks.Deps) (*sql.DB, *ent.Client, *webhooks.Service) {
	t.Helper()
	var (
		db     *sql.DB
		client *ent.Client
		err    error
	)
	if store == "sqlite" {
		db, client, err = app.OpenSQLite(filepath.Join(t.TempDir(), "scoopa.db"))
		if err == nil {
			err = app.Migrate(context.Background(), db, client, true)
		}
		d.Dialect = "sqlite3"
	} else {
		db, client, err = app.OpenPostgres(testenv.NewPostgresDB(t))
		d.Dialect = "postgres"
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	if cfg.SecretKey == nil {
		cfg.SecretKey = []byte("0123456789abcdef0123")
	}
	d.DB, d.SQL, d.Log = client, db, testenv.Logger(t, 0)
	svc, err := webhooks.New(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	if store == "ent" {
		svc.UseEntStore()
	}
	if want := map[string]string{"postgres": "postgres", "ent": "ent", "sqlite": "ent"}[store]; svc.Store() != want {
		t.Fatalf("%s: the service writes through the %s store", store, svc.Store())
	}
	return db, client, svc
}

// contractNames are the file names every store stores in the folders of
// the upload fixture: the filename rule (MatchesFilter) must pick the same
// webhooks whichever store evaluates it, for case folding, letters outside
// ASCII, LIKE's wildcards and the empty filter.
var contractNames = []string{
	"clip.mov", "CLIP.MOV", "Clip.Mov.txt", "plain", "x.mOv",
	"100%_done.txt", "100 done.txt", "a_b", "ab", "a%b", "%", "_", "__init__.py",
	`back\slash`, `back\\slash`, "été.mov", "ÉTÉ 2026.mov", "summer.mov", "eté.mov",
	"İSTANBUL.MOV", "istanbul.mov", "\u212a.txt" /* KELVIN SIGN, which Go lowers to k */, "K.txt", "k.txt",
	"straße.mov", "STRASSE.MOV", "ΣΊΣΥΦΟΣ.mov", "ﬁle.MOV", "ｃｌｉｐ．ｍｏｖ", "🎬 take 1.mov",
	"e\u0301te\u0301.mov" /* é as e and a combining accent */, "UPPER lower.Mov", "MOVIE", "archive.mov.zip", "k",
}

// A new file's row and its calls, as each store writes them: the calls
// the filename rule and the folders decide, with every column the same
// whichever store wrote them.
func TestStoreFileArrival(t *testing.T) {
	t.Parallel()
	if len(contractNames) < 30 {
		t.Fatalf("%d names; the contract checks the filename rule on at least 30", len(contractNames))
	}
	views := make([]map[string][]uploadCall, len(contractStores))
	t.Run("stores", func(t *testing.T) {
		for i, store := range contractStores {
			t.Run(store, func(t *testing.T) {
				t.Parallel()
				fx := newUploadFixture(t, store)
				views[i] = map[string][]uploadCall{}
				for _, fol := range []*ent.Folder{fx.a, fx.b, fx.c, fx.d} {
					for _, name := range contractNames {
						f, calls, err := fx.svc.StoreFile(fx.ctx, fol.ID, name, nil)
						if err != nil {
							t.Fatalf("%q in %s: %v", name, fol.Name, err)
						}
						v := fx.check(t, f, fol, calls)
						fx.checkMatches(t, fol, name, v)
						views[i][fol.Name+"/"+name] = v
					}
				}
			})
		}
	})
	for i := 1; i < len(contractStores); i++ {
		if views[0] == nil || views[i] == nil {
			return // a store failed above
		}
		if diff := cmp.Diff(views[0], views[i]); diff != "" {
			t.Errorf("the %s store wrote other calls than the %s store (-%s +%s):\n%s",
				contractStores[i], contractStores[0], contractStores[0], contractStores[i], diff)
		}
	}
}

// uploadFixture is a database of folders and webhooks on which a store
// stores files.
type uploadFixture struct {
	ctx    context.Context
	db     *sql.DB
	client *ent.Client
	svc    *webhooks.Service
	// a, b and c ("Été") are folders; d has an ordered webhook. c has a
	// webhook whose filter is not ASCII.
	a, b, c, d *ent.Folder
	hooks      []*ent.Webhook // with their folders
	hookName   map[int]string // the webhooks' names by ID
}

func newUploadFixture(t *testing.T, store string) *uploadFixture {
	t.Helper()
	ctx := context.Background()
	clock := testenv.NewClock(time.Date(2026, 3, 4, 5, 6, 7, 891011000, time.UTC))
	opt, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	db, client, svc := newStoreService(t, store, webhooks.Config{Queue: testenv.NewQueue(t), Platform: "mediapool"},
		webhooks.Deps{Clock: clock, Redis: rdb})
	now := clock.Now()
	folder := func(name string) *ent.Folder {
		f, err := client.Folder.Create().SetName(name).SetCreatedAt(now).Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	a, b, c, d := folder("A"), folder("B"), folder("Été"), folder("D")
	type hook struct {
		name      string
		active    bool
		all       bool
		folders   []*ent.Folder
		filter    *string
		delays    []string
		perSecond *int
		ordered   bool
		types     []string
		glob      *string
		min, max  *int64
	}
	str := func(s string) *string { return &s }
	hooks := []hook{
		{name: "a", active: true, folders: []*ent.Folder{a}},
		{name: "all", active: true, all: true},
		{name: "a and all", active: true, all: true, folders: []*ent.Folder{a}},
		{name: "a inactive", folders: []*ent.Folder{a}},
		{name: "all inactive", all: true},
		{name: "b", active: true, folders: []*ent.Folder{b}},
		{name: "a and b", active: true, folders: []*ent.Folder{a, b}},
		{name: "none", active: true},
		{name: ".MOV", active: true, folders: []*ent.Folder{a}, filter: str(".MOV")},
		{name: "percent", active: true, all: true, filter: str("%")},
		{name: "underscore", active: true, folders: []*ent.Folder{a}, filter: str("_")},
		{name: "backslash", active: true, folders: []*ent.Folder{a}, filter: str(`\`)},
		{name: "empty filter", active: true, folders: []*ent.Folder{a}, filter: str("")},
		{name: "k", active: true, folders: []*ent.Folder{a}, filter: str("K")},
		{name: "a_b", active: true, folders: []*ent.Folder{a, b}, filter: str("A_B")},
		{name: "100%", active: true, folders: []*ent.Folder{b}, filter: str("100%")},
		{name: "mov", active: true, folders: []*ent.Folder{b}, filter: str("MoV")},
		{name: "i", active: true, folders: []*ent.Folder{b}, filter: str("i")},
		{name: "ss", active: true, folders: []*ent.Folder{b}, filter: str("SS")},
		{name: "space", active: true, folders: []*ent.Folder{b}, filter: str(" ")},
		{name: "own schedule", active: true, folders: []*ent.Folder{a}, delays: []string{"1s", "2m"}},
		{name: "no retries", active: true, folders: []*ent.Folder{a}, delays: []string{}},
		{name: "limited", active: true, all: true, perSecond: new(10000)},
		{name: "unicode filter", active: true, folders: []*ent.Folder{c}, filter: str("ÉTÉ")},
		{name: "ordered", active: true, folders: []*ent.Folder{d}, filter: str(".mov"), ordered: true},
		// Media filters: the files of this fixture are video/quicktime of
		// 1234 bytes. They are on the folders that go the ent way anyway,
		// so that A and B keep the statement's way.
		{name: "glob", active: true, folders: []*ent.Folder{c, d}, glob: str("*[ ._]mov")},
		{name: "video", active: true, folders: []*ent.Folder{c}, types: []string{"video/*"}, filter: str("mov")},
		{name: "images", active: true, folders: []*ent.Folder{d}, types: []string{"image/*"}},
		{name: "fits", active: true, folders: []*ent.Folder{d}, min: new(int64(1234)), max: new(int64(1234)), glob: str("?*")},
		{name: "too small", active: true, folders: []*ent.Folder{c}, max: new(int64(1233))},
	}
	for _, h := range hooks {
		cr := client.Webhook.Create().SetName(h.name).SetURL("https://receiver.example/" + h.name).SetSigningSecret("whsec_x").
			SetActive(h.active).SetAllFolders(h.all).SetNillableFilter(h.filter).AddFolders(h.folders...).
			SetNillableMaxRequestsPerSecond(h.perSecond).SetOrdered(h.ordered).SetCreatedAt(now).SetUpdatedAt(now).
			SetContentTypes(h.types).SetNillableNameGlob(h.glob).SetNillableMinSizeBytes(h.min).SetNillableMaxSizeBytes(h.max)
		if h.delays != nil {
			cr.SetRetryDelays(h.delays)
		}
		if _, err := cr.Save(ctx); err != nil {
			t.Fatal(err)
		}
	}
	all, err := client.Webhook.Query().WithFolders().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := map[int]string{}
	for _, h := range all {
		names[h.ID] = h.Name
	}
	return &uploadFixture{ctx: ctx, db: db, client: client, svc: svc, a: a, b: b, c: c, d: d, hooks: all, hookName: names}
}

// uploadCall is what is compared of a call: every column but the IDs (its
// own, its file's, in file_id and the payload, and its webhook's and
// folder's, which view checks), so that stores on two databases compare.
type uploadCall struct {
	Webhook, Origin, Filter, Filters, Target string
	WebhookName                              string
	Kind, Status, FileName, FolderName       string
	AttemptCount                             int
	Payload                                  map[string]any
	Delays                                   []string
	CreatedAt, UpdatedAt                     time.Time
	Paced, Waiting, Ordered                  bool
}

// view is what is compared of the calls of file f, in the order of their
// webhooks.
func (fx *uploadFixture) view(t *testing.T, f *ent.File, folderID int, calls []*ent.WebhookCall) []uploadCall {
	t.Helper()
	var out []uploadCall
	for _, c := range calls {
		if *c.FileID != f.ID {
			t.Errorf("call %d: file %d, want %d", c.ID, *c.FileID, f.ID)
		}
		var p map[string]any
		if err := json.Unmarshal([]byte(c.Payload), &p); err != nil {
			t.Fatal(err)
		}
		if p["file_id"] != float64(f.ID) || p["download_url"] != fx.svc.Files().DownloadURL(f.ID) {
			t.Errorf("call %d: payload %s: want file %d and its link", c.ID, c.Payload, f.ID)
		}
		delete(p, "file_id")
		delete(p, "download_url")
		if name := fx.hookName[*c.WebhookID]; name != c.WebhookName {
			t.Errorf("call %d: webhook %d is %q, the call says %q", c.ID, *c.WebhookID, name, c.WebhookName)
		}
		if p["folder_id"] != float64(*c.FolderID) || *c.FolderID != folderID {
			t.Errorf("call %d: folder %d, payload's %v; want %d", c.ID, *c.FolderID, p["folder_id"], folderID)
		}
		delete(p, "folder_id")
		v := uploadCall{Webhook: c.WebhookName, Origin: string(*c.Origin), Target: c.TargetURL, WebhookName: c.WebhookName,
			Kind: string(c.Kind), Status: string(c.Status), FileName: c.FileName, FolderName: c.FolderName,
			AttemptCount: c.AttemptCount, Payload: p, Delays: c.RetryDelays,
			CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), Paced: c.NextAttemptAt != nil, Waiting: c.WaitReason != nil,
			Ordered: c.Ordered}
		if c.Filter != nil {
			v.Filter = "=" + *c.Filter
		}
		if c.Filters != nil {
			v.Filters = "=" + *c.Filters
		}
		if c.ResponseStatus != nil || c.Error != nil || c.CompletedAt != nil || c.LeaseUntil != nil || c.Test || c.RetryBase != 0 {
			t.Errorf("call %d: %+v: not a new call", c.ID, c)
		}
		out = append(out, v)
	}
	slices.SortFunc(out, func(x, y uploadCall) int { return cmpStr(x.Webhook, y.Webhook) })
	return out
}

// check checks that file f, stored in folder fol with calls, is in the
// database as returned, and returns the view of its calls.
func (fx *uploadFixture) check(t *testing.T, f *ent.File, fol *ent.Folder, calls []*ent.WebhookCall) []uploadCall {
	t.Helper()
	got, err := fx.client.File.Query().Where(file.ID(f.ID)).WithFolder().Only(fx.ctx)
	if err != nil {
		t.Fatalf("file %d not stored: %v", f.ID, err)
	}
	if got.Name != f.Name || got.ContentType != f.ContentType || got.SizeBytes != f.SizeBytes || got.StorageKey != f.StorageKey ||
		got.Sha256 != f.Sha256 || !got.CreatedAt.Equal(f.CreatedAt) || got.Edges.Folder.ID != fol.ID {
		t.Errorf("stored file %+v, returned %+v", got, f)
	}
	stored, err := fx.client.WebhookCall.Query().Where(webhookcall.FileID(f.ID)).Order(ent.Asc(webhookcall.FieldID)).All(fx.ctx)
	if err != nil {
		t.Fatal(err)
	}
	v := fx.view(t, f, fol.ID, calls)
	if back := fx.view(t, f, fol.ID, stored); !reflect.DeepEqual(v, back) {
		t.Errorf("returned calls\n%+v\nstored\n%+v", v, back)
	}
	if ev, _ := json.Marshal(calls); len(calls) > 0 && !json.Valid(ev) {
		t.Errorf("calls do not marshal: %s", ev)
	}
	return v
}

// checkMatches checks that calls (a view) are to the webhooks that a file
// name in folder fol matches, as appliesTo decides (the fixture's files are
// video/quicktime of 1234 bytes).
func (fx *uploadFixture) checkMatches(t *testing.T, fol *ent.Folder, name string, calls []uploadCall) {
	t.Helper()
	var want []string
	for _, h := range fx.hooks {
		inFolder := slices.ContainsFunc(h.Edges.Folders, func(f *ent.Folder) bool { return f.ID == fol.ID })
		if h.Active && (h.AllFolders || inFolder) && webhooks.FilterOf(h).Matches(name, "video/quicktime", 1234) {
			want = append(want, h.Name)
		}
	}
	var got []string
	for _, v := range calls {
		got = append(got, v.Webhook)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s in %s: calls to webhooks %v, want %v", name, fol.Name, got, want)
	}
}

// A file whose write fails midway leaves neither the file nor any call;
// so does a failure after it in the transaction of a direct upload. (The
// failure is a CHECK constraint added for the test: PostgreSQL's stores.)
func TestStoreFileAllOrNothing(t *testing.T) {
	t.Parallel()
	for _, store := range []string{"postgres", "ent"} {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			testStoreFileAllOrNothing(t, store)
		})
	}
}

func testStoreFileAllOrNothing(t *testing.T, store string) {
	ctx := context.Background()
	db, client, svc := newStoreService(t, store, webhooks.Config{}, webhooks.Deps{})
	now := time.Now()
	fol, err := client.Folder.Create().SetName("f").SetCreatedAt(now).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"fine", "boom"} {
		if _, err := client.Webhook.Create().SetName(name).SetURL("https://receiver.example/").SetSigningSecret("whsec_x").
			SetActive(true).AddFolders(fol).SetCreatedAt(now).SetUpdatedAt(now).Save(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// The second call's insert fails, after the file's and the first call's.
	if _, err := db.ExecContext(ctx, `ALTER TABLE webhook_calls ADD CONSTRAINT no_boom CHECK (webhook_name <> 'boom')`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.StoreFile(ctx, fol.ID, "a.mov", nil); err == nil {
		t.Fatal("stored, want the constraint's error")
	}
	if _, err := db.ExecContext(ctx, `ALTER TABLE webhook_calls DROP CONSTRAINT no_boom`); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("upload settled elsewhere")
	if _, _, err := svc.StoreFile(ctx, fol.ID, "b.mov", failed); !errors.Is(err, failed) {
		t.Fatalf("err = %v, want %v", err, failed)
	}
	files, err := client.File.Query().Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	calls, err := client.WebhookCall.Query().Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if files != 0 || calls != 0 {
		t.Errorf("%d files and %d calls left, want none", files, calls)
	}
	// And the next file is stored whole.
	if _, calls, err := svc.StoreFile(ctx, fol.ID, "c.mov", nil); err != nil || len(calls) != 2 {
		t.Errorf("next file: %d calls, %v", len(calls), err)
	}
}

// An attempt's outcome, as each store records it: the call's new state,
// the attempt and what the call answers, the same column for column
// whichever store wrote them; on PostgreSQL also as many attempts recorded
// together in one statement. What the call answers has the fetches of its
// link made during the attempt (after the claim), not those it was claimed
// with. Nothing is written for a call that is no longer RUNNING.
func TestStoreRecordsAttempts(t *testing.T) {
	t.Parallel()
	delays := []time.Duration{time.Minute, 10 * time.Minute}
	headers := []schema.RequestHeader{
		{Name: "webhook-id", Value: "msg_1"},
		{Name: "Authorization", Value: "Bea…"},
		{Name: "X-Émoji", Value: "✓ \"quoted\" <tag>"},
	}
	cases := []struct {
		name     string
		attempts int // made before this one
		resp     sender.Response
	}{
		{"success", 0, sender.Response{Status: 200, Body: "ok", Duration: 12 * time.Millisecond, RequestHeaders: headers}},
		{"failure retried", 0, sender.Response{Status: 500, Body: "oops", Duration: time.Second, Err: errors.New("HTTP 500"), RequestHeaders: headers}},
		{"failure after the last delay", 2, sender.Response{Status: 503, Duration: 3 * time.Millisecond, Err: errors.New("HTTP 503"), RequestHeaders: headers}},
		{"gone", 1, sender.Response{Status: http.StatusGone, Body: "bye", Err: errors.New("HTTP 410"), RequestHeaders: headers}},
		{"retry after", 0, sender.Response{Status: 429, Duration: time.Millisecond, Err: errors.New("HTTP 429"), RetryAfter: "30"}},
		{"no answer", 0, sender.Response{Duration: 2 * time.Second, Err: errors.New("timeout after 2s"), RequestHeaders: nil}},
		{"no headers recorded", 0, sender.Response{Status: 204, RequestHeaders: []schema.RequestHeader{}}},
	}
	// rows[writer][case] is what the writer left: the call, what finish
	// answered, and the attempt, IDs cleared.
	type rows struct{ call, written, attempt string }
	writers := append(slices.Clone(contractStores), "postgres together")
	got := make([][]rows, len(writers))
	t.Run("stores", func(t *testing.T) {
		for w, writer := range writers {
			t.Run(writer, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				store, together := strings.CutSuffix(writer, " together")
				clock := testenv.NewClock(time.Date(2026, 3, 4, 5, 6, 7, 891011000, time.UTC))
				_, client, svc := newStoreService(t, store, webhooks.Config{}, webhooks.Deps{Clock: clock})
				hook, err := client.Webhook.Create().SetName("w").SetURL("https://receiver.example/hook").SetSigningSecret("whsec_x").
					SetCreatedAt(clock.Now()).SetUpdatedAt(clock.Now()).Save(ctx)
				if err != nil {
					t.Fatal(err)
				}
				newCall := func(attempts int, status webhookcall.Status) *ent.WebhookCall {
					t.Helper()
					c, err := client.WebhookCall.Create().
						SetKind(webhookcall.KindDELIVERY).SetStatus(status).SetWebhookID(hook.ID).
						SetTargetURL("https://receiver.example/hook").SetWebhookName("w").
						SetPayload(`{"old":true}`).SetAttemptCount(attempts).
						SetCreatedAt(clock.Now().Add(-time.Hour)).SetUpdatedAt(clock.Now()).
						Save(ctx)
					if err != nil {
						t.Fatal(err)
					}
					return c
				}
				// fetch counts fetches of the calls' links while their attempts
				// are in flight: case i's call is fetched i times, the last
				// one complete if i is even.
				fetch := func(i int, calls ...*ent.WebhookCall) {
					t.Helper()
					for _, c := range calls {
						for n := range i {
							complete := n == i-1 && i%2 == 0
							f := files.Fetch{CallID: c.ID, At: clock.Now().Add(time.Duration(n-i) * time.Millisecond),
								Bytes: int64(100 * (n + 1)), Complete: &complete}
							if _, err := svc.Files().RecordFetch(ctx, f); err != nil {
								t.Fatal(err)
							}
						}
					}
				}
				for i, tc := range cases {
					started := clock.Now()
					clock.Advance(time.Second)
					c := newCall(tc.attempts, webhookcall.StatusRUNNING)
					var written *ent.WebhookCall
					if together {
						other := newCall(tc.attempts, webhookcall.StatusRUNNING)
						fetch(i, c, other)
						outs, errs, err := svc.FinishTogether(ctx, []*ent.WebhookCall{c, other},
							started, `{"new":true}`, []sender.Response{tc.resp, tc.resp}, delays)
						if err == nil {
							written, err = outs[0], errors.Join(errs...)
						}
						if err != nil {
							t.Fatalf("%s: %v", tc.name, err)
						}
						if outs[1].FetchCount != i {
							t.Errorf("%s: the other call answers %d fetches, want %d", tc.name, outs[1].FetchCount, i)
						}
					} else {
						fetch(i, c)
						if written, err = svc.Finish(ctx, c, started, `{"new":true}`, tc.resp, delays); err != nil {
							t.Fatalf("%s: %v", tc.name, err)
						}
					}
					if written.FetchCount != i || (i > 0) != (written.FetchedFirstAt != nil) {
						t.Errorf("%s: answers %d fetches (first at %v), want %d", tc.name, written.FetchCount, written.FetchedFirstAt, i)
					}
					stored, err := client.WebhookCall.Query().Where(webhookcall.ID(c.ID)).WithAttempts().Only(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if len(stored.Edges.Attempts) != 1 {
						t.Fatalf("%s: %d attempts recorded, want 1", tc.name, len(stored.Edges.Attempts))
					}
					a := stored.Edges.Attempts[0]
					if want := len(tc.resp.RequestHeaders); len(a.RequestHeaders) != want {
						t.Errorf("%s: %d request headers recorded, want %d", tc.name, len(a.RequestHeaders), want)
					}
					stored.ID, written.ID, a.ID, a.CallID = 0, 0, 0, 0
					stored.WebhookID, written.WebhookID = nil, nil
					r := rows{describe(stored), describe(written), describe(a)}
					if r.written != r.call { // what finish returns is the row as written
						t.Errorf("%s: returned %s, stored %s", tc.name, r.written, r.call)
					}
					got[w] = append(got[w], r)
				}
				if store == "postgres" {
					if n := svc.PreparedStatements(); n < 1 {
						t.Errorf("%d statements prepared, want the writer's", n)
					}
				}
				// Nothing is written for a call that is no longer RUNNING here,
				// alone or beside one that is.
				done := newCall(0, webhookcall.StatusSUCCEEDED)
				if together {
					running := newCall(0, webhookcall.StatusRUNNING)
					resp := sender.Response{Status: 200}
					_, errs, err := svc.FinishTogether(ctx, []*ent.WebhookCall{running, done}, clock.Now(), `{}`, []sender.Response{resp, resp}, delays)
					if err != nil {
						t.Fatal(err)
					}
					if errs[0] != nil || errs[1] == nil {
						t.Errorf("together: errors %v; want none for the running call, one for the other", errs)
					}
					if n := client.WebhookCall.Query().Where(webhookcall.ID(running.ID)).QueryAttempts().CountX(ctx); n != 1 {
						t.Errorf("together: the running call has %d attempts, want 1", n)
					}
				} else if _, err := svc.Finish(ctx, done, clock.Now(), `{}`, sender.Response{Status: 200}, delays); err == nil {
					t.Error("recorded an attempt of a call that is not running")
				}
				if n := client.WebhookCall.Query().Where(webhookcall.ID(done.ID)).QueryAttempts().CountX(ctx); n != 0 {
					t.Errorf("%d attempts of a call that is not running", n)
				}
				if got := client.WebhookCall.GetX(ctx, done.ID).Status; got != webhookcall.StatusSUCCEEDED {
					t.Errorf("the call that was not running is now %s", got)
				}
			})
		}
	})
	for w := 1; w < len(writers); w++ {
		for i, tc := range cases {
			if len(got[0]) <= i || len(got[w]) <= i {
				return // a writer failed above
			}
			if got[w][i] != got[0][i] {
				t.Errorf("%s: the %s and %s stores differ:\n calls:    %s\n          %s\n attempts: %s\n          %s",
					tc.name, writers[0], writers[w], got[0][i].call, got[w][i].call, got[0][i].attempt, got[w][i].attempt)
			}
		}
	}
}

// describe prints every field of a row, times in UTC, pointers followed.
func describe(v any) string {
	rv := reflect.Indirect(reflect.ValueOf(v))
	out := ""
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		if !f.IsExported() || f.Name == "Edges" {
			continue
		}
		fv := rv.Field(i)
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				out += f.Name + "=nil "
				continue
			}
			fv = fv.Elem()
		}
		x := fv.Interface()
		if tm, ok := x.(time.Time); ok {
			x = tm.UTC().Format(time.RFC3339Nano)
		}
		out += fmt.Sprintf("%s=%#v ", f.Name, x)
	}
	return out
}

func derefStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
