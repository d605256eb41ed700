//go:build multinode

package webhooks_test

import (
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// TestMultinodeOrdered runs the real binaries, one server and three
// workers, and sends 300 files to an ordered webhook and an unordered one
// while the receiver fails every 10th first attempt (1 s retries). A worker
// is SIGKILLed after 50 ordered deliveries and the test's queue is flushed
// from Redis after 150: the ordered webhook still receives every file, in
// file order, one request at a time (the call the dead worker was making
// may come twice, in its place); the unordered one gets several at a time.
func TestMultinodeOrdered(t *testing.T) {
	const n = 300
	f := testenv.StartFleet(t, testenv.FleetOptions{Servers: 1, Workers: 3, Env: map[string]string{
		"SCOOPA_LOG_LEVEL":          "info",
		"SCOOPA_WORKER_CONCURRENCY": "10",
		"SCOOPA_SWEEP_INTERVAL":     "1s",
		"SCOOPA_SWEEP_DELAY":        "2s",
		"SCOOPA_RETRY_DELAYS":       "1s,1s,1s",
	}})
	s := f.Servers[0].Server()
	r := newOrderReceiver(t)
	r.hold = 20 * time.Millisecond // a call in flight when the worker dies
	folderID, _ := orderedHooks(t, s, r)

	done := make(chan struct{})
	go func() { defer close(done); uploadOrdered(t, s, folderID, 0, n) }()
	testenv.Eventually(t, 120*time.Second, "50 ordered deliveries", func() bool { return r.delivered("/ordered") >= 50 })
	f.Workers[0].Kill()
	testenv.Eventually(t, 180*time.Second, "150 ordered deliveries", func() bool { return r.delivered("/ordered") >= 150 })
	t.Logf("flushed %d keys of the queue", flushQueue(t, f.Env["SCOOPA_QUEUE"]))
	<-done
	testenv.Eventually(t, 300*time.Second, "every call delivered", func() bool {
		return r.delivered("/ordered") == n && r.delivered("/plain") == n
	})
	r.checkOrder(t, "/ordered", n)
	if r.maxIn["/plain"] < 2 {
		t.Errorf("/plain: at most %d request in flight, want several", r.maxIn["/plain"])
	}
	r.mu.Lock()
	t.Logf("ordered: %d attempts for %d files; plain: %d attempts, at most %d at once",
		len(r.seen["/ordered"]), n, len(r.seen["/plain"]), r.maxIn["/plain"])
	r.mu.Unlock()
}
