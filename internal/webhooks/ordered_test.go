package webhooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// orderReceiver is a receiver of two webhooks, /ordered and /plain, that
// records, per path, the file index of every delivery attempt (files are
// named f-NNN.bin) in the order they came, and how many were in flight at
// once. The first attempt of every 10th file fails with 500; the files in
// gone fail with 410 every time at /ordered (no retry: the call is FAILED
// at once).
type orderReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	seen     map[string][]int // path -> file index per attempt
	ok       map[string]map[int]bool
	tried    map[string]map[int]int
	inFlight map[string]int
	maxIn    map[string]int
	gone     map[int]bool
	hold     time.Duration // each request takes this long
}

func newOrderReceiver(t *testing.T, gone ...int) *orderReceiver {
	r := &orderReceiver{seen: map[string][]int{}, ok: map[string]map[int]bool{}, tried: map[string]map[int]int{},
		inFlight: map[string]int{}, maxIn: map[string]int{}, gone: map[int]bool{}, hold: 5 * time.Millisecond}
	for _, g := range gone {
		r.gone[g] = true
	}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *orderReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	var p struct {
		FileName string `json:"file_name"`
	}
	var i int
	if json.Unmarshal(body, &p) != nil || !strings.HasPrefix(p.FileName, "f-") {
		return // a validation call: 200
	}
	if _, err := fmt.Sscanf(p.FileName, "f-%d.bin", &i); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	path := req.URL.Path
	r.mu.Lock()
	if r.ok[path] == nil {
		r.ok[path], r.tried[path] = map[int]bool{}, map[int]int{}
	}
	r.seen[path] = append(r.seen[path], i)
	r.tried[path][i]++
	first := r.tried[path][i] == 1
	r.inFlight[path]++
	r.maxIn[path] = max(r.maxIn[path], r.inFlight[path])
	r.mu.Unlock()
	time.Sleep(r.hold)
	status := http.StatusOK
	switch {
	case r.gone[i] && path == "/ordered":
		status = http.StatusGone
	case first && i%10 == 9:
		status = http.StatusInternalServerError
	}
	r.mu.Lock()
	r.inFlight[path]--
	if status == http.StatusOK {
		r.ok[path][i] = true
	}
	r.mu.Unlock()
	w.WriteHeader(status)
}

// delivered counts the files of path answered 200.
func (r *orderReceiver) delivered(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.ok[path])
}

// checkOrder fails the test unless the attempts at path came in file order
// (a call's attempts, a duplicate included, before any of the next file's),
// one at a time, and every file of 0..n-1 but the gone ones was delivered.
func (r *orderReceiver) checkOrder(t *testing.T, path string, n int) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	seq := r.seen[path]
	for k := 1; k < len(seq); k++ {
		if seq[k] < seq[k-1] {
			lo, hi := max(k-5, 0), min(k+5, len(seq))
			t.Errorf("%s: file %d arrived after file %d (attempts %d..%d: %v)", path, seq[k], seq[k-1], lo, hi-1, seq[lo:hi])
			break
		}
	}
	if r.maxIn[path] != 1 {
		t.Errorf("%s: %d requests in flight at once, want 1", path, r.maxIn[path])
	}
	for i := range n {
		if !(r.gone[i] && path == "/ordered") && !r.ok[path][i] {
			t.Errorf("%s: file %d never delivered", path, i)
		}
	}
}

// logState logs what the receiver got and the unfinished calls of the log.
func (r *orderReceiver) logState(t *testing.T, s *testenv.Server) {
	r.mu.Lock()
	t.Logf("delivered: ordered %d, plain %d; last ordered attempts %v", len(r.ok["/ordered"]), len(r.ok["/plain"]),
		r.seen["/ordered"][max(len(r.seen["/ordered"])-10, 0):])
	r.mu.Unlock()
	resp := s.Do(t, `{ webhookCalls(first: 5, where: {statusIn: [PENDING, RUNNING, RETRYING]}, orderBy: {field: CREATED_AT, direction: ASC}) { totalCount edges { node { id fileName webhookName status waitReason nextAttemptAt attemptCount } } } }`, nil)
	t.Logf("unfinished calls: %s %+v", resp.Data, resp.Errors)
}

// flushQueue deletes every key of the test's own queue from Redis (never
// another's): the queued, scheduled, active and unique-ID keys all go, as in a
// Redis that lost its data.
func flushQueue(t *testing.T, queue string) int {
	t.Helper()
	rdb := testenv.OpenRedis(t)
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "asynq:{"+queue+"}:*").Result()
	if err != nil {
		t.Fatalf("redis keys: %v", err)
	}
	for _, k := range keys {
		if !strings.HasPrefix(k, "asynq:{"+queue+"}:") {
			t.Fatalf("key %q is not of queue %s", k, queue)
		}
		rdb.Del(ctx, k)
	}
	return len(keys)
}

