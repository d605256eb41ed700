package webhooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/hibiken/asynq"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/schema"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/operator"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
	"github.com/scoopa/webhooks/worker"
)

// raised records the operator events enqueued, every one: unlike Redis, it
// refuses no task ID twice, so an event raised twice shows twice.
type raised struct {
	mu     sync.Mutex
	events []operator.NotifyPayload
}

func (r *raised) EnqueueContext(_ context.Context, t *asynq.Task, _ ...asynq.Option) (*asynq.TaskInfo, error) {
	if t.Type() == operator.TypeNotify {
		var p operator.NotifyPayload
		if err := json.Unmarshal(t.Payload(), &p); err != nil {
			return nil, err
		}
		r.mu.Lock()
		r.events = append(r.events, p)
		r.mu.Unlock()
	}
	return &asynq.TaskInfo{}, nil
}

// calls answers the call IDs of the call.not_fetched events raised, in the
// order raised, and their data by call ID.
func (r *raised) calls(t *testing.T) ([]int, map[int]operator.CallNotFetchedData) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []int
	data := map[int]operator.CallNotFetchedData{}
	for _, p := range r.events {
		var ev struct {
			Type string
			Data operator.CallNotFetchedData
		}
		if err := json.Unmarshal(p.Body, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Type != operator.EventCallNotFetched || p.ID != fmt.Sprintf("op_call_not_fetched_%d", ev.Data.CallID) {
			t.Fatalf("event %s %s, want call.not_fetched named for its call", p.ID, p.Body)
		}
		ids = append(ids, ev.Data.CallID)
		data[ev.Data.CallID] = ev.Data
	}
	return ids, data
}

