package webhooks_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// failoverBurst uploads n files into a folder with one active webhook
// pointing at rc, calling during(i) before upload i, and returns the file
// IDs.
func failoverBurst(t *testing.T, s *testenv.Server, rc *testenv.Receiver, n int, during func(i int)) map[string]bool {
	t.Helper()
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "burst"}) { id } }`, nil, &f)
	s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "burst", "url": rc.URL, "folderIDs": []string{f.CreateFolder.ID}, "active": true}}, nil)
	ids := map[string]bool{}
	for i := range n {
		during(i)
		r := s.Upload(t, f.CreateFolder.ID, fmt.Sprintf("file-%04d.bin", i), "application/octet-stream", []byte("x"))
		if len(r.Errors) > 0 {
			t.Fatalf("upload %d: %+v", i, r.Errors)
		}
		var up struct{ UploadFile struct{ ID string } }
		_ = json.Unmarshal(r.Data, &up)
		ids[up.UploadFile.ID] = true
	}
	return ids
}

// The Redis master dies (SIGKILL) in the middle of a burst, while files
// are still arriving and deliveries are in flight; Sentinel promotes the
// replica. The server and the worker, given the sentinels' URL, follow the
// new master: every call ends SUCCEEDED, none is missing at the receiver,
// and only calls in flight at the kill may arrive twice. Enqueues refused
// while no master answered, and writes the replica never got, are the
// sweeper's to redo (the calls wait in PostgreSQL).
func TestSentinelFailoverDuringBurst(t *testing.T) {
	t.Parallel()
	sn := testenv.StartSentinel(t)
	const n, concurrency = 200, 10
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{
		"SCOOPA_REDIS_URL":          sn.URL,
		"SCOOPA_WORKER_CONCURRENCY": fmt.Sprint(concurrency),
	})
	rc := testenv.NewReceiver(t)
	rc.SetScript(func(int, http.ResponseWriter) int { time.Sleep(20 * time.Millisecond); return 200 })
	var uploaded atomic.Int32
	type kill struct{ deliveries, uploadsBefore, uploadsAfter int }
	killed := make(chan kill, 1)
	ids := failoverBurst(t, s, rc, n, func(i int) {
		uploaded.Store(int32(i))
		if i == n/2 {
			// While the sentinels fail over, uploads go on.
			go func() {
				k := kill{deliveries: len(rc.Deliveries()), uploadsBefore: i}
				sn.KillMaster()
				k.uploadsAfter = int(uploaded.Load())
				killed <- k
			}()
		}
	})
	k := <-killed
	t.Logf("master killed after %d uploads and %d deliveries of %d; %d uploads while the sentinels failed over; new master %s",
		k.uploadsBefore, k.deliveries, n, k.uploadsAfter-k.uploadsBefore, sn.MasterAddr())
	waitAllSucceeded(t, s, n, 120*time.Second)
	dups := checkNoneMissing(t, ids, receivedFiles(t, rc))
	if dups > concurrency {
		t.Errorf("%d duplicates, want at most the %d calls in flight at the kill", dups, concurrency)
	}
	t.Logf("duplicates: %d", dups)
}

// The same burst on a Redis Cluster of three masters: the queue, the
// scheduler and the events work there (every key of a queue in one slot).
func TestClusterDeliversBurst(t *testing.T) {
	t.Parallel()
	c := testenv.StartCluster(t)
	const n = 100
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"SCOOPA_REDIS_URL": c.URL})
	rc := testenv.NewReceiver(t)
	ids := failoverBurst(t, s, rc, n, func(int) {})
	waitAllSucceeded(t, s, n, 120*time.Second)
	if dups := checkNoneMissing(t, ids, receivedFiles(t, rc)); dups > 0 {
		t.Errorf("%d duplicates with no fault", dups)
	}
	s.WaitIdle(t)
	// The scheduler's periodic tasks (unique per interval) run there too:
	// tasks are processed after every call was delivered.
	q := s.Env["SCOOPA_QUEUE"]
	idle, err := s.Queue().GetQueueInfo(q)
	if err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 30*time.Second, "a periodic task after the deliveries", func() bool {
		info, err := s.Queue().GetQueueInfo(q)
		return err == nil && info.Processed > idle.Processed
	})
}

// A failover may bring back a task the old master had already finished
// (its removal never reached the replica): the task runs again, finds its
// call SUCCEEDED, and calls nobody.
func TestFinishedTaskBroughtBackDoesNothing(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, nil)
	rc := testenv.NewReceiver(t)
	burst(t, s, rc, 1)
	waitAllSucceeded(t, s, 1, 30*time.Second)
	var calls struct {
		WebhookCalls struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	s.MustDo(t, `{ webhookCalls(where: {kind: DELIVERY}) { edges { node { id } } } }`, nil, &calls)
	if len(calls.WebhookCalls.Edges) != 1 {
		t.Fatalf("calls: %+v", calls)
	}
	id, err := strconv.Atoi(calls.WebhookCalls.Edges[0].Node.ID)
	if err != nil {
		t.Fatal(err)
	}
	rdb := testenv.OpenRedis(t)
	queue := asynq.NewClientFromRedisClient(rdb)
	payload, _ := json.Marshal(webhooks.DeliverPayload{CallID: id})
	before, err := s.Queue().GetQueueInfo(s.Env["SCOOPA_QUEUE"])
	if err != nil {
		t.Fatal(err)
	}
	// Under its first attempt's task ID, which the worker has finished.
	taskID := fmt.Sprintf("call:%d:1", id)
	if _, err := queue.Enqueue(asynq.NewTask(webhooks.TypeDeliver, payload),
		asynq.Queue(s.Env["SCOOPA_QUEUE"]), asynq.TaskID(taskID)); err != nil {
		t.Fatal(err)
	}
	s.WaitIdle(t)
	// Asynq counts the tasks it processed (not those of the wake lane, nor
	// only this one: periodic tasks too) and removes a task that succeeded.
	info, err := s.Queue().GetQueueInfo(s.Env["SCOOPA_QUEUE"])
	_, gone := s.Queue().GetTaskInfo(s.Env["SCOOPA_QUEUE"], taskID)
	if err != nil || info.ProcessedTotal <= before.ProcessedTotal || !errors.Is(gone, asynq.ErrTaskNotFound) {
		t.Fatalf("queue %+v, %v, task: %v: the task brought back did not run; the test proves nothing", info, err, gone)
	}
	if n := len(rc.Deliveries()); n != 1 {
		t.Errorf("%d deliveries, want 1", n)
	}
	if c := callCounts(t, s); c["SUCCEEDED"] != 1 {
		t.Errorf("calls by status %v, want the one SUCCEEDED", c)
	}
}
