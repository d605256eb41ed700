//go:build multinode

package webhooks_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// The shape of TestMultinodeFaults.
const (
	mnServers     = 2
	mnWorkers     = 3
	mnConcurrency = 20 // deliveries at once per worker
	mnHooks       = 10
	mnFiles       = 500 // the burst: 500 files × 10 webhooks = 5,000 calls
	mnUploaders   = 4   // uploads at once
)

// Periods of the periodic tasks in the test (SCOOPA_REVALIDATE_INTERVAL is
// five scans).
var mnPeriodic = map[string]time.Duration{
	webhooks.TypeSweep:      2 * time.Second,
	webhooks.TypeRevalidate: 3 * time.Second,
	webhooks.TypePrune:      3 * time.Second,
}

// mnBackends starts what the fleet shares besides PostgreSQL: a Redis
// master, its replica and 3 sentinels, and an S3 server. It returns the
// environment naming them and a function that kills the Redis master and
// returns once Sentinel promoted the replica.
func mnBackends(t *testing.T) (env map[string]string, killMaster func()) {
	sn := testenv.StartSentinel(t)
	s3 := testenv.StartS3(t)
	env = s3.Vars()
	env["SCOOPA_REDIS_URL"] = sn.URL
	return env, func() { sn.KillMaster() }
}

// mnBackendsName names what mnBackends starts, for the figures.
const mnBackendsName = "Redis master + replica + 3 sentinels, S3 (versitygw)"

// mnEvents collects the live call events one server sent to a
// subscription: the statuses seen per call.
type mnEvents struct {
	mu     sync.Mutex
	seen   map[string]map[string]bool
	closed chan struct{}
}

func watchEvents(ctx context.Context, t *testing.T, s *testenv.Server) *mnEvents {
	ev := &mnEvents{seen: map[string]map[string]bool{}, closed: make(chan struct{})}
	ch := testenv.Subscribe(ctx, t, s.URL, s.Token, `subscription { webhookCallUpdated(kinds: [DELIVERY]) { id status } }`)
	go func() {
		defer close(ev.closed)
		for data := range ch {
			var m struct {
				WebhookCallUpdated struct{ ID, Status string }
			}
			if err := json.Unmarshal(data, &m); err != nil || m.WebhookCallUpdated.ID == "" {
				t.Errorf("subscription event %s: %v", data, err)
				continue
			}
			ev.mu.Lock()
			if ev.seen[m.WebhookCallUpdated.ID] == nil {
				ev.seen[m.WebhookCallUpdated.ID] = map[string]bool{}
			}
			ev.seen[m.WebhookCallUpdated.ID][m.WebhookCallUpdated.Status] = true
			ev.mu.Unlock()
		}
	}()
	return ev
}

// succeeded counts the calls of ids whose SUCCEEDED event arrived.
func (e *mnEvents) succeeded(ids []string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, id := range ids {
		if e.seen[id]["SUCCEEDED"] {
			n++
		}
	}
	return n
}

// mnFile is a file uploaded in the test.
type mnFile struct {
	id, name, downloadURL string
	content               []byte
	via                   int // the server that took it
}

// mnClient sends uploads to servers as a load balancer would: round robin
// over the servers that answer, a server that did not answer taken out,
// and an upload that got no answer sent again to the next one.
type mnClient struct {
	servers []*testenv.Server
	down    []atomic.Bool
}

func newMNClient(servers ...*testenv.Server) *mnClient {
	return &mnClient{servers: servers, down: make([]atomic.Bool, len(servers))}
}

