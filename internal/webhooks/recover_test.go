package webhooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// flakyQueue is an Enqueuer that records the calls it was given, and fails
// every enqueue while down.
type flakyQueue struct {
	mu        sync.Mutex
	calls     map[int]int // call ID -> times enqueued
	okLeft    int         // enqueues that succeed before it goes down; <0 = never down
	attempted int
}

func (q *flakyQueue) EnqueueContext(_ context.Context, t *asynq.Task, _ ...asynq.Option) (*asynq.TaskInfo, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.attempted++
	if q.okLeft == 0 {
		return nil, errors.New("redis: connection refused")
	}
	q.okLeft--
	var p webhooks.DeliverPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return nil, err
	}
	q.calls[p.CallID]++
	return &asynq.TaskInfo{}, nil
}

// recoverFixture is a Service on a database of its own with a webhook, and
// its queue.
type recoverFixture struct {
	svc   *webhooks.Service
	db    *ent.Client
	q     *flakyQueue
	clock *testenv.Clock
	hook  *ent.Webhook
}

func newRecoverFixture(t *testing.T, okLeft int) *recoverFixture {
	t.Helper()
	_, client, err := app.OpenPostgres(testenv.NewPostgresDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	f := &recoverFixture{db: client, q: &flakyQueue{calls: map[int]int{}, okLeft: okLeft}, clock: testenv.NewClock(time.Now())}
	f.svc, err = webhooks.New(webhooks.Config{SecretKey: []byte("0123456789abcdef0123")},
		webhooks.Deps{DB: client, Queue: f.q, Log: testenv.Logger(t, 0), Dialect: "postgres", Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	f.hook, err = client.Webhook.Create().SetName("w").SetURL("http://127.0.0.1:1/").SetActive(true).SetSigningSecret("x").Save(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// addCalls inserts n delivery calls of the fixture's webhook with a status,
// created at a time, each with 4 attempts.
func (f *recoverFixture) addCalls(t testing.TB, n int, status webhookcall.Status, at time.Time) []int {
	t.Helper()
	var ids []int
	for n > 0 {
		k := min(n, 1000)
		bulk := make([]*ent.WebhookCallCreate, k)
		for i := range bulk {
			bulk[i] = f.db.WebhookCall.Create().SetKind(webhookcall.KindDELIVERY).SetStatus(status).
				SetTargetURL(f.hook.URL).SetWebhookName(f.hook.Name).SetWebhookID(f.hook.ID).
				SetPayload(`{"file_id":1}`).SetAttemptCount(4).SetCreatedAt(at).SetUpdatedAt(at)
		}
		calls, err := f.db.WebhookCall.CreateBulk(bulk...).Save(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range calls {
			ids = append(ids, c.ID)
		}
		n -= k
	}
	return ids
}

// A queue that goes down in the middle of a recovery loses nothing: every
// selected call is PENDING with its fresh schedule in the database, the
// answer counts them all, the enqueueing stops at the first failure instead
// of waiting on the queue for each call, and the sweeper enqueues the rest.
// More calls than one batch holds, so that several batches run.
func TestRecoverSurvivesQueueOutage(t *testing.T) {
	t.Parallel()
	f := newRecoverFixture(t, 1500)
	ctx := context.Background()
	now := f.clock.Now()
	want := f.addCalls(t, 2500, webhookcall.StatusFAILED, now.Add(-time.Hour))
	f.addCalls(t, 3, webhookcall.StatusFAILED, now.Add(-3*time.Hour))      // before the range
	f.addCalls(t, 3, webhookcall.StatusSUCCEEDED, now.Add(-time.Hour))     // not FAILED
	f.addCalls(t, 3, webhookcall.StatusCANCELED, now.Add(-30*time.Minute)) // not asked for
	in := webhooks.RecoverInput{WebhookID: f.hook.ID, Since: now.Add(-2 * time.Hour), Until: now}

	if n, err := f.svc.Recovery().RecoverableCallCount(ctx, in); err != nil || n != 2500 {
		t.Fatalf("RecoverableCallCount = %d, %v; want 2500", n, err)
	}
	n, err := f.svc.Recovery().RecoverCalls(ctx, in)
	if err != nil || n != 2500 {
		t.Fatalf("RecoverCalls = %d, %v; want 2500", n, err)
	}
	if len(f.q.calls) != 1500 || f.q.attempted != 1501 {
		t.Errorf("%d calls enqueued in %d tries; want 1500 in 1501 (no more tries once the queue failed)", len(f.q.calls), f.q.attempted)
	}
	pending, err := f.db.WebhookCall.Query().Where(webhookcall.StatusEQ(webhookcall.StatusPENDING)).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != len(want) {
		t.Fatalf("%d calls PENDING, want %d", len(pending), len(want))
	}
	wanted := map[int]bool{}
	for _, id := range want {
		wanted[id] = true
	}
	for _, c := range pending {
		if !wanted[c.ID] || c.RetryBase != 4 || c.AttemptCount != 4 || c.CompletedAt != nil || c.NextAttemptAt != nil {
			t.Fatalf("call %d after recovery: retry base %d, %d attempts, completed %v, next %v", c.ID, c.RetryBase, c.AttemptCount, c.CompletedAt, c.NextAttemptAt)
		}
	}
	// The queue is back; the sweeper enqueues calls that wait too long.
	f.q.mu.Lock()
	f.q.okLeft, f.q.calls = -1, map[int]int{}
	f.q.mu.Unlock()
	f.clock.Advance(time.Minute)
	if _, err := f.svc.Recovery().Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if len(f.q.calls) == 0 {
		t.Fatal("the sweeper enqueued none of the recovered calls")
	}
	for id := range f.q.calls {
		if !wanted[id] {
			t.Errorf("the sweeper enqueued call %d, which was not recovered", id)
		}
	}
}

// One request recovers at most so many calls; more is refused, naming the
// bound, and nothing is changed.
func TestRecoverBound(t *testing.T) {
	t.Parallel()
	f := newRecoverFixture(t, -1)
	f.svc.SetMaxRecoverCalls(10)
	ctx := context.Background()
	now := f.clock.Now()
	f.addCalls(t, 11, webhookcall.StatusFAILED, now.Add(-time.Hour))
	in := webhooks.RecoverInput{WebhookID: f.hook.ID, Since: now.Add(-2 * time.Hour), Until: now}
	for name, op := range map[string]func() (int, error){
		"count":   func() (int, error) { return f.svc.Recovery().RecoverableCallCount(ctx, in) },
		"recover": func() (int, error) { return f.svc.Recovery().RecoverCalls(ctx, in) },
	} {
		_, err := op()
		var ie *problem.InputError
		if !errors.As(err, &ie) || ie.Field != "since" || !strings.Contains(ie.Message, "11 calls match; at most 10") {
			t.Errorf("%s: %v; want an input error on since naming 11 calls and the bound 10", name, err)
		}
	}
	if n, _ := f.db.WebhookCall.Query().Where(webhookcall.StatusEQ(webhookcall.StatusFAILED)).Count(ctx); n != 11 || len(f.q.calls) != 0 {
		t.Errorf("after refusals: %d calls FAILED (want 11), %d enqueued (want 0)", n, len(f.q.calls))
	}
	f.addCalls(t, 1, webhookcall.StatusFAILED, now.Add(-100*time.Minute))
	if n, err := f.svc.Recovery().RecoverCalls(ctx, webhooks.RecoverInput{WebhookID: f.hook.ID, Since: now.Add(-200 * time.Minute), Until: now.Add(-90 * time.Minute)}); err != nil || n != 1 {
		t.Errorf("a narrower range: %d, %v; want 1", n, err)
	}
}
