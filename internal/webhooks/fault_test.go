//go:build faults

package webhooks_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/internal/testenv"
)

// flakyReceiver is a receiver whose listener can go away (connections
// refused) and come back on the same address.
type flakyReceiver struct {
	*testenv.Receiver
	mu   sync.Mutex
	addr string
	ln   net.Listener
	srv  *http.Server
}

func newFlakyReceiver(t *testing.T) *flakyReceiver {
	rc := testenv.NewReceiver(t) // its handler, served by our own listener
	f := &flakyReceiver{Receiver: rc, srv: &http.Server{Handler: rc.Config.Handler}}
	f.up(t)
	f.addr = f.ln.Addr().String()
	t.Cleanup(func() { f.srv.Close() })
	return f
}

func (f *flakyReceiver) up(t *testing.T) {
	f.mu.Lock()
	defer f.mu.Unlock()
	addr := f.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("receiver back up: %v", err)
	}
	f.ln = ln
	go f.srv.Serve(ln)
}

func (f *flakyReceiver) down() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ln.Close()
	f.srv.SetKeepAlivesEnabled(false)
	f.srv.SetKeepAlivesEnabled(true)
}

// TestFaultsDuringBurst: 5,000 calls (1,000 files to 5 webhooks) while the
// worker is SIGKILLed twice and restarted, Redis loses the queue once,
// PostgreSQL drops every connection of the worker once (as in a restart),
// and the receiver refuses connections for 3 seconds. Afterwards every call
// is SUCCEEDED and every (file, webhook) pair reached the receiver.
func TestFaultsDuringBurst(t *testing.T) {
	// Retries span 8s: longer than the receiver's 3s outage.
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1", "SCOOPA_LOG_LEVEL": "error",
		"SCOOPA_RETRY_DELAYS": "1s,2s,5s", "SCOOPA_DB_MAX_CONNS": "10"})
	rc := newFlakyReceiver(t)
	const files, hooks, concurrency = 1000, 5, 20
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "faults"}) { id } }`, nil, &f)
	for i := range hooks {
		s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": fmt.Sprint("hook-", i), "url": "http://" + rc.addr + "/" + fmt.Sprint(i), "folderIDs": []string{f.CreateFolder.ID}, "active": true}}, nil)
	}
	env := map[string]string{}
	for k, v := range s.Env {
		env[k] = v
	}
	env["SCOOPA_WORKER_CONCURRENCY"] = fmt.Sprint(concurrency)
	env["SCOOPA_LOG_LEVEL"] = "error"
	w := startWorker(t, env)

	uploaded := make(chan struct{})
	go func() {
		defer close(uploaded)
		for i := range files {
			// As a client would: an upload that failed (the database went
			// away under it) is sent again.
			for try := 1; ; try++ {
				r := s.Upload(t, f.CreateFolder.ID, fmt.Sprintf("f-%05d.bin", i), "application/octet-stream", []byte("x"))
				if len(r.Errors) == 0 {
					break
				}
				if try == 5 {
					t.Errorf("upload %d: %+v", i, r.Errors)
					return
				}
				time.Sleep(200 * time.Millisecond)
			}
		}
	}()
	at := func(n int) {
		testenv.Eventually(t, 3*time.Minute, fmt.Sprint(n, " deliveries"), func() bool { return len(rc.Deliveries()) >= n })
	}
	kill := func() {
		_ = w.Process.Kill()
		_, _ = w.Process.Wait()
		t.Logf("worker killed after %d deliveries", len(rc.Deliveries()))
		w = startWorker(t, env)
	}

	at(800)
	kill()
	at(1600)
	opt, _ := redis.ParseURL(testenv.RedisURL())
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	keys, _ := rdb.Keys(context.Background(), "asynq:{"+s.Env["SCOOPA_QUEUE"]+"}:*").Result()
	if len(keys) > 0 {
		rdb.Del(context.Background(), keys...)
	}
	t.Logf("redis: %d keys of the queue deleted after %d deliveries", len(keys), len(rc.Deliveries()))
	at(2400)
	dropConnections(t, s.Env["SCOOPA_DATABASE_URL"])
	t.Logf("postgres: connections dropped after %d deliveries", len(rc.Deliveries()))
	at(3200)
	kill()
	at(3800)
	rc.down()
	t.Logf("receiver down after %d deliveries", len(rc.Deliveries()))
	time.Sleep(3 * time.Second)
	rc.up(t)
	<-uploaded

	waitAllSucceeded(t, s, files*hooks, 4*time.Minute)
	got := map[string]int{}
	for _, d := range rc.Deliveries() {
		got[d.Header.Get("webhook-id")]++
	}
	dups := 0
	for _, n := range got {
		dups += n - 1
	}
	if len(got) != files*hooks {
		t.Errorf("%d distinct calls reached the receiver, want %d", len(got), files*hooks)
	}
	// In flight at each of the two kills and at the connection drop.
	if dups > 3*concurrency {
		t.Errorf("%d duplicates, want at most %d (the calls in flight at the kills and the drop)", dups, 3*concurrency)
	}
	t.Logf("%d calls delivered, %d duplicates", len(got), dups)
}

// dropConnections ends every connection to the database, as a restart of
// PostgreSQL would, without touching other databases of the server.
func dropConnections(t *testing.T, dbURL string) {
	db, err := sql.Open("postgres", testenv.PostgresAdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := dbURL[strings.LastIndex(dbURL, "/")+1:]
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	if _, err := db.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name); err != nil {
		t.Fatal(err)
	}
}