// upload sends a file, starting with server via. It returns the file and
// how many times it was sent again after a failure.
func (c *mnClient) upload(via int, folderID, name string, content []byte) (mnFile, int, error) {
	var last error
	again := 0
	for try := range 3 * len(c.servers) {
		i := (via + try) % len(c.servers)
		if c.down[i].Load() {
			continue
		}
		r, err := c.servers[i].TryUpload(folderID, name, "application/octet-stream", content)
		if err != nil {
			c.down[i].Store(true)
		} else if len(r.Errors) > 0 {
			err = fmt.Errorf("%+v", r.Errors)
		}
		if err != nil {
			last = err
			again++
			time.Sleep(100 * time.Millisecond)
			continue
		}
		var up struct {
			UploadFile struct{ ID, DownloadURL string }
		}
		if err := json.Unmarshal(r.Data, &up); err != nil {
			return mnFile{}, again, err
		}
		return mnFile{id: up.UploadFile.ID, name: name, downloadURL: up.UploadFile.DownloadURL, content: content, via: i}, again, nil
	}
	return mnFile{}, again, fmt.Errorf("upload %s: %w", name, last)
}

// downloadVia fetches a file's download link from another server than the
// one that made it: the same path and signature, another host.
func downloadVia(t *testing.T, s *testenv.Server, f mnFile) (int, []byte) {
	u, err := url.Parse(f.downloadURL)
	if err != nil {
		t.Fatalf("download URL %q: %v", f.downloadURL, err)
	}
	resp, err := http.Get(s.URL + u.RequestURI())
	if err != nil {
		t.Fatalf("download %s via %s: %v", f.name, s.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestMultinodeFaults runs the binaries as a deployment past one machine
// would: 2 servers and 3 workers, each with its own data directory, on one
// PostgreSQL, one Redis and one blob store. Files go in through both
// servers and come out through the other one; before the faults both
// servers' subscriptions see every call succeed. Then a burst of 5,000
// calls (500 files to 10 webhooks) while one worker and one server are
// SIGKILLed and the Redis master is killed (Sentinel promotes the
// replica). Afterwards every call is SUCCEEDED, every call reached the
// receiver, the calls that arrived twice are among those the killed worker
// left RUNNING (no more of them than it had), the files of the dead server
// download through the live one, the live server's subscription sees every
// new call succeed, and each periodic task ran at least once and at most
// once per period across the fleet. Live events during the burst are
// counted, not required: Redis pub/sub is fire-and-forget, and the events
// published while the master dies are lost (a client refetches when it
// reconnects).
func TestMultinodeFaults(t *testing.T) {
	backends, killMaster := mnBackends(t)
	env := map[string]string{
		"SCOOPA_LOG_LEVEL":           "info",
		"SCOOPA_WORKER_CONCURRENCY":  strconv.Itoa(mnConcurrency),
		"SCOOPA_DB_MAX_CONNS":        "8",
		"SCOOPA_SWEEP_INTERVAL":      mnPeriodic[webhooks.TypeSweep].String(),
		"SCOOPA_REVALIDATE_INTERVAL": (5 * mnPeriodic[webhooks.TypeRevalidate]).String(),
		"SCOOPA_PRUNE_INTERVAL":      mnPeriodic[webhooks.TypePrune].String(),
		"SCOOPA_RETRY_DELAYS":        "1s,2s,5s",
	}
	for k, v := range backends {
		env[k] = v
	}
	fleetStart := time.Now()
	// Workers start a second apart, as they would on machines of their own:
	// their schedulers do not tick in step.
	f := testenv.StartFleet(t, testenv.FleetOptions{Servers: mnServers, Workers: mnWorkers, Env: env, Stagger: time.Second})
	t.Logf("fleet of %d servers and %d workers up in %s on %s", mnServers, mnWorkers, time.Since(fleetStart).Round(time.Millisecond), mnBackendsName)
	servers := []*testenv.Server{f.Servers[0].Server(), f.Servers[1].Server()}
	db, err := sql.Open("postgres", f.Env["SCOOPA_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	rc := testenv.NewReceiver(t)
	var folder struct{ CreateFolder struct{ ID string } }
	servers[0].MustDo(t, `mutation { createFolder(input: {name: "fleet"}) { id } }`, nil, &folder)
	for i := range mnHooks {
		servers[i%2].MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": fmt.Sprint("hook-", i), "url": rc.URL + "/" + strconv.Itoa(i), "folderIDs": []string{folder.CreateFolder.ID}, "active": true}}, nil)
	}
	events := []*mnEvents{watchEvents(ctx, t, servers[0]), watchEvents(ctx, t, servers[1])}

	// 1. Without faults: two files through each server, each downloaded
	// through the other; both servers see every call's events.
	var warm []mnFile
	for i := range 4 {
		file, _, err := newMNClient(servers[i%2]).upload(0, folder.CreateFolder.ID, fmt.Sprintf("warm-%d.bin", i), []byte(fmt.Sprintf("warm file %d %s", i, testenv.Name(""))))
		if err != nil {
			t.Fatal(err)
		}
		file.via = i % 2
		warm = append(warm, file)
	}
	waitCalls(t, db, 4*mnHooks, 2*time.Minute)
	warmIDs := callIDs(t, db)
	testenv.Eventually(t, time.Minute, "both servers to announce every call's success", func() bool {
		return events[0].succeeded(warmIDs) == len(warmIDs) && events[1].succeeded(warmIDs) == len(warmIDs)
	})
	crossOK, crossFail := 0, 0
	for _, file := range warm {
		status, body := downloadVia(t, servers[1-file.via], file)
		if status == http.StatusOK && bytes.Equal(body, file.content) {
			crossOK++
		} else {
			crossFail++
			t.Errorf("download of %s (uploaded via server %d) via the other server: %d %q", file.name, file.via+1, status, body)
		}
	}
	t.Logf("warm-up: %d calls, every SUCCEEDED event seen on both servers; downloads through the other server: %d ok, %d not", len(warmIDs), crossOK, crossFail)

	// 2. The burst, and the faults during it.
	var uploaded, retried atomic.Int64
	var lastRetryMu sync.Mutex
	var lastRetryOK time.Time // when an upload that had failed last went through
	var burstMu sync.Mutex
	var burst []mnFile
	uploadErrs := make(chan error, mnFiles)
	next := make(chan int)
	burstStart := time.Now()
	client := newMNClient(servers...)
	var wg sync.WaitGroup
	for range mnUploaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				file, tries, err := client.upload(i%2, folder.CreateFolder.ID, fmt.Sprintf("burst-%04d.bin", i), []byte(fmt.Sprintf("burst file %d %s", i, testenv.Name(""))))
				if err != nil {
					uploadErrs <- err
					continue
				}
				retried.Add(int64(tries))
				if tries > 0 {
					lastRetryMu.Lock()
					lastRetryOK = time.Now()
					lastRetryMu.Unlock()
				}
				uploaded.Add(1)
				burstMu.Lock()
				burst = append(burst, file)
				burstMu.Unlock()
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range mnFiles {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	uploadsDone := make(chan struct{})
	go func() { wg.Wait(); close(uploadsDone) }()

	var kills []*mnKill
	killAt := func(what string, do func()) *mnKill {
		k := &mnKill{what: what, at: time.Now(), delivered: len(rc.Deliveries()), running: runningCalls(t, db)}
		do()
		kills = append(kills, k)
		t.Logf("%s killed after %d deliveries (%d calls RUNNING)", what, k.delivered, len(k.running))
		return k
	}

	uploadedAtLeast := func(percent int) {
		testenv.Eventually(t, 3*time.Minute, fmt.Sprint(percent, "% of the uploads"), func() bool { return uploaded.Load() >= int64(mnFiles*percent/100) })
	}

	// A worker dies with calls in flight: they stay RUNNING until stale,
	// then another worker takes them over. Those still RUNNING a while
	// after the kill (longer than an attempt may take, shorter than the
	// time after which a call is stale) are the dead worker's.
	uploadedAtLeast(20)
	workerKill := killAt(f.Workers[0].Name, f.Workers[0].Kill)
	runningAfter := runningCalls(t, db)
	time.Sleep(4 * time.Second)
	orphans := map[string]bool{}
	for id := range runningCalls(t, db) {
		if runningAfter[id] {
			orphans[id] = true
		}
	}
	t.Logf("%d calls left RUNNING by %s", len(orphans), f.Workers[0].Name)
	// A worker runs up to its concurrency of tasks from the queue and as
	// many from the wake lane, and a new file's task claims all of the
	// file's calls before it sends them (fanout.go): that many calls may be
	// RUNNING in a worker at once.
	if held := 2 * mnConcurrency * mnHooks; len(orphans) > held {
		t.Errorf("%d calls left RUNNING by the killed worker, more than the %d it can hold (2 × concurrency %d × %d webhooks)", len(orphans), held, mnConcurrency, mnHooks)
	}

	// A server dies with uploads in flight: the uploader sends them again
	// through the other server.
	uploadedAtLeast(40)
	serverKill := killAt(f.Servers[0].Name, f.Servers[0].Kill)

	// The Redis master dies: Sentinel promotes the replica while uploads
	// and deliveries go on.
	uploadedAtLeast(60)
	masterKill := killAt("redis master", killMaster)

	<-uploadsDone
	close(uploadErrs)
	for err := range uploadErrs {
		t.Errorf("burst upload failed on every server: %v", err)
	}
	t.Logf("burst: %d files uploaded, %d sent again to the other server after a failure", uploaded.Load(), retried.Load())

	// Every call of every file that exists ends SUCCEEDED. An upload that
	// the killed server had committed but not answered was sent again: its
	// file exists twice, with calls for both.
	var nfiles int
	if err := db.QueryRow(`SELECT count(*) FROM files`).Scan(&nfiles); err != nil {
		t.Fatal(err)
	}
	want := nfiles * mnHooks
	waitCalls(t, db, want, 4*time.Minute)
	wall := time.Since(burstStart)
	if nfiles < len(warm)+mnFiles || nfiles > len(warm)+mnFiles+int(retried.Load()) {
		t.Errorf("%d files stored, want %d to %d (some of the %d uploads sent again may exist twice)", nfiles, len(warm)+mnFiles, len(warm)+mnFiles+int(retried.Load()), retried.Load())
	}

	// None missing at the receiver; duplicates only of calls the killed
	// worker had in flight (RUNNING when it died; a worker makes at most
	// mnConcurrency calls at once). A call is claimed in PostgreSQL before
	// it is attempted, so neither a server's death nor a Redis failover
	// makes a second delivery.
	ids := callIDs(t, db)
	got := map[string]int{}
	for _, d := range rc.Deliveries() {
		got[d.Header.Get("webhook-id")]++
	}
	dups, missing := 0, 0
	var strayDups []string
	for _, id := range ids {
		n := got["msg_"+id]
		if n == 0 {
			missing++
			continue
		}
		if n > 1 {
			dups += n - 1
			if !orphans[id] {
				strayDups = append(strayDups, id)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d calls never reached the receiver", missing, len(ids))
	}
	if len(got) != len(ids) {
		t.Errorf("the receiver got %d distinct calls, the database has %d", len(got), len(ids))
	}
	if len(strayDups) > 0 {
		t.Errorf("calls delivered twice that were not in flight on the killed worker: %v", strayDups)
	}
	if dups > len(orphans) {
		t.Errorf("%d duplicates, want at most %d (the calls the killed worker left RUNNING)", dups, len(orphans))
	}

	// Time to recover from each kill.
	workerKill.recovered = untilSucceeded(t, db, orphans, workerKill.at)
	if lastRetryOK.After(serverKill.at) {
		serverKill.recovered = lastRetryOK.Sub(serverKill.at)
	}
	masterKill.recovered = untilFirstDelivered(t, db, masterKill.at)

	// 3. After the faults: files of the dead server download through the
	// live one; the live server's subscription still sees every event.
	crossOK, crossFail = 0, 0
	for _, file := range burst {
		if file.via != 0 {
			continue
		}
		status, body := downloadVia(t, servers[1], file)
		if status == http.StatusOK && bytes.Equal(body, file.content) {
			crossOK++
		} else {
			crossFail++
			if crossFail <= 5 {
				t.Errorf("download of %s (uploaded via the killed server) via server 2: %d %q", file.name, status, body)
			}
		}
	}
	burstIDs := ids[len(warmIDs):]
	sawBurst := events[1].succeeded(burstIDs)
	sawBeforeKill := events[0].succeeded(burstIDs)
	var after []mnFile
	for i := range 2 {
		file, _, err := newMNClient(servers[1]).upload(0, folder.CreateFolder.ID, fmt.Sprintf("after-%d.bin", i), []byte("after "+strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		after = append(after, file)
	}
	waitCalls(t, db, want+len(after)*mnHooks, time.Minute)
	afterIDs := callIDs(t, db)[len(ids):]
	testenv.Eventually(t, time.Minute, "the live server to announce every new call's success", func() bool {
		return events[1].succeeded(afterIDs) == len(afterIDs)
	})
	select {
	case <-events[0].closed:
	case <-time.After(10 * time.Second):
		t.Error("the killed server's subscription is still open")
	}

	// 4. Periodic tasks: at most once per period across the fleet (and at
	// least once), counted from the workers' logs, the killed one's
	// included.
	runs, since := periodicRuns(t, f)
	window := time.Since(since)
	for typ, every := range mnPeriodic {
		n := runs[typ]
		limit := periodicLimit(window, every)
		if n < 1 || n > limit {
			t.Errorf("%s ran %d times in %s, want 1 to %d (once per %s)", typ, n, window.Round(time.Second), limit, every)
		}
	}

	fmt.Printf("\nmultinode: %d servers, %d workers (concurrency %d), %s\n", mnServers, mnWorkers, mnConcurrency, mnBackendsName)
	fmt.Printf("  burst: %d files × %d webhooks = %d calls (%d files stored, %d uploads sent again) in %s: %.0f deliveries/s\n",
		mnFiles, mnHooks, mnFiles*mnHooks, nfiles-len(warm), retried.Load(), wall.Round(100*time.Millisecond), float64(want-len(warmIDs))/wall.Seconds())
	fmt.Printf("  receiver: %d distinct calls, %d missing, %d duplicates (bound: the %d calls the killed worker left RUNNING; its concurrency is %d)\n",
		len(got), missing, dups, len(orphans), mnConcurrency)
	for _, k := range kills {
		fmt.Printf("  kill %-14s after %4d deliveries, %3d calls RUNNING: recovered in %s\n", k.what, k.delivered, len(k.running), k.recovered.Round(10*time.Millisecond))
	}
	fmt.Printf("  live events: server 2 saw %d/%d burst calls succeed, server 1 %d before it was killed; after the faults server 2 saw %d/%d\n",
		sawBurst, len(burstIDs), sawBeforeKill, events[1].succeeded(afterIDs), len(afterIDs))
	fmt.Printf("  downloads through the other server: %d ok, %d not\n", crossOK, crossFail)
	var types []string
	for typ := range mnPeriodic {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		fmt.Printf("  %-19s ran %3d times in %s (period %s: at most %d)\n", typ, runs[typ], window.Round(time.Second), mnPeriodic[typ], periodicLimit(window, mnPeriodic[typ]))
	}
}

// waitCalls waits until the database holds n delivery calls, all SUCCEEDED.
func waitCalls(t *testing.T, db *sql.DB, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last string
	for time.Now().Before(deadline) {
		rows, err := db.Query(`SELECT status, count(*) FROM webhook_calls WHERE kind = 'DELIVERY' GROUP BY status ORDER BY status`)
		if err == nil {
			total, ok := 0, 0
			var b strings.Builder
			for rows.Next() {
				var st string
				var c int
				_ = rows.Scan(&st, &c)
				total += c
				if st == "SUCCEEDED" {
					ok = c
				}
				fmt.Fprintf(&b, "%s=%d ", st, c)
			}
			rows.Close()
			if total == n && ok == n {
				return
			}
			last = b.String()
		} else {
			last = err.Error()
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("after %s: delivery calls by status %s; want %d, all SUCCEEDED", timeout, last, n)
}

// callIDs returns the IDs of the delivery calls, oldest first.
func callIDs(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT id FROM webhook_calls WHERE kind = 'DELIVERY' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, strconv.Itoa(id))
	}
	return ids
}

// runningCalls returns the delivery calls RUNNING now.
func runningCalls(t *testing.T, db *sql.DB) map[string]bool {
	t.Helper()
	rows, err := db.Query(`SELECT id FROM webhook_calls WHERE kind = 'DELIVERY' AND status = 'RUNNING'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id int
		_ = rows.Scan(&id)
		out[strconv.Itoa(id)] = true
	}
	return out
}

// mnKill is one of the faults of the burst.
type mnKill struct {
	what      string
	at        time.Time
	delivered int
	running   map[string]bool // delivery calls RUNNING right before it
	recovered time.Duration
}

// untilSucceeded is how long after at the last of the calls ids ended: a
// dead worker's calls end once another worker takes them over.
func untilSucceeded(t *testing.T, db *sql.DB, ids map[string]bool, at time.Time) time.Duration {
	t.Helper()
	if len(ids) == 0 {
		return 0
	}
	var list []int64
	for id := range ids {
		n, _ := strconv.ParseInt(id, 10, 64)
		list = append(list, n)
	}
	var last time.Time
	if err := db.QueryRow(`SELECT max(completed_at) FROM webhook_calls WHERE id = ANY($1)`, pq.Array(list)).Scan(&last); err != nil {
		t.Fatal(err)
	}
	return last.Sub(at)
}

// untilFirstDelivered is how long after at the first call created after
// at was delivered: every step of it (the enqueue, the dequeue) went
// through the Redis of after at.
func untilFirstDelivered(t *testing.T, db *sql.DB, at time.Time) time.Duration {
	t.Helper()
	var first sql.NullTime
	if err := db.QueryRow(`SELECT min(completed_at) FROM webhook_calls WHERE kind = 'DELIVERY' AND created_at > $1`, at).Scan(&first); err != nil {
		t.Fatal(err)
	}
	if !first.Valid {
		return -1
	}
	return first.Time.Sub(at)
}

// periodicLimit is how many times a task due at the multiples of every may
// run in window: as many multiples as it can hold (one more than whole
// periods fit), rounded up for the instant between a worker's first tick
// and the log line that starts the window.
func periodicLimit(window, every time.Duration) int {
	return int((window+every-1)/every) + 1
}

// periodicRuns counts the periodic tasks the workers ran, by type, from
// their logs, and returns when the first worker started.
func periodicRuns(t *testing.T, f *testenv.Fleet) (map[string]int, time.Time) {
	t.Helper()
	out := map[string]int{}
	var first time.Time
	for _, w := range f.Workers {
		for _, line := range w.LogLines(`"msg":"worker started"`) {
			var m struct{ Time time.Time }
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("%s log line %q: %v", w.Name, line, err)
			}
			if first.IsZero() || m.Time.Before(first) {
				first = m.Time
			}
		}
		for _, line := range w.LogLines(`"msg":"periodic task ran"`) {
			var m struct{ Type string }
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("%s log line %q: %v", w.Name, line, err)
			}
			out[m.Type]++
		}
	}
	if first.IsZero() {
		t.Fatal("no worker logged its start")
	}
	return out, first
}
