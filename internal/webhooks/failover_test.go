package webhooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
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
	killed := make(chan int, 1)
	ids := failoverBurst(t, s, rc, n, func(i int) {
		if i == n/2 {
			// While the sentinels fail over, uploads go on.
			go func() {
				at := len(rc.Deliveries())
				sn.KillMaster()
				killed <- at
			}()
		}
	})
	atKill := <-killed
	t.Logf("master killed after %d of %d deliveries; new master %s", atKill, n, sn.MasterAddr())
	if atKill >= n/2 {
		t.Fatalf("%d deliveries made before the kill; the burst's second half had not started: the test proves nothing", atKill)
	}
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
}