// The check of SCOOPA_OPERATOR_NOT_FETCHED_AFTER, on every store: a
// delivered call whose file nobody fetched is told of once its deadline
// passed, and once only, by however many runs at once or after; a call
// fetched before the check, a test call, a failed call, a validation and
// a call past the lookback are never told of; a run tells of at most its
// batch, those delivered first first, and the next runs of the rest.
func TestNotFetchedOnce(t *testing.T) {
	t.Parallel()
	for _, st := range contractStores {
		t.Run(st, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			clock := testenv.NewClock(t0)
			ops := &raised{}
			_, client, svc := newStoreService(t, st, webhooks.Config{
				Operator:        operator.Config{URL: "https://ops.example/hooks", Secret: operatorSecret},
				NotFetchedAfter: time.Hour,
			}, webhooks.Deps{Queue: ops, Clock: clock})
			fol, err := client.Folder.Create().SetName("f").SetCreatedAt(t0).Save(ctx)
			if err != nil {
				t.Fatal(err)
			}
			wh, err := client.Webhook.Create().SetName("partner").SetURL("https://receiver.example/hook?key=s3cr3t").SetSigningSecret("whsec_x").
				SetActive(true).AddFolders(fol).SetCreatedAt(t0).SetUpdatedAt(t0).Save(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// 24 delivered calls, one a second from t0; the first is fetched
			// (after its deadline, but before any check), the second FAILED.
			var ids []int
			for i := range 24 {
				_, calls, err := svc.StoreFile(ctx, fol.ID, fmt.Sprintf("f%02d.mov", i), nil)
				if err != nil || len(calls) != 1 {
					t.Fatalf("file %d: %d calls, %v", i, len(calls), err)
				}
				status := webhookcall.StatusSUCCEEDED
				if i == 1 {
					status = webhookcall.StatusFAILED
				}
				if err := client.WebhookCall.UpdateOneID(calls[0].ID).SetStatus(status).SetAttemptCount(1).
					SetCompletedAt(t0.Add(time.Duration(i) * time.Second)).Exec(ctx); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, calls[0].ID)
			}
			fetched, failed, told := ids[0], ids[1], ids[2:]
			if _, err := svc.Files().RecordFetch(ctx, files.Fetch{CallID: fetched, At: t0.Add(2 * time.Hour), Bytes: 1}); err != nil {
				t.Fatal(err)
			}
			// Never told of either: a test call, a validation, and a call
			// delivered more than the lookback before its deadline.
			others := map[string]int{}
			for name, c := range map[string]*struct {
				kind webhookcall.Kind
				test bool
				at   time.Time
			}{
				"test":       {webhookcall.KindDELIVERY, true, t0},
				"validation": {webhookcall.KindVALIDATION, false, t0},
				"old":        {webhookcall.KindDELIVERY, false, t0.Add(-webhooks.NotFetchedLookback - time.Minute)},
			} {
				call, err := client.WebhookCall.Create().SetKind(c.kind).SetTest(c.test).SetWebhookID(wh.ID).SetWebhookName(wh.Name).
					SetTargetURL(wh.URL).SetFileName(name + ".mov").SetPayload("{}").SetStatus(webhookcall.StatusSUCCEEDED).
					SetCreatedAt(c.at).SetCompletedAt(c.at).Save(ctx)
				if err != nil {
					t.Fatal(err)
				}
				others[name] = call.ID
			}
			run := func() int {
				t.Helper()
				n, err := svc.Recovery().NotFetched(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}

			// Before the deadline of the first: nothing.
			clock.Set(t0.Add(time.Hour - time.Second))
			if n := run(); n != 0 {
				t.Fatalf("before the deadline: %d told, want 0", n)
			}
			// Past every deadline, the batch at 5: the five delivered first.
			clock.Set(t0.Add(2 * time.Hour))
			svc.SetNotFetchedBatch(5)
			if n := run(); n != 5 {
				t.Fatalf("one run with a batch of 5: %d told", n)
			}
			if got, _ := ops.calls(t); !slices.Equal(sorted(got), told[:5]) {
				t.Fatalf("first batch told of %v, want the five delivered first %v", got, told[:5])
			}
			// Eight runs at once tell of the 17 others, each once.
			svc.SetNotFetchedBatch(0)
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for range 8 {
				wg.Go(func() {
					n, err := svc.Recovery().NotFetched(ctx)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				})
			}
			wg.Wait()
			if total != len(told)-5 {
				t.Errorf("eight runs at once told %d calls, want %d", total, len(told)-5)
			}
			clock.Advance(time.Minute)
			if n := run(); n != 0 {
				t.Errorf("a run after them told %d, want 0", n)
			}
			got, data := ops.calls(t)
			if !slices.Equal(sorted(got), told) {
				t.Errorf("told of %v, want each of %v once (not %d fetched, %d failed, nor %v)", sorted(got), told, fetched, failed, others)
			}
			d := data[told[0]]
			if d.WebhookID == nil || *d.WebhookID != wh.ID || d.WebhookName != "partner" || d.FileName != "f02.mov" ||
				d.FolderID == nil || *d.FolderID != fol.ID || d.FileID == nil || d.NotFetchedAfter != "1h" ||
				!d.DeliveredAt.Equal(t0.Add(2*time.Second)) || !d.Deadline.Equal(t0.Add(time.Hour+2*time.Second)) {
				t.Errorf("data %+v, want the call of f02.mov, delivered at t0+2s, deadline an hour later", d)
			}
			if strings.Contains(d.TargetURL, "s3cr3t") {
				t.Errorf("target_url %q shows the query value", d.TargetURL)
			}
			// The mark stays: a fetch now changes nothing, and nothing is told again.
			if c, err := client.WebhookCall.Get(ctx, told[0]); err != nil || c.NotFetchedToldAt == nil || !c.NotFetchedToldAt.Equal(t0.Add(2*time.Hour)) {
				t.Errorf("call %d: %v, %v; want marked at t0+2h", told[0], c, err)
			}
			for _, id := range append([]int{fetched, failed}, others["test"], others["validation"], others["old"]) {
				if c, err := client.WebhookCall.Get(ctx, id); err != nil || c.NotFetchedToldAt != nil {
					t.Errorf("call %d: %v, %v; want not marked", id, c, err)
				}
			}
		})
	}
}

