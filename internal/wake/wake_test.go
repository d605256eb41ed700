package wake_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/wake"
)

// counter is a handler that counts the runs of each task payload.
type counter struct {
	mu   sync.Mutex
	runs map[string]int
	ran  chan string
}

func newCounter() *counter { return &counter{runs: map[string]int{}, ran: make(chan string, 1000)} }

func (c *counter) ProcessTask(_ context.Context, t *asynq.Task) error {
	c.mu.Lock()
	c.runs[string(t.Payload())]++
	c.mu.Unlock()
	c.ran <- string(t.Payload())
	return nil
}

// startLane runs l until the test ends, or until the returned func, which
// stops it and waits until the tasks it took have run, is called.
func startLane(t testing.TB, l *wake.Lane) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); l.Run(ctx) }()
	stop = sync.OnceFunc(func() { cancel(); <-done })
	t.Cleanup(stop)
	return stop
}

// startPoller runs an Asynq server on q that polls the queue every 20 ms
// (and moves due tasks to it only every minute) with a handler of its own,
// until the test ends: a task it runs came through Asynq's polling, not
// through the lane. (A short poll also lets Shutdown return at once: Asynq
// sleeps between two polls, and Shutdown waits for that sleep.)
func startPoller(t testing.TB, rdb redis.UniversalClient, q string) *counter {
	t.Helper()
	srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Queues: map[string]int{q: 1}, TaskCheckInterval: 20 * time.Millisecond, DelayedTaskCheckInterval: time.Minute, LogLevel: asynq.FatalLevel,
	})
	h := newCounter()
	if err := srv.Start(h); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	return h
}

// A task enqueued to run now reaches a worker through the lane, while
// Asynq's server beside it, polling the queue all along, never sees it (its
// backstop is an hour away): the delivery does not wait for any poll.
func TestLaneRunsTaskWithoutPolling(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	polled := startPoller(t, rdb, q)
	h := newCounter()
	startLane(t, &wake.Lane{RDB: rdb, Queue: q, Handler: h, Capacity: 4, ShutdownTimeout: time.Second})
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	queue.Backstop = time.Hour
	if _, err := queue.EnqueueContext(context.Background(), asynq.NewTask("test:run", []byte("a")), asynq.Queue(q), asynq.TaskID("a")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.ran:
	case <-polled.ran:
		t.Fatal("Asynq's polling ran the task, not the lane")
	case <-time.After(20 * time.Second):
		t.Fatal("the task did not run within 20s")
	}
	// Done: removed from Asynq, nothing left to run again.
	testenv.Eventually(t, 30*time.Second, "the task to be removed after it ran", func() bool {
		_, err := asynq.NewInspectorFromRedisClient(rdb).GetTaskInfo(q, "a")
		return err != nil
	})
}

// Two workers listen on the lane of a queue: each task runs once, on one
// of them, and both take part.
func TestLaneRunsEachTaskOnce(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	queue.Backstop = time.Hour // only the lane runs tasks: no Asynq server
	const n = 200
	ctx := context.Background()
	for i := range n {
		id := fmt.Sprint(i)
		if _, err := queue.EnqueueContext(ctx, asynq.NewTask("test:run", []byte(id)), asynq.Queue(q), asynq.TaskID(id)); err != nil {
			t.Fatal(err)
		}
	}
	// Every entry twice: a worker popping a task another took must not run it.
	entries := rdb.LRange(ctx, wake.Key(q), 0, -1).Val()
	for _, e := range entries {
		rdb.RPush(ctx, wake.Key(q), e)
	}
	a, b := newCounter(), newCounter()
	stopA := startLane(t, &wake.Lane{RDB: rdb, Queue: q, Handler: a, Capacity: 3, ShutdownTimeout: time.Second})
	stopB := startLane(t, &wake.Lane{RDB: testenv.OpenRedis(t), Queue: q, Handler: b, Capacity: 3, ShutdownTimeout: time.Second})
	for range n {
		select {
		case <-a.ran:
		case <-b.ran:
		case <-time.After(30 * time.Second):
			t.Fatal("not every task ran within 30s")
		}
	}
	testenv.Eventually(t, 30*time.Second, "the lane to be drained", func() bool { return rdb.LLen(ctx, wake.Key(q)).Val() == 0 })
	// Every entry is taken: once both workers have stopped, whatever they
	// took has run, or was rightly left alone.
	stopA()
	stopB()
	for i := range n {
		id := fmt.Sprint(i)
		if got := a.runs[id] + b.runs[id]; got != 1 {
			t.Errorf("task %s ran %d times", id, got)
		}
	}
	if len(a.runs) == 0 || len(b.runs) == 0 {
		t.Errorf("one worker ran every task: %d and %d", len(a.runs), len(b.runs))
	}
}