// orderedHooks creates a folder with two active webhooks to r: /ordered
// (ordered: true) and /plain, and returns the folder's ID and the ordered
// webhook's.
func orderedHooks(t *testing.T, s *testenv.Server, r *orderReceiver) (folderID, orderedID string) {
	t.Helper()
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "ordered"}) { id } }`, nil, &f)
	var w struct {
		CreateWebhook struct {
			ID      string
			Ordered bool
		}
	}
	for _, h := range []struct {
		name    string
		ordered bool
	}{{"ordered", true}, {"plain", false}} {
		in := map[string]any{"name": h.name, "url": r.URL + "/" + h.name, "folderIDs": []string{f.CreateFolder.ID},
			"active": true, "ordered": h.ordered, "retryDelays": []string{"1s", "1s", "1s"}}
		s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id ordered } }`, map[string]any{"in": in}, &w)
		if w.CreateWebhook.Ordered != h.ordered {
			t.Fatalf("webhook %s: ordered = %v, want %v", h.name, w.CreateWebhook.Ordered, h.ordered)
		}
		if h.ordered {
			orderedID = w.CreateWebhook.ID
		}
	}
	return f.CreateFolder.ID, orderedID
}

// uploadOrdered uploads files f-000.bin ... in that order, one at a time
// (the order in which they arrive).
func uploadOrdered(t *testing.T, s *testenv.Server, folderID string, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		if r := s.Upload(t, folderID, fmt.Sprintf("f-%03d.bin", i), "application/octet-stream", []byte("x")); len(r.Errors) > 0 {
			t.Errorf("upload %d: %+v", i, r.Errors)
			return
		}
	}
}

// An ordered webhook gets its calls one at a time in file order across
// three workers, while its receiver fails every 10th first attempt, one
// call FAILED for good (410) releases the next, and the test's queue is
// flushed from Redis mid-burst; the log says what a call waits for. An
// unordered webhook on the same files keeps going several at a time and
// is never told to wait.
func TestOrderedDelivery(t *testing.T) {
	t.Parallel()
	const n = 120
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1", "SCOOPA_SWEEP_DELAY": "2s"})
	for range 3 {
		testenv.StartWorker(t, s, nil)
	}
	r := newOrderReceiver(t, 42) // file 42 fails for good
	folderID, orderedID := orderedHooks(t, s, r)

	waits := make(chan string, 1)
	stop := make(chan struct{})
	go func() { // the call log, during the burst: what ordered calls wait for
		defer close(waits)
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			var q struct {
				WebhookCalls struct {
					Edges []struct{ Node struct{ WaitReason string } }
				}
			}
			resp := s.Do(t, `{ webhookCalls(first: 1, where: {waitReasonHasPrefix: "waiting for call "}) { edges { node { waitReason } } } }`, nil)
			if json.Unmarshal(resp.Data, &q) == nil &&
				len(q.WebhookCalls.Edges) > 0 {
				waits <- q.WebhookCalls.Edges[0].Node.WaitReason
				return
			}
		}
	}()
	uploadOrdered(t, s, folderID, 0, n/2)
	testenv.Eventually(t, 60*time.Second, "a third of the ordered calls", func() bool { return r.delivered("/ordered") >= n/3 })
	t.Logf("flushed %d keys of the queue", flushQueue(t, s.Env["SCOOPA_QUEUE"]))
	uploadOrdered(t, s, folderID, n/2, n)
	t.Cleanup(func() {
		if t.Failed() {
			r.logState(t, s)
		}
	})
	testenv.Eventually(t, 90*time.Second, "every call delivered", func() bool {
		return r.delivered("/ordered") == n-1 && r.delivered("/plain") == n
	})
	close(stop)
	r.checkOrder(t, "/ordered", n)
	if r.maxIn["/plain"] < 2 {
		t.Errorf("/plain: at most %d request in flight, want several", r.maxIn["/plain"])
	}
	if w, ok := <-waits; !ok || !strings.HasSuffix(w, " to finish") {
		t.Errorf("no call of the log said what it waits for (got %q)", w)
	}
	// The call of file 42 FAILED (410) and the next went all the same.
	var q struct {
		WebhookCalls struct {
			Edges []struct {
				Node struct{ FileName, Status string }
			}
		}
	}
	s.MustDo(t, `query($w: ID!) { webhookCalls(first: 5, where: {kind: DELIVERY, status: FAILED, hasWebhookWith: [{id: $w}]}) { edges { node { fileName status } } } }`,
		map[string]any{"w": orderedID}, &q)
	if len(q.WebhookCalls.Edges) != 1 || q.WebhookCalls.Edges[0].Node.FileName != "f-042.bin" {
		t.Errorf("FAILED calls of the ordered webhook: %+v, want the one of f-042.bin", q.WebhookCalls.Edges)
	}
}

