package worker_test

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/worker"
)

// Three workers enqueue a periodic task for the same tick: one task
// results, also when the others come after it ran; the next tick gets its
// own.
func TestPeriodicTaskOncePerTick(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	client := asynq.NewClientFromRedisClient(rdb)
	insp := asynq.NewInspectorFromRedisClient(rdb)
	p := worker.PeriodicTask{Every: time.Minute, Task: asynq.NewTask("test:tick", nil), Opts: []asynq.Option{asynq.Queue(q), asynq.MaxRetry(0)}}
	ctx := context.Background()
	tick := time.Now().Truncate(p.Every)
	enqueue := func(at time.Time) bool {
		t.Helper()
		ok, err := worker.EnqueueTick(ctx, client, p, at)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !enqueue(tick) {
		t.Fatal("the first worker's enqueue was refused")
	}
	if enqueue(tick) || enqueue(tick) {
		t.Error("a second worker enqueued the same tick")
	}

	// The task runs and ends; a worker whose clock is a little behind comes
	// for the same tick afterwards.
	srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{Queues: map[string]int{q: 1}, TaskCheckInterval: 20 * time.Millisecond, LogLevel: asynq.FatalLevel})
	ran := make(chan struct{}, 10)
	if err := srv.Start(asynq.HandlerFunc(func(context.Context, *asynq.Task) error { ran <- struct{}{}; return nil })); err != nil {
		t.Fatal(err)
	}
	<-ran
	testenv.WaitIdle(t, insp, q)
	srv.Shutdown()
	if enqueue(tick) {
		t.Error("the tick was enqueued again after its task ran")
	}
	if !enqueue(tick.Add(p.Every)) {
		t.Error("the next tick was refused")
	}
}