// A worker stops at once, without waiting for its blocking pop: what that
// pop still brings goes back to the lane, and another worker runs it (its
// backstop is an hour away).
func TestLaneStoppedDuringPopGivesTaskBack(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	// The stopping worker's own connection, named, to see it block.
	opts := *rdb.(*redis.Client).Options()
	opts.ClientName = q
	popper := redis.NewClient(&opts)
	t.Cleanup(func() { popper.Close() })
	gone := newCounter()
	stop := startLane(t, &wake.Lane{RDB: popper, Queue: q, Handler: gone, Capacity: 1, ShutdownTimeout: time.Second})
	testenv.Eventually(t, 10*time.Second, "the worker to wait in its blocking pop", func() bool {
		for _, line := range strings.Split(rdb.ClientList(context.Background()).Val(), "\n") {
			if strings.Contains(line, " name="+q+" ") && (strings.Contains(line, " cmd=blpop ") || strings.Contains(line, " cmd=blmpop ")) {
				return true
			}
		}
		return false
	})
	// stop returns without waiting for the pop, which takes the entry below.
	stop()
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	queue.Backstop = time.Hour
	if _, err := queue.EnqueueContext(context.Background(), asynq.NewTask("test:run", []byte("a")), asynq.Queue(q), asynq.TaskID("a")); err != nil {
		t.Fatal(err)
	}
	h := newCounter()
	startLane(t, &wake.Lane{RDB: rdb, Queue: q, Handler: h, Capacity: 1, ShutdownTimeout: time.Second})
	select {
	case <-h.ran:
	case <-gone.ran:
		t.Fatal("the stopped worker ran the task")
	case <-time.After(20 * time.Second):
		t.Fatal("the task did not run within 20s: the stopped worker's pop lost it")
	}
}

// A worker that stops while it runs a task it took (killed: its tasks
// never end) leaves the task scheduled at the end of its lease; Asynq then
// runs it on another worker.
func TestLaneTaskOfDeadWorkerRunsAgain(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	started := make(chan struct{})
	stuck := asynq.HandlerFunc(func(ctx context.Context, _ *asynq.Task) error {
		close(started)
		select {} // the process dies here: nothing after this runs
	})
	ctx, kill := context.WithCancel(context.Background())
	go (&wake.Lane{RDB: rdb, Queue: q, Handler: stuck, Capacity: 1, LeaseMargin: time.Second, ShutdownTimeout: time.Millisecond}).Run(ctx)
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	queue.Backstop = time.Hour
	if _, err := queue.EnqueueContext(context.Background(), asynq.NewTask("test:run", []byte("a")), asynq.Queue(q), asynq.TaskID("a"), asynq.Timeout(time.Second)); err != nil {
		t.Fatal(err)
	}
	<-started
	kill()

	h := newCounter()
	srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Queues: map[string]int{q: 1}, TaskCheckInterval: 100 * time.Millisecond, DelayedTaskCheckInterval: 100 * time.Millisecond, LogLevel: asynq.FatalLevel,
	})
	if err := srv.Start(h); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	select {
	case <-h.ran: // after the lease (1s timeout + 1s), not the hour of the backstop
	case <-time.After(30 * time.Second):
		t.Fatal("the task of the dead worker did not run again within 30s")
	}
}