func sorted(ids []int) []int {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

// With SCOOPA_OPERATOR_NOT_FETCHED_AFTER unset, nothing is looked for: no
// periodic task is scheduled, and a run reads nothing (here, from a
// database already closed) and tells of nothing.
func TestNotFetchedOff(t *testing.T) {
	t.Parallel()
	for _, cfg := range []webhooks.Config{
		{Operator: operator.Config{URL: "https://ops.example/hooks", Secret: operatorSecret}},
		{}, // no operator webhook either
	} {
		ops := &raised{}
		_, client, svc := newStoreService(t, "sqlite", cfg, webhooks.Deps{Queue: ops})
		for _, p := range worker.PeriodicTasks(svc, worker.Periods{}) {
			if p.Task.Type() == webhooks.TypeNotFetched {
				t.Errorf("%s scheduled with the setting off", p.Task.Type())
			}
		}
		client.Close()
		if n, err := svc.Recovery().NotFetched(context.Background()); n != 0 || err != nil {
			t.Errorf("NotFetched = %d, %v; want 0 and no query", n, err)
		}
		if got, _ := ops.calls(t); len(got) != 0 {
			t.Errorf("told of %v with the setting off", got)
		}
	}
	_, _, on := newStoreService(t, "sqlite", webhooks.Config{
		Operator:        operator.Config{URL: "https://ops.example/hooks", Secret: operatorSecret},
		NotFetchedAfter: 6 * time.Hour,
	}, webhooks.Deps{Queue: &raised{}})
	var every time.Duration
	for _, p := range worker.PeriodicTasks(on, worker.Periods{}) {
		if p.Task.Type() == webhooks.TypeNotFetched {
			every = p.Every
		}
	}
	if every != time.Minute {
		t.Errorf("with 6h, %s every %v, want every minute", webhooks.TypeNotFetched, every)
	}
	if _, err := webhooks.New(webhooks.Config{SecretKey: []byte("0123456789abcdef0123"), NotFetchedAfter: time.Hour}, webhooks.Deps{}); err == nil ||
		!strings.Contains(err.Error(), "operator webhook") {
		t.Errorf("the setting without an operator webhook: %v, want refused", err)
	}
}

// End to end, on both backends: the operator webhook (an httptest
// receiver) gets one call.not_fetched, signed, for the delivered file its
// receiver did not fetch within SCOOPA_OPERATOR_NOT_FETCHED_AFTER, none for
// the one it fetched, and no second one however often the check runs;
// counted in scoopa_operator_events_total. Without the setting, none.
func TestOperatorCallNotFetched(t *testing.T) {
	for _, kind := range testenv.Kinds {
		for _, on := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/on=%v", kind, on), func(t *testing.T) {
				t.Parallel()
				env := map[string]string{}
				if on {
					env["SCOOPA_OPERATOR_NOT_FETCHED_AFTER"] = "1h"
				}
				h := startHealthWith(t, kind, env)
				t0 := h.clock.Now()
				for _, name := range []string{"fetched.bin", "ignored.bin"} {
					if c := h.deliver(t, name); c.Status != "SUCCEEDED" {
						t.Fatalf("call of %s %+v, want SUCCEEDED", name, c)
					}
				}
				for _, d := range h.rc.Deliveries() {
					p := d.JSON(t)
					if p["file_name"] != "fetched.bin" {
						continue
					}
					u, err := url.Parse(strings.Replace(p["download_url"].(string), "http://localhost:8080", h.s.URL, 1))
					if err != nil {
						t.Fatal(err)
					}
					resp, err := http.Get(u.String())
					if err != nil || resp.StatusCode != 200 {
						t.Fatalf("fetch %s: %v, %v", u, resp, err)
					}
					resp.Body.Close()
				}
				var fetchedID, ignoredID string
				testenv.Eventually(t, 20*time.Second, "the fetch counted", func() bool {
					var r struct {
						WebhookCalls struct {
							Edges []struct {
								Node struct {
									ID, FileName string
									Fetch        *struct{ Count int }
								}
							}
						}
					}
					h.s.MustDo(t, `{ webhookCalls(where: {kind: DELIVERY}) { edges { node { id fileName fetch { count } } } } }`, nil, &r)
					counted := false
					for _, e := range r.WebhookCalls.Edges {
						switch e.Node.FileName {
						case "fetched.bin":
							fetchedID, counted = e.Node.ID, e.Node.Fetch != nil && e.Node.Fetch.Count == 1
						case "ignored.bin":
							ignoredID = e.Node.ID
						}
					}
					return counted
				})

				ctx := context.Background()
				check := func() int {
					t.Helper()
					n, err := h.s.Service().Recovery().NotFetched(ctx)
					if err != nil {
						t.Fatal(err)
					}
					h.s.WaitIdle(t)
					return n
				}
				h.clock.Set(t0.Add(59 * time.Minute))
				if n := check(); n != 0 {
					t.Fatalf("before the deadline: %d told", n)
				}
				h.clock.Set(t0.Add(61 * time.Minute))
				told := check() + check()
				if !on {
					if told != 0 || len(h.op.Deliveries()) != 0 {
						t.Fatalf("setting off: %d told, %d operator events", told, len(h.op.Deliveries()))
					}
					return
				}
				// The worker's own periodic run may have been first.
				if told > 1 {
					t.Errorf("two checks told %d calls, want 1 at most", told)
				}
				ev := h.waitEvents(t, 1)[0]
				if ev.Type != "call.not_fetched" || ev.ID != fmt.Sprintf("op_call_not_fetched_%d", int64(mustFloat(t, ignoredID))) ||
					ev.Data["call_id"] != mustFloat(t, ignoredID) || ev.Data["file_name"] != "ignored.bin" ||
					ev.Data["webhook_id"] != mustFloat(t, h.hook) || ev.Data["not_fetched_after"] != "1h" {
					t.Errorf("event %s %+v, want call.not_fetched of ignored.bin (call %s, not %s)", ev.ID, ev, ignoredID, fetchedID)
				}
				h.clock.Advance(time.Hour)
				if n := check(); n != 0 {
					t.Errorf("a later check told %d more", n)
				}
				if n := len(h.op.Deliveries()); n != 1 {
					t.Errorf("%d operator events, want 1", n)
				}
				if kind == testenv.Embedded {
					if got := h.metric(t, `scoopa_operator_events_total{outcome="delivered",type="call.not_fetched"}`); got != "1" {
						t.Errorf("scoopa_operator_events_total of call.not_fetched delivered = %q, want 1", got)
					}
				}
			})
		}
	}
}

