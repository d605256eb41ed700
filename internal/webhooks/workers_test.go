package webhooks_test

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
	"github.com/scoopa/webhooks/worker"
)

// workers are services on one database and one queue, each processing the
// queue's tasks as a worker process of its own would, all on one clock that
// the test moves. Their periodic jobs run only when the test calls them.
type workers struct {
	svcs  []*webhooks.Service
	db    *ent.Client
	insp  *asynq.Inspector
	queue string
}

func newWorkers(t *testing.T, n int, clock webhooks.Clock, cfg webhooks.Config) *workers {
	t.Helper()
	url := testenv.NewPostgresDB(t)
	opt, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	cfg.Queue = testenv.NewQueue(t)
	cfg.SecretKey = []byte("0123456789abcdef0123")
	w := &workers{insp: asynq.NewInspectorFromRedisClient(rdb), queue: cfg.Queue}
	for i := range n {
		_, client, err := app.OpenPostgres(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { client.Close() })
		if i == 0 {
			w.db = client
		}
		queue := asynq.NewClientFromRedisClient(rdb)
		svc, err := webhooks.New(cfg, webhooks.Deps{DB: client, Queue: queue, Log: testenv.Logger(t, 0), Dialect: "postgres", Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{
			Concurrency:       4,
			Queues:            map[string]int{cfg.Queue: 1},
			TaskCheckInterval: 10 * time.Millisecond,
			LogLevel:          asynq.WarnLevel,
		})
		if err := srv.Start(worker.Mux(svc)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Shutdown)
		w.svcs = append(w.svcs, svc)
	}
	return w
}

// waitIdle waits until no task of the queue is pending or running.
func (w *workers) waitIdle(t *testing.T) {
	t.Helper()
	testenv.WaitIdle(t, w.insp, w.queue)
}

// periodic runs a periodic task on svc, as the scheduler would have it run.
func periodic(t *testing.T, svc *webhooks.Service, typ string) {
	t.Helper()
	if err := worker.Mux(svc).ProcessTask(context.Background(), asynq.NewTask(typ, nil)); err != nil {
		t.Fatalf("%s: %v", typ, err)
	}
}