// A failed task is retried by Asynq after the worker's retry delay; a
// task whose error skips retries is not.
func TestLaneRetriesFailedTask(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	var mu sync.Mutex
	runs := map[string]int{}
	ran := make(chan string, 10)
	h := asynq.HandlerFunc(func(_ context.Context, t *asynq.Task) error {
		mu.Lock()
		runs[string(t.Payload())]++
		n := runs[string(t.Payload())]
		mu.Unlock()
		ran <- string(t.Payload())
		switch {
		case string(t.Payload()) == "skip":
			return fmt.Errorf("bad payload: %w", asynq.SkipRetry)
		case n == 1:
			return fmt.Errorf("database away")
		}
		return nil
	})
	srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Queues: map[string]int{q: 1}, TaskCheckInterval: 100 * time.Millisecond, DelayedTaskCheckInterval: 100 * time.Millisecond, LogLevel: asynq.FatalLevel,
	})
	if err := srv.Start(h); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	startLane(t, &wake.Lane{RDB: rdb, Queue: q, Handler: h, Capacity: 2, ShutdownTimeout: time.Second,
		RetryDelay: func(int, error, *asynq.Task) time.Duration { return time.Second }})
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	queue.Backstop = time.Hour
	for _, id := range []string{"retry", "skip"} {
		if _, err := queue.EnqueueContext(context.Background(), asynq.NewTask("test:run", []byte(id)), asynq.Queue(q), asynq.TaskID(id)); err != nil {
			t.Fatal(err)
		}
	}
	testenv.Eventually(t, 30*time.Second, "the failed task to be retried", func() bool { mu.Lock(); defer mu.Unlock(); return runs["retry"] == 2 })
	insp := asynq.NewInspectorFromRedisClient(rdb)
	testenv.Eventually(t, 30*time.Second, "both tasks to be removed", func() bool {
		_, e1 := insp.GetTaskInfo(q, "retry")
		_, e2 := insp.GetTaskInfo(q, "skip")
		return e1 != nil && e2 != nil
	})
	mu.Lock()
	defer mu.Unlock()
	if runs["skip"] != 1 {
		t.Errorf("the task whose error skips retries ran %d times, want 1", runs["skip"])
	}
}

// Nobody listens: the lane keeps only the newest entries, and every task
// still waits in Asynq's scheduled set for its backstop.
func TestLaneIsBounded(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	queue.Max = 5
	for i := range 20 {
		if _, err := queue.EnqueueContext(context.Background(), asynq.NewTask("test:run", []byte(fmt.Sprint(i))), asynq.Queue(q)); err != nil {
			t.Fatal(err)
		}
	}
	if n := rdb.LLen(context.Background(), wake.Key(q)).Val(); n != 5 {
		t.Errorf("the lane holds %d entries, want 5", n)
	}
	info, err := asynq.NewInspectorFromRedisClient(rdb).GetQueueInfo(q)
	if err != nil {
		t.Fatal(err)
	}
	if info.Scheduled != 20 {
		t.Errorf("%d tasks scheduled, want 20", info.Scheduled)
	}
}

// A task due in two seconds (a short retry, a wait for a delivery limit)
// is taken by the lane at its due time, not earlier, while Asynq's server
// beside it, polling the queue all along, never sees it (Asynq moves due
// tasks to the queue only every minute).
func TestLaneRunsTaskDueSoonAtItsTime(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	polled := startPoller(t, rdb, q)
	h := newCounter()
	startLane(t, &wake.Lane{RDB: rdb, Queue: q, Handler: h, Capacity: 4, ShutdownTimeout: time.Second})
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	due := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
	if _, err := queue.EnqueueContext(context.Background(), asynq.NewTask("test:run", []byte("a")), asynq.Queue(q), asynq.TaskID("a"), asynq.ProcessAt(due)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.ran:
		if now := time.Now(); now.Before(due) {
			t.Errorf("the task ran %s before its due time", due.Sub(now))
		}
	case <-polled.ran:
		t.Fatal("Asynq's polling ran the task, not the lane")
	case <-time.After(20 * time.Second):
		t.Fatal("the task did not run within 20s")
	}
}

// A task due soon is scheduled in Asynq a backstop after its due time, so
// that Asynq's forwarder does not move it to pending at the very time the
// lane's worker comes to take it (it would then wait for a poll).
func TestLaneTaskDueSoonIsNotAsynqsAtItsTime(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	due := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
	if _, err := queue.EnqueueContext(context.Background(), asynq.NewTask("test:run", []byte("b")), asynq.Queue(q), asynq.TaskID("b"), asynq.ProcessAt(due)); err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspectorFromRedisClient(rdb)
	info, err := insp.GetTaskInfo(q, "b")
	if err != nil {
		t.Fatal(err)
	}
	if want := due.Add(wake.DefaultBackstop); info.NextProcessAt.Before(want) {
		t.Errorf("Asynq runs the task at %s, want its backstop %s after its due time %s", info.NextProcessAt, wake.DefaultBackstop, due)
	}
	n, err := rdb.LLen(context.Background(), wake.Key(q)).Result()
	if err != nil || n != 1 {
		t.Errorf("wake list holds %d entries (%v), want the task's", n, err)
	}
}