// The mark of call.not_fetched is a compare-and-set, on every store: a
// call another run marked, or that was fetched, between a run's read and
// its UPDATE is not marked (nor answered) by that run. The competitor runs
// exactly there: when the run's read of calls has returned.
func TestMarkNotFetchedRace(t *testing.T) {
	t.Parallel()
	for _, st := range contractStores {
		t.Run(st, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			_, client, svc := newStoreService(t, st, webhooks.Config{}, webhooks.Deps{Clock: testenv.NewClock(t0)})
			store := svc.TheStore()
			fol, err := client.Folder.Create().SetName("f").SetCreatedAt(t0).Save(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := client.Webhook.Create().SetName("w").SetURL("https://receiver.example/").SetSigningSecret("whsec_x").
				SetActive(true).AddFolders(fol).SetCreatedAt(t0).SetUpdatedAt(t0).Save(ctx); err != nil {
				t.Fatal(err)
			}
			var ids []int
			for i := range 4 {
				_, calls, err := svc.StoreFile(ctx, fol.ID, fmt.Sprintf("f%d.mov", i), nil)
				if err != nil || len(calls) != 1 {
					t.Fatalf("file %d: %d calls, %v", i, len(calls), err)
				}
				if err := client.WebhookCall.UpdateOneID(calls[0].ID).SetStatus(webhookcall.StatusSUCCEEDED).
					SetCompletedAt(t0).Exec(ctx); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, calls[0].ID)
			}
			now := t0.Add(2 * time.Hour)
			due := webhookcall.And(
				func(sel *entsql.Selector) { sel.Where(entsql.ExprP(schema.CallNotFetchedWhere)) },
				webhookcall.CompletedAtLTE(now.Add(-time.Hour)),
			)
			// between returns a context whose first read of calls is followed
			// by meanwhile: after the run's read, before its UPDATE.
			client.WebhookCall.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
				return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
					v, err := next.Query(ctx, q)
					if f, ok := ctx.Value(meanwhileKey{}).(*func()); ok && *f != nil {
						run := *f
						*f = nil
						run()
					}
					return v, err
				})
			}))
			between := func(meanwhile func()) context.Context {
				return context.WithValue(ctx, meanwhileKey{}, &meanwhile)
			}

			// Call 0 is fetched meanwhile: the run marks the three others.
			marked, err := store.MarkNotFetched(between(func() {
				if _, err := svc.Files().RecordFetch(ctx, files.Fetch{CallID: ids[0], At: now, Bytes: 1}); err != nil {
					t.Fatal(err)
				}
			}), due, now, 10)
			if got := idsOfCalls(marked); err != nil || !slices.Equal(got, ids[1:]) {
				t.Fatalf("with call 0 fetched meanwhile: marked %v, %v; want %v", got, err, ids[1:])
			}
			// Two more unfetched calls, marked meanwhile by another run: this
			// run marks none.
			if n, err := client.WebhookCall.Update().Where(webhookcall.IDIn(ids[2:]...)).ClearNotFetchedToldAt().Save(ctx); err != nil || n != 2 {
				t.Fatal(n, err)
			}
			var theirs []int
			mine, err := store.MarkNotFetched(between(func() {
				other, err := store.MarkNotFetched(ctx, due, now.Add(time.Second), 10)
				if err != nil {
					t.Fatal(err)
				}
				theirs = idsOfCalls(other)
			}), due, now, 10)
			if err != nil || len(mine) != 0 || !slices.Equal(theirs, ids[2:]) {
				t.Errorf("marked by the run %v, %v, by the other meanwhile %v; want none, and %v", idsOfCalls(mine), err, theirs, ids[2:])
			}
			for _, id := range ids[2:] {
				if c, err := client.WebhookCall.Get(ctx, id); err != nil || c.NotFetchedToldAt == nil || !c.NotFetchedToldAt.Equal(now.Add(time.Second)) {
					t.Errorf("call %d: %v; want marked by the other run at %v", id, err, now.Add(time.Second))
				}
			}
		})
	}
}

type meanwhileKey struct{}

func idsOfCalls(calls []*ent.WebhookCall) []int {
	var ids []int
	for _, c := range calls {
		ids = append(ids, c.ID)
	}
	return ids
}
