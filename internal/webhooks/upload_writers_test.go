package webhooks_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/file"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// A new file's row and calls have two writers: one statement on
// PostgreSQL, ent's transaction elsewhere. On PostgreSQL both run on the
// same files and webhooks and must write the same calls, column for
// column, as appliesTo decides them: folders, all folders, inactive
// webhooks, filters with LIKE's wildcards and letters of any case.
func TestUploadWritersAgree(t *testing.T) {
	t.Parallel()
	fx := newUploadFixture(t)
	a, b, c := fx.a, fx.b, fx.c
	for i, tc := range []struct {
		folder *ent.Folder
		name   string
	}{
		{a, "clip.mov"}, {a, "CLIP.MOV"}, {a, "Clip.Mov.txt"}, {b, "clip.mov"}, {a, "plain"},
		{a, "100%_done.txt"}, {a, "a_b"}, {a, `back\slash`}, {a, "été.mov"}, {a, "İSTANBUL.MOV"},
		{a, "\u212a.txt"}, // KELVIN SIGN, which Go lowers to k
		{c, "ÉTÉ 2026.mov"}, {c, "été.mov"}, {c, "summer.mov"},
	} {
		t.Run(fmt.Sprintf("%d %s in %s", i, tc.name, tc.folder.Name), func(t *testing.T) {
			var views [2][]uploadCall
			for j, rawSQL := range []bool{false, true} {
				f, calls, err := fx.svc.StoreFileWith(fx.ctx, tc.folder.ID, tc.name, rawSQL, nil)
				if err != nil {
					t.Fatalf("rawSQL=%v: %v", rawSQL, err)
				}
				views[j] = fx.check(t, f, tc.folder, calls)
			}
			if !reflect.DeepEqual(views[0], views[1]) {
				t.Errorf("ent wrote\n%+v\nthe statement wrote\n%+v", views[0], views[1])
			}
			fx.checkMatches(t, tc.folder, tc.name, views[1])
		})
	}
}

// uploadFixture is a database of folders and webhooks on which files are
// stored by the writers of a new file, and compared.
type uploadFixture struct {
	ctx    context.Context
	db     *sql.DB
	client *ent.Client
	svc    *webhooks.Service
	// a, b and c ("Été") are folders; d has an ordered webhook. c has a
	// webhook whose filter is not ASCII.
	a, b, c, d *ent.Folder
	hooks      []*ent.Webhook // with their folders
}

func newUploadFixture(t *testing.T) *uploadFixture {
	t.Helper()
	ctx := context.Background()
	db, client, _ := newPostgresService(t, webhooks.Config{})
	clock := testenv.NewClock(time.Date(2026, 3, 4, 5, 6, 7, 891011000, time.UTC))
	opt, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	svc, err := webhooks.New(webhooks.Config{SecretKey: []byte("0123456789abcdef0123"), Queue: testenv.NewQueue(t), Platform: "mediapool"},
		webhooks.Deps{DB: client, Log: testenv.Logger(t, 0), Dialect: "postgres", Clock: clock, Redis: rdb})
	if err != nil {
		t.Fatal(err)
	}
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
		{name: "own schedule", active: true, folders: []*ent.Folder{a}, delays: []string{"1s", "2m"}},
		{name: "no retries", active: true, folders: []*ent.Folder{a}, delays: []string{}},
		{name: "limited", active: true, all: true, perSecond: new(10000)},
		{name: "unicode filter", active: true, folders: []*ent.Folder{c}, filter: str("ÉTÉ")},
		{name: "ordered", active: true, folders: []*ent.Folder{d}, filter: str(".mov"), ordered: true},
	}
	for _, h := range hooks {
		cr := client.Webhook.Create().SetName(h.name).SetURL("https://receiver.example/" + h.name).SetSigningSecret("whsec_x").
			SetActive(h.active).SetAllFolders(h.all).SetNillableFilter(h.filter).AddFolders(h.folders...).
			SetNillableMaxRequestsPerSecond(h.perSecond).SetOrdered(h.ordered).SetCreatedAt(now).SetUpdatedAt(now)
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
	return &uploadFixture{ctx: ctx, db: db, client: client, svc: svc, a: a, b: b, c: c, d: d, hooks: all}
}