// commands counts what a client sends to Redis: each command by name,
// and the round trips (a command or a pipeline is one). What go-redis
// sends to set up a new connection is not counted.
type commands struct {
	mu    sync.Mutex
	names map[string]int
	trips int
}

func (c *commands) DialHook(next redis.DialHook) redis.DialHook { return next }
func (c *commands) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.add(cmd)
		return next(ctx, cmd)
	}
}
func (c *commands) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.add(cmds...)
		return next(ctx, cmds)
	}
}

// add counts one round trip of cmds, unless it sets up a connection.
func (c *commands) add(cmds ...redis.Cmder) {
	if len(cmds) == 0 {
		return
	}
	switch cmds[0].Name() {
	case "hello", "auth", "select", "client":
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.names == nil {
		c.names = map[string]int{}
	}
	c.trips++
	for _, cmd := range cmds {
		c.names[cmd.Name()]++
	}
}

// count is how many commands of name were sent.
func (c *commands) count(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.names[name]
}

// roundTrips is how many round trips were made.
func (c *commands) roundTrips() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.trips
}

// reset forgets what was counted.
func (c *commands) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.names, c.trips = nil, 0
}

// runOneByOne enqueues n tasks on queue q of rdb, each once the one before
// has run and is finished (nothing waits or runs through the lane), and
// fails unless every one runs within 10 s (their backstop is an hour
// away: only the lane runs them).
func runOneByOne(t *testing.T, rdb redis.UniversalClient, q string, h *counter, n int) {
	t.Helper()
	ctx := context.Background()
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	queue.Backstop = time.Hour
	for i := range n {
		id := fmt.Sprint(i)
		if _, err := queue.EnqueueContext(ctx, asynq.NewTask("test:run", []byte(id)), asynq.Queue(q), asynq.TaskID(id)); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-h.ran:
			if got != id {
				t.Fatalf("ran %q, want %q", got, id)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("task %s did not run within 10s", id)
		}
		testenv.Eventually(t, 10*time.Second, "task "+id+" to be finished", func() bool {
			busy, err := wake.Busy(ctx, rdb, q)
			return err == nil && busy == 0
		})
	}
}

// A worker woken for one task at a time (the lane idle, with free slots)
// pops it in one round trip: it does not ask again to find the list empty.
func TestLanePopsOnceForOneTask(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	lane := redis.NewClient(rdb.(*redis.Client).Options())
	t.Cleanup(func() { lane.Close() })
	counted := &commands{}
	lane.AddHook(counted)
	q := testenv.NewQueue(t)
	h := newCounter()
	startLane(t, &wake.Lane{RDB: lane, Queue: q, Handler: h, Capacity: 4, ShutdownTimeout: time.Second})
	runOneByOne(t, rdb, q, h, 10)
	if n := counted.count("lpop"); n != 0 {
		t.Errorf("%d LPOPs for 10 tasks enqueued one by one, want none (blocking pops: %d BLMPOP, %d BLPOP)",
			n, counted.count("blmpop"), counted.count("blpop"))
	}
	if counted.count("blmpop") == 0 {
		t.Errorf("no BLMPOP: %d BLPOP", counted.count("blpop"))
	}
}

// On a Redis without BLMPOP (miniredis, as the embedded mode runs; Redis
// before 7) the lane pops with BLPOP and runs every task.
func TestLaneWithoutBLMPOP(t *testing.T) {
	t.Parallel()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	if err := rdb.BLMPop(context.Background(), time.Millisecond, "left", 2, "x").Err(); err == nil || errors.Is(err, redis.Nil) {
		t.Skipf("this miniredis has BLMPOP (%v): nothing to fall back from", err)
	}
	q := testenv.NewQueue(t)
	h := newCounter()
	startLane(t, &wake.Lane{RDB: rdb, Queue: q, Handler: h, Capacity: 4, ShutdownTimeout: time.Second})
	runOneByOne(t, rdb, q, h, 5)
}