// Without the sweeper (it would wait an hour), an ordered webhook's calls
// still go one after the other: a call that ends, SUCCEEDED or FAILED for
// good, enqueues the next at once.
func TestOrderedReleaseWithoutSweep(t *testing.T) {
	t.Parallel()
	const n = 30
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1", "SCOOPA_SWEEP_DELAY": "1h"})
	testenv.StartWorker(t, s, nil)
	testenv.StartWorker(t, s, nil)
	r := newOrderReceiver(t, 12) // file 12 fails for good
	folderID, _ := orderedHooks(t, s, r)
	t.Cleanup(func() {
		if t.Failed() {
			r.logState(t, s)
		}
	})
	uploadOrdered(t, s, folderID, 0, n)
	testenv.Eventually(t, 60*time.Second, "every call delivered", func() bool {
		return r.delivered("/ordered") == n-1 && r.delivered("/plain") == n
	})
	r.checkOrder(t, "/ordered", n)
}

// An ordered webhook's backlog to a slow receiver holds up only its own
// calls: waiting ordered calls take no worker slot, so an unordered
// webhook's calls, made after the backlog, are delivered at once. The
// worker has 4 slots, fewer than the backlog, so that waiting calls that
// kept a slot would starve the other webhook.
func TestOrderedBacklogDoesNotStarveOthers(t *testing.T) {
	t.Parallel()
	const (
		backlog = 50
		plain   = 20
		hold    = time.Second // each ordered delivery takes this long
	)
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			var (
				mu        sync.Mutex
				delivered = map[string]int{}
			)
			count := func(path string) int {
				mu.Lock()
				defer mu.Unlock()
				return delivered[path]
			}
			rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				if !strings.Contains(string(body), `"file_name":"f-`) {
					return // a validation call
				}
				if r.URL.Path == "/ordered" {
					time.Sleep(hold)
				}
				mu.Lock()
				delivered[r.URL.Path]++
				mu.Unlock()
			}))
			t.Cleanup(rc.Close)
			s := testenv.StartServer(t, kind, map[string]string{"SCOOPA_WORKER_CONCURRENCY": "4"})
			folders := map[bool]string{}
			for _, ordered := range []bool{true, false} {
				name := map[bool]string{true: "ordered", false: "plain"}[ordered]
				var f struct{ CreateFolder struct{ ID string } }
				s.MustDo(t, `mutation($name: String!) { createFolder(input: {name: $name}) { id } }`, map[string]any{"name": name}, &f)
				folders[ordered] = f.CreateFolder.ID
				s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
					"name": name, "url": rc.URL + "/" + name, "folderIDs": []string{f.CreateFolder.ID}, "active": true, "ordered": ordered}}, nil)
			}
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("delivered: ordered %d, plain %d", count("/ordered"), count("/plain"))
					resp := s.Do(t, `{ webhookCalls(first: 8, where: {statusIn: [PENDING, RUNNING, RETRYING]}, orderBy: {field: CREATED_AT, direction: DESC}) { totalCount edges { node { id fileName webhookName status waitReason nextAttemptAt attemptCount } } } }`, nil)
					t.Logf("unfinished calls: %s %+v", resp.Data, resp.Errors)
				}
			})
			uploadOrdered(t, s, folders[true], 0, backlog)
			start := time.Now()
			uploadOrdered(t, s, folders[false], 0, plain)
			testenv.Eventually(t, 30*time.Second, "the unordered webhook's calls delivered", func() bool { return count("/plain") == plain })
			took := time.Since(start)
			// The ordered webhook is still working through its backlog, one
			// call a second: the other webhook did not wait behind it.
			if got := count("/ordered"); got >= backlog/2 {
				t.Errorf("the ordered webhook delivered %d of %d calls before the unordered one's %d were done (in %s): they waited behind the backlog", got, backlog, plain, took)
			}
			t.Logf("%d unordered calls delivered in %s beside a backlog of %d ordered calls (%d delivered meanwhile)", plain, took.Round(time.Millisecond), backlog, count("/ordered"))
		})
	}
}