// uploadCall is what is compared of a call: every column but its ID and
// the file's ID (in file_id and the payload).
type uploadCall struct {
	Webhook, Origin, Filter, Target, WebhookName string
	Kind, Status, FileName, FolderName           string
	FolderID, AttemptCount                       int
	Payload                                      map[string]any
	Delays                                       []string
	CreatedAt, UpdatedAt                         time.Time
	Paced, Waiting, Ordered                      bool
}

// view is what is compared of the calls of file f, in the order of their
// webhooks.
func (fx *uploadFixture) view(t *testing.T, f *ent.File, calls []*ent.WebhookCall) []uploadCall {
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
		if p["file_id"] != float64(f.ID) || p["download_url"] != fx.svc.FileDownloadURL(f.ID) {
			t.Errorf("call %d: payload %s: want file %d and its link", c.ID, c.Payload, f.ID)
		}
		delete(p, "file_id")
		delete(p, "download_url")
		v := uploadCall{Webhook: fmt.Sprint(*c.WebhookID), Origin: string(*c.Origin), Target: c.TargetURL, WebhookName: c.WebhookName,
			Kind: string(c.Kind), Status: string(c.Status), FileName: c.FileName, FolderName: c.FolderName,
			FolderID: *c.FolderID, AttemptCount: c.AttemptCount, Payload: p, Delays: c.RetryDelays,
			CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), Paced: c.NextAttemptAt != nil, Waiting: c.WaitReason != nil,
			Ordered: c.Ordered}
		if c.Filter != nil {
			v.Filter = "=" + *c.Filter
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
	v := fx.view(t, f, calls)
	if back := fx.view(t, f, stored); !reflect.DeepEqual(v, back) {
		t.Errorf("returned calls\n%+v\nstored\n%+v", v, back)
	}
	if ev, _ := json.Marshal(calls); len(calls) > 0 && !json.Valid(ev) {
		t.Errorf("calls do not marshal: %s", ev)
	}
	return v
}

// checkMatches checks that calls (a view) are to the webhooks that a file
// name in folder fol matches, as appliesTo decides.
func (fx *uploadFixture) checkMatches(t *testing.T, fol *ent.Folder, name string, calls []uploadCall) {
	t.Helper()
	var want []string
	for _, h := range fx.hooks {
		inFolder := slices.ContainsFunc(h.Edges.Folders, func(f *ent.Folder) bool { return f.ID == fol.ID })
		if h.Active && (h.AllFolders || inFolder) && webhooks.MatchesFilter(derefStr(h.Filter), name) {
			want = append(want, fmt.Sprint(h.ID))
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

// A file whose statement fails midway leaves neither the file nor any
// call; so does a failure after it in the transaction of a direct upload.
func TestUploadStatementAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, client, svc := newPostgresService(t, webhooks.Config{})
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
	if _, _, err := svc.StoreFileWith(ctx, fol.ID, "a.mov", true, nil); err == nil {
		t.Fatal("stored, want the constraint's error")
	}
	if _, err := db.ExecContext(ctx, `ALTER TABLE webhook_calls DROP CONSTRAINT no_boom`); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("upload settled elsewhere")
	if _, _, err := svc.StoreFileWith(ctx, fol.ID, "b.mov", true, failed); !errors.Is(err, failed) {
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
	if _, calls, err := svc.StoreFileWith(ctx, fol.ID, "c.mov", true, nil); err != nil || len(calls) != 2 {
		t.Errorf("next file: %d calls, %v", len(calls), err)
	}
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