// A task to run now, enqueued through the Queue, is the task Asynq's own
// client would have scheduled at the same time, with the same options:
// Asynq reads it back the same (and runs it so at its backstop).
func TestQueueSchedulesAsAsynqDoes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := testenv.OpenRedis(t)
	client := asynq.NewClientFromRedisClient(rdb)
	queue := wake.NewQueue(client, rdb)
	inspector := asynq.NewInspectorFromRedisClient(rdb)
	deadline := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	for i, tc := range []struct {
		name string
		task *asynq.Task
		opts []asynq.Option
	}{
		{"no options", asynq.NewTask("test:run", []byte(`{"a":1}`)), nil},
		{"no payload", asynq.NewTask("test:run", nil), nil},
		{"retries and timeout", asynq.NewTask("test:run", []byte("x")), []asynq.Option{asynq.MaxRetry(3), asynq.Timeout(2 * time.Minute)}},
		{"no retries", asynq.NewTask("test:run", []byte("x")), []asynq.Option{asynq.MaxRetry(0)}},
		{"deadline", asynq.NewTask("test:run", []byte("x")), []asynq.Option{asynq.Deadline(deadline)}},
		{"retention", asynq.NewTask("test:run", []byte("x")), []asynq.Option{asynq.Retention(time.Hour)}},
		{"headers", asynq.NewTaskWithHeaders("test:run", []byte("x"), map[string]string{"a": "1", "b": "two"}), nil},
	} {
		q := testenv.NewQueue(t)
		id := fmt.Sprint("task-", i)
		opts := append([]asynq.Option{asynq.Queue(q), asynq.TaskID(id)}, tc.opts...)
		info, err := queue.EnqueueContext(ctx, tc.task, opts...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want, err := client.EnqueueContext(ctx, tc.task, append(opts, asynq.TaskID(id+"-asynq"), asynq.ProcessAt(info.NextProcessAt))...)
		if err != nil {
			t.Fatalf("%s: Asynq's client: %v", tc.name, err)
		}
		got, err := inspector.GetTaskInfo(q, id)
		if err != nil {
			t.Fatalf("%s: Asynq reads the task: %v", tc.name, err)
		}
		if want, err = inspector.GetTaskInfo(q, want.ID); err != nil {
			t.Fatal(err)
		}
		want.ID = id
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Errorf("%s: Asynq reads\n%+v\nwant, as its client scheduled it,\n%+v", tc.name, got, want)
		}
		if info.State != asynq.TaskStateScheduled || info.MaxRetry != want.MaxRetry || info.Timeout != want.Timeout ||
			!info.Deadline.Equal(want.Deadline) || info.Retention != want.Retention {
			t.Errorf("%s: EnqueueContext answered %+v, Asynq reads %+v", tc.name, info, want)
		}
		if n := rdb.LLen(ctx, wake.Key(q)).Val(); n != 1 {
			t.Errorf("%s: %d entries in the wake list, want 1", tc.name, n)
		}
	}
}

// A task ID already taken is refused as Asynq's client refuses it, and
// nothing is pushed onto the wake list for it.
func TestQueueRefusesTakenTaskID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := testenv.OpenRedis(t)
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	q := testenv.NewQueue(t)
	for i := range 2 {
		_, err := queue.EnqueueContext(ctx, asynq.NewTask("test:run", nil), asynq.Queue(q), asynq.TaskID("same"))
		if i == 1 && !errors.Is(err, asynq.ErrTaskIDConflict) {
			t.Errorf("second enqueue of one ID: %v, want %v", err, asynq.ErrTaskIDConflict)
		} else if i == 0 && err != nil {
			t.Fatal(err)
		}
	}
	if n := rdb.LLen(ctx, wake.Key(q)).Val(); n != 1 {
		t.Errorf("%d entries in the wake list, want 1", n)
	}
}

// Enqueuing a task to run now is one round trip to Redis: the task
// scheduled and its wake entry pushed by one script.
func TestQueueEnqueueIsOneRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := redis.NewClient(testenv.OpenRedis(t).(*redis.Client).Options())
	t.Cleanup(func() { rdb.Close() })
	counted := &commands{}
	rdb.AddHook(counted)
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	q := testenv.NewQueue(t)
	// The first enqueue of a queue also adds its name to Asynq's queues,
	// and loads the script.
	if _, err := queue.EnqueueContext(ctx, asynq.NewTask("test:run", nil), asynq.Queue(q)); err != nil {
		t.Fatal(err)
	}
	counted.reset()
	for range 5 {
		if _, err := queue.EnqueueContext(ctx, asynq.NewTask("test:run", nil), asynq.Queue(q)); err != nil {
			t.Fatal(err)
		}
	}
	if n := counted.roundTrips(); n != 5 {
		t.Errorf("%d round trips for 5 tasks, want 5", n)
	}
	if n := rdb.LLen(ctx, wake.Key(q)).Val(); n != 6 {
		t.Errorf("%d entries in the wake list, want 6", n)
	}
}
