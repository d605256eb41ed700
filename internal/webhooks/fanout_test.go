package webhooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// fanOutFolder creates a folder with n active webhooks to rc and returns
// the folder's ID and the webhooks' IDs.
func fanOutFolder(t *testing.T, s *testenv.Server, rc *testenv.Receiver, n int) (string, []string) {
	t.Helper()
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "fan-out"}) { id } }`, nil, &f)
	var hooks []string
	for i := range n {
		var w struct{ CreateWebhook struct{ ID string } }
		s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": fmt.Sprint("hook-", i), "url": rc.URL, "folderIDs": []string{f.CreateFolder.ID}, "active": true}}, &w)
		hooks = append(hooks, w.CreateWebhook.ID)
	}
	return f.CreateFolder.ID, hooks
}

// queuedTasks lists the tasks of the server's queue waiting to run.
func queuedTasks(t *testing.T, s *testenv.Server) []*asynq.TaskInfo {
	t.Helper()
	insp, q := s.Queue(), s.Env["SCOOPA_QUEUE"]
	pending, err := insp.ListPendingTasks(q)
	if err != nil {
		t.Fatal(err)
	}
	scheduled, err := insp.ListScheduledTasks(q)
	if err != nil {
		t.Fatal(err)
	}
	return append(pending, scheduled...)
}

// oneFileTask checks that the queue holds one task, a file task for want
// calls, and returns its payload.
func oneFileTask(t *testing.T, s *testenv.Server, want int) webhooks.DeliverFilePayload {
	t.Helper()
	tasks := queuedTasks(t, s)
	if len(tasks) != 1 || tasks[0].Type != webhooks.TypeDeliverFile {
		var got []string
		for _, tk := range tasks {
			got = append(got, tk.Type+" "+string(tk.Payload))
		}
		t.Fatalf("queued tasks %q, want one %s task", got, webhooks.TypeDeliverFile)
	}
	var p webhooks.DeliverFilePayload
	if err := json.Unmarshal(tasks[0].Payload, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.CallIDs) != want {
		t.Fatalf("the file task has calls %v, want %d", p.CallIDs, want)
	}
	return p
}

// deliveredOnce checks that every message reached the receiver exactly
// once, and that there are want of them.
func deliveredOnce(t *testing.T, rc *testenv.Receiver, want int) {
	t.Helper()
	seen := map[string]int{}
	for _, d := range rc.Deliveries() {
		seen[d.Header.Get("webhook-id")]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %s received %d times, want once", id, n)
		}
	}
	if len(seen) != want {
		t.Errorf("%d messages received, want %d", len(seen), want)
	}
}

// A new file's calls go in one task, which delivers each of them once.
func TestFileTaskDeliversAllCalls(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			env := map[string]string{}
			if kind == testenv.Postgres {
				env["TEST_NO_WORKER"] = "1"
			}
			s := testenv.StartServerWith(t, kind, testenv.Options{Env: env})
			rc := testenv.NewReceiver(t)
			folder, _ := fanOutFolder(t, s, rc, 3)
			uploadN(t, s, folder, 1)
			if kind == testenv.Postgres {
				oneFileTask(t, s, 3)
				testenv.StartWorker(t, s, nil)
			}
			waitAllSucceeded(t, s, 3, 60*time.Second)
			deliveredOnce(t, rc, 3)
		})
	}
}

// In a file task, a call whose webhook's concurrency limit is reached
// waits, with its reason, while the file's other calls go; it goes later.
func TestFileTaskCallWaitsForItsLimit(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, nil)
	free, held := testenv.NewReceiver(t), testenv.NewReceiver(t)
	gate := make(chan struct{})
	t.Cleanup(func() {
		select {
		case <-gate:
		default:
			close(gate)
		}
	})
	held.SetScript(func(int, http.ResponseWriter) int { <-gate; return 200 })
	folder, _ := fanOutFolder(t, s, free, 1)
	var w struct{ CreateWebhook struct{ ID string } }
	s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "one at a time", "url": held.URL, "folderIDs": []string{folder}, "active": true, "maxConcurrent": 1}}, &w)
	uploadN(t, s, folder, 2)
	// One file's call to the held receiver is in flight; the other waits
	// for it, and the free receiver has both files meanwhile.
	sawWaitReason(t, s, "concurrency limit: 1 request at a time")
	testenv.Eventually(t, 30*time.Second, "both files at the free receiver", func() bool { return len(free.Deliveries()) == 2 })
	if n := len(held.Deliveries()); n > 1 {
		t.Fatalf("%d requests at the receiver limited to one at a time, before the first was answered", n)
	}
	close(gate)
	waitAllSucceeded(t, s, 4, 60*time.Second)
	deliveredOnce(t, free, 2)
	deliveredOnce(t, held, 2)
}

// A worker claims a file's calls and dies before it sends them: after
// their lease the sweeper enqueues them again and each is delivered once.
func TestFileTaskWorkerDiesAfterClaim(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now())
	s := testenv.StartServerWith(t, testenv.Postgres, testenv.Options{Clock: clock, Env: map[string]string{"TEST_NO_WORKER": "1"}})
	rc := testenv.NewReceiver(t)
	folder, _ := fanOutFolder(t, s, rc, 2)
	uploadN(t, s, folder, 1)
	p := oneFileTask(t, s, 2)
	ctx := context.Background()
	svc := s.Service()
	claimed, err := svc.ClaimCalls(ctx, p.CallIDs)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim: %d calls, %v; want 2", len(claimed), err)
	}
	for _, c := range claimed {
		if c.Status != "RUNNING" || c.LeaseUntil == nil || !slices.Contains(p.CallIDs, c.ID) {
			t.Fatalf("claimed call %d: %s, lease %v", c.ID, c.Status, c.LeaseUntil)
		}
	}
	// Claimed again by the same task brought back (Asynq gives a dead
	// worker's task to another): nothing to take, the lease holds.
	if again, err := svc.ClaimCalls(ctx, p.CallIDs); err != nil || len(again) != 0 {
		t.Fatalf("claim under the lease: %d calls, %v; want none", len(again), err)
	}
	clock.Set(clock.Now().Add(staleAfter + time.Second))
	if n, err := svc.Recovery().Sweep(ctx); err != nil || n != 2 {
		t.Fatalf("Sweep = %d, %v; want the 2 stale calls", n, err)
	}
	testenv.StartWorker(t, s, clock)
	waitAllSucceeded(t, s, 2, 60*time.Second)
	deliveredOnce(t, rc, 2)
}

// The sweeper does not double a file task still queued; when the task is
// lost, it enqueues a file task for the calls again.
func TestFileTaskLostIsSwept(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now())
	s := testenv.StartServerWith(t, testenv.Postgres, testenv.Options{Clock: clock, Env: map[string]string{"TEST_NO_WORKER": "1"}})
	rc := testenv.NewReceiver(t)
	folder, _ := fanOutFolder(t, s, rc, 3)
	uploadN(t, s, folder, 1)
	oneFileTask(t, s, 3)
	ctx := context.Background()
	svc := s.Service()
	start := clock.Now()
	clock.Set(start.Add(2 * sweepAfter))
	if n, err := svc.Recovery().Sweep(ctx); err != nil || n != 3 {
		t.Fatalf("Sweep = %d, %v; want the 3 calls looked at", n, err)
	}
	oneFileTask(t, s, 3) // still the one task: the sweeper's was refused
	if _, err := s.Queue().DeleteAllPendingTasks(s.Env["SCOOPA_QUEUE"]); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.Recovery().Sweep(ctx); err != nil || n != 3 {
		t.Fatalf("Sweep = %d, %v; want the 3 calls looked at", n, err)
	}
	oneFileTask(t, s, 3)
	testenv.StartWorker(t, s, clock)
	waitAllSucceeded(t, s, 3, 60*time.Second)
	deliveredOnce(t, rc, 3)
}
