package webhooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/wake"
)

// burst uploads n files into a folder with one active webhook pointing at
// rc and returns the file IDs.
func burst(t *testing.T, s *testenv.Server, rc *testenv.Receiver, n int) map[string]bool {
	t.Helper()
	return burstWith(t, s, rc, n, nil)
}

// burstWith is burst, calling after (if not nil) once the i-th upload was
// answered.
func burstWith(t *testing.T, s *testenv.Server, rc *testenv.Receiver, n int, after func(i int)) map[string]bool {
	t.Helper()
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "burst"}) { id } }`, nil, &f)
	s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "burst", "url": rc.URL, "folderIDs": []string{f.CreateFolder.ID}, "active": true}}, nil)
	ids := map[string]bool{}
	for i := range n {
		r := s.Upload(t, f.CreateFolder.ID, fmt.Sprintf("file-%04d.bin", i), "application/octet-stream", []byte("x"))
		if len(r.Errors) > 0 {
			t.Fatalf("upload %d: %+v", i, r.Errors)
		}
		var up struct{ UploadFile struct{ ID string } }
		_ = json.Unmarshal(r.Data, &up)
		ids[up.UploadFile.ID] = true
		if after != nil {
			after(i)
		}
	}
	return ids
}

// receivedFiles counts the deliveries per file ID.
func receivedFiles(t *testing.T, rc *testenv.Receiver) map[string]int {
	got := map[string]int{}
	for _, d := range rc.Deliveries() {
		var p struct {
			FileID json.Number `json:"file_id"`
		}
		_ = json.Unmarshal(d.Body, &p)
		got[p.FileID.String()]++
	}
	return got
}

// callCounts returns the number of delivery calls by status.
func callCounts(t *testing.T, s *testenv.Server) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, st := range []string{"PENDING", "RUNNING", "RETRYING", "SUCCEEDED", "FAILED", "CANCELED"} {
		var r struct{ WebhookCalls struct{ TotalCount int } }
		s.MustDo(t, `query($s: WebhookCallStatus!) { webhookCalls(where: {kind: DELIVERY, status: $s}) { totalCount } }`, map[string]any{"s": st}, &r)
		out[st] = r.WebhookCalls.TotalCount
	}
	return out
}

func waitAllSucceeded(t *testing.T, s *testenv.Server, n int, timeout time.Duration) {
	t.Helper()
	var last map[string]int
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		last = callCounts(t, s)
		if last["SUCCEEDED"] == n {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("after %s: calls by status %v, want all %d SUCCEEDED", timeout, last, n)
}

func checkNoneMissing(t *testing.T, ids map[string]bool, got map[string]int) (dups int) {
	t.Helper()
	for id := range ids {
		if got[id] == 0 {
			t.Errorf("file %s never reached the receiver", id)
		}
		dups += max(got[id]-1, 0)
	}
	return dups
}

// Test servers sweep with SCOOPA_SWEEP_INTERVAL=1s: a call waits
// sweepAfter (at least 5s) for its task before the sweeper enqueues it
// again, a RUNNING delivery is stale after its lease, the delivery timeout
// (2s in tests; none of these webhooks has its own) plus 5s, and a call
// still waiting lostAfter past its due time gets a task of
// a new ID (Redis may hold the old one with no task behind it).
const (
	sweepAfter = 5 * time.Second
	staleAfter = 7 * time.Second
	lostAfter  = 6 * sweepAfter
)

// Redis loses every task of the queue in the middle of a burst: the
// sweeper finds the calls in PostgreSQL and delivers them all.
func TestRedisFlushedDuringBurst(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now())
	s := testenv.StartServerWith(t, testenv.Postgres, testenv.Options{Clock: clock})
	rc := testenv.NewReceiver(t)
	// Deliveries wait at the gate until Redis was flushed, so that most
	// tasks are still queued when it happens.
	gate := make(chan struct{})
	rc.SetScript(func(int, http.ResponseWriter) int {
		select {
		case <-gate:
		case <-time.After(time.Second):
		}
		return 200
	})
	const n = 150
	opt, _ := redis.ParseURL(testenv.RedisURL())
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	// Halfway through the uploads, every task of this test's queue goes
	// (only this test's: the shared Redis holds other tests' data).
	flushed := -1
	ids := burstWith(t, s, rc, n, func(i int) {
		if i != n/2 {
			return
		}
		keys, err := rdb.Keys(context.Background(), "asynq:{"+s.Env["SCOOPA_QUEUE"]+"}:*").Result()
		if err != nil {
			t.Fatal(err)
		}
		flushed = len(rc.Deliveries())
		if len(keys) > 0 {
			rdb.Del(context.Background(), keys...)
		}
		close(gate)
		t.Logf("flushed %d keys of the queue after %d uploads and %d deliveries", len(keys), i+1, flushed)
	})
	if flushed < 0 || flushed >= n {
		t.Fatalf("flushed after %d deliveries of %d; want the flush in the middle of the burst", flushed, n)
	}
	// The sweeper's next run once the calls waited past sweepAfter (and
	// the calls in flight are not yet stale).
	clock.Advance(sweepAfter + time.Second)
	if _, err := s.Service().Recovery().Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitAllSucceeded(t, s, n, 90*time.Second)
	dups := checkNoneMissing(t, ids, receivedFiles(t, rc))
	t.Logf("duplicates: %d", dups)
}

// workerProcess, set in its environment, makes the test binary a worker
// process: what cmd/worker runs (configuration from the environment, then
// app.Work until SIGTERM), without building that binary first.
const workerProcess = "SCOOPA_TEST_WORKER_PROCESS"

func TestMain(m *testing.M) {
	if os.Getenv(workerProcess) == "1" {
		os.Exit(runWorkerProcess())
	}
	testenv.Main(m)
}

func runWorkerProcess() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	cfg, err := app.LoadConfig("scoopa-worker", nil, os.Getenv, os.Stderr)
	if err == nil {
		err = app.Work(ctx, cfg, app.NewLogger(cfg, os.Stderr))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "scoopa-worker:", err)
		return 1
	}
	return 0
}

// startWorker starts a worker process (one that can be killed) on env.
func startWorker(t *testing.T, env map[string]string) *exec.Cmd {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), workerProcess + "=1"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stderr = testLog{t}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_, _ = cmd.Process.Wait()
	})
	return cmd
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// The worker process is killed (SIGKILL) in the middle of a burst and
// started again: every call still ends SUCCEEDED and none is missing; the
// calls in flight at the kill may arrive twice.
func TestWorkerKilledDuringBurst(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now())
	s := testenv.StartServerWith(t, testenv.Postgres, testenv.Options{Env: map[string]string{"TEST_NO_WORKER": "1"}, Clock: clock})
	rc := testenv.NewReceiver(t)
	rc.SetScript(func(int, http.ResponseWriter) int { time.Sleep(20 * time.Millisecond); return 200 })
	const n, concurrency = 150, 10
	env := map[string]string{}
	for k, v := range s.Env {
		env[k] = v
	}
	env["SCOOPA_WORKER_CONCURRENCY"] = fmt.Sprint(concurrency)
	ids := burst(t, s, rc, n)
	w := startWorker(t, env)
	testenv.Eventually(t, 30*time.Second, "the first deliveries", func() bool { return len(rc.Deliveries()) >= 20 })
	if err := w.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_, _ = w.Process.Wait()
	atKill := len(rc.Deliveries())
	t.Logf("worker killed after %d of %d deliveries", atKill, n)
	if atKill >= n {
		t.Fatal("the burst was over before the kill; the test proves nothing")
	}
	// A worker comes back when the calls the killed one was making are
	// stale, and those whose task it had taken but not started are deemed
	// lost (their task ID is held until Asynq's lease on it runs out), and
	// the sweeper runs.
	clock.Set(time.Now().Add(max(staleAfter, lostAfter) + time.Second))
	testenv.StartWorker(t, s, clock)
	if _, err := s.Service().Recovery().Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitAllSucceeded(t, s, n, 90*time.Second)
	dups := checkNoneMissing(t, ids, receivedFiles(t, rc))
	if dups > concurrency {
		t.Errorf("%d duplicates, want at most the %d calls in flight at the kill", dups, concurrency)
	}
	t.Logf("duplicates: %d", dups)
}

// Redis loses a queued task but keeps its ID (a partial loss, such as an
// eviction under memory pressure): the ID alone would refuse the sweeper's
// usual enqueue for ever, yet the call is still delivered.
func TestTaskLostButItsIDKept(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now())
	s := testenv.StartServerWith(t, testenv.Postgres, testenv.Options{Env: map[string]string{"TEST_NO_WORKER": "1"}, Clock: clock})
	rc := testenv.NewReceiver(t)
	burst(t, s, rc, 1)
	opt, _ := redis.ParseURL(testenv.RedisURL())
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	q := s.Env["SCOOPA_QUEUE"]
	ctx := context.Background()
	ids, _ := rdb.Keys(ctx, "asynq:{"+q+"}:t:*").Result()
	if len(ids) != 1 {
		t.Fatalf("%d tasks in Redis, want 1: %v", len(ids), ids)
	}
	// The task waits in Asynq's scheduled set for its backstop, its entry in
	// the wake lane (package wake): both lost.
	if n, err := rdb.Del(ctx, "asynq:{"+q+"}:scheduled", wake.Key(q)).Result(); err != nil || n != 2 {
		t.Fatalf("deleting the scheduled set and the wake lane: %d, %v", n, err)
	}
	// Tasks waiting to run: pending, or due within the second (the
	// sweeper's, since Asynq's due times are whole seconds).
	pending := func() int64 {
		return rdb.LLen(ctx, "asynq:{"+q+"}:pending").Val() + rdb.ZCard(ctx, "asynq:{"+q+"}:scheduled").Val()
	}
	start := clock.Now()
	// Past sweepAfter, the sweeper finds the call, but Redis refuses the
	// usual task ID it still knows.
	clock.Set(start.Add(2 * sweepAfter))
	if n, err := s.Service().Recovery().Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want the call looked at", n, err)
	}
	if p := pending(); p != 0 {
		t.Fatalf("%d tasks pending after a sweep with the usual ID; the test proves nothing", p)
	}
	// Long past its due time, the sweeper enqueues it under a new ID.
	clock.Set(start.Add(time.Hour))
	if n, err := s.Service().Recovery().Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want the call looked at", n, err)
	}
	if p := pending(); p != 1 {
		t.Errorf("%d tasks pending after a sweep long past the due time, want 1", p)
	}
	testenv.StartWorker(t, s, clock)
	waitAllSucceeded(t, s, 1, 90*time.Second)
	if n := len(rc.Deliveries()); n != 1 {
		t.Errorf("%d deliveries, want 1", n)
	}
}
