// Package wake is the wake lane: how a task enqueued to run now reaches an
// idle worker at once, although Asynq's workers poll Redis for new tasks
// (and sleep between polls: they cannot be woken).
//
// What happens:
//
//  1. The producer (Queue, an Enqueuer the domain uses like *asynq.Client)
//     enqueues a task meant to run now as a *scheduled* Asynq task, due a
//     few seconds ahead (Backstop), and pushes {id, type, payload, due,
//     timeout, max retry} onto the queue's wake list in Redis,
//     "scoopa:{<queue>}:wake". The list is bounded (Max entries, the
//     newest kept). Both are done by one script, in one round trip: the
//     task is written as Asynq's client writes a scheduled task (its v0.2x
//     layout and message, which TestQueueSchedulesAsAsynqDoes compares
//     with its client's). Options given to asynq.NewTask are not seen:
//     give them to EnqueueContext.
//  2. Each worker runs one lane goroutine (Lane.Run). While the worker has
//     a free slot, it blocks in BLMPOP on the list (BLPOP before Redis 7),
//     for as many entries as it has free slots: an idle worker costs no
//     CPU and no polling, and a push wakes one worker at once.
//  3. A popped entry is *taken* by one Lua script on Asynq's scheduled set:
//     if the task is still there with the due time it was enqueued with
//     (not yet moved to pending by Asynq's forwarder, not taken by another
//     worker), its due time becomes the end of a lease (the task's timeout
//     plus LeaseMargin), and its ID joins the set "scoopa:{<queue>}:running"
//     (Busy). Only one worker can take a task.
//  4. The task runs with the worker's handler, under its timeout. Success:
//     the task is deleted (as Inspector.DeleteTask would). An error that allows a
//     retry: its due time becomes now + the retry delay, and Asynq runs the
//     retry as it runs any scheduled task (counting its retries from 0: a
//     task run through the lane gets at most one attempt more than its
//     MaxRetry). An error wrapping asynq.SkipRetry, or MaxRetry 0: deleted
//     (Asynq would archive it), the error reported.
//  5. Anything that goes wrong falls back on Asynq: an entry lost (list
//     trimmed, Redis restarted, no worker listening) leaves the scheduled
//     task, which Asynq moves to pending at its due time and a worker's poll
//     picks up; a worker that dies while it runs a task leaves it scheduled
//     at the end of its lease, when Asynq runs it again. For deliveries the
//     database's sweeper recovers the call earlier (a call left RUNNING
//     counts as lost past its own lease); the claim makes the late task a
//     no-op.
//
// A task due within ShortWait (a short retry, a wait for a delivery limit)
// takes the lane too: it is scheduled a backstop after its due time, and
// the worker that pops its entry waits (without a slot) until the due time,
// then takes and runs it as above; Asynq's forwarder and poll would run it
// up to a couple of seconds late. Tasks due later, tasks with a uniqueness lock
// and the types the producer is told to skip go to Asynq unchanged.
//
// # Asynq's layout
//
// The lane reads and writes Asynq's private Redis layout, that of Asynq
// v0.26.0 (checkedAsynq): the enqueue's script writes the task as Asynq's
// client writes a scheduled task (scheduleCmd in Asynq's internal/rdb),
// the take moves its score in Asynq's scheduled set, the finish deletes it
// as Asynq's inspector does (deleteTaskCmd). Tests pin that layout
// (drift_test.go): TestAsynqVersionIsTheCheckedOne fails on any other
// version of Asynq in go.mod, and says what to re-check in Asynq's source;
// TestScriptWritesWhatAsynqWrites enqueues the same tasks through the
// script into one queue and through Asynq's client into another, and
// compares the commands (Asynq's script, by its SHA-1, with its keys and
// arguments) and what Redis then holds (every key of the two queues, the
// task hashes field by field, the messages field by field, the scheduled
// sets, the set of queues), so that a change of layout fails even under the
// same version; TestFinishDeletesAsAsynqDoes compares the finish with the
// inspector's delete; TestAsynqRunsWhatTheScriptScheduled has Asynq's
// inspector list, and its server run, a task the script scheduled.
//
// Enqueuing through Asynq's public client instead, then pushing the wake
// entry (a pipeline), was measured and not kept. It makes two round trips
// to Redis per task instead of one, and costs more CPU on both sides:
// BenchmarkEnqueue* and BenchmarkEndToEnd, 20 runs of each way in
// alternation on a Redis of their own (7 December 2026, two shared cores;
// medians, script → client), 46 → 62 µs of CPU per task enqueued one at a
// time, 26 → 44 µs from 16 goroutines (Redis: 20 → 29 µs); with a lane
// running the tasks, 146 → 210 µs per task one by one (the enqueue to the
// handler: 222 → 310 µs), 82 → 107 µs 16 at a time (Redis: 54 → 61 µs).
// Across the whole system the one script had measured 6–9 % less CPU per
// delivery at 50 files/s and 12–15 % more deliveries per second one file
// to one webhook (docs/BENCHMARKS.md, "Two Redis round trips fewer per
// delivery"). And the client would free the lane from Asynq's layout only
// in part: Asynq has no public call that leases a scheduled task, so the
// take and the finish would stay on the layout, and need the tests anyway.
package wake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"google.golang.org/protobuf/encoding/protowire"
)

// Defaults.
const (
	// DefaultBackstop is how far ahead a task of the lane is scheduled: when
	// no worker takes it from the lane by then, Asynq runs it.
	DefaultBackstop = 3 * time.Second
	// DefaultMax bounds the entries of a wake list.
	DefaultMax = 10000
	// DefaultLeaseMargin is added to a task's timeout to make its lease.
	DefaultLeaseMargin = 30 * time.Second
	// defaultTimeout is Asynq's timeout of a task that names none.
	defaultTimeout = 30 * time.Minute
	// ShortWait: a task due within it goes through the lane too, held by
	// a worker until its due time.
	ShortWait = 5 * time.Second
	// idleWait bounds one blocking pop.
	idleWait = time.Second
)

// checkedAsynq is the version of Asynq whose Redis layout the lane's
// scripts were checked against (see "Asynq's layout" in the package
// comment); TestAsynqVersionIsTheCheckedOne fails on any other. Change it
// only after re-checking what that test's message lists.
const checkedAsynq = "v0.26.0"

// Key is the Redis list of the wake lane of a queue.
func Key(queue string) string { return "scoopa:{" + queue + "}:wake" }

// runningKey is the set of the IDs of the tasks the lane runs.
func runningKey(queue string) string { return "scoopa:{" + queue + "}:running" }

// taskKey is Asynq's hash of a task (v0.2x layout).
func taskKey(queue, id string) string { return "asynq:{" + queue + "}:t:" + id }

// Busy returns how many tasks of a queue wait in its wake list or run
// through the lane: Asynq shows the latter as scheduled.
func Busy(ctx context.Context, rdb redis.UniversalClient, queue string) (int64, error) {
	var waiting, running *redis.IntCmd
	_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		waiting = p.LLen(ctx, Key(queue))
		running = p.SCard(ctx, runningKey(queue))
		return nil
	})
	if err != nil {
		return 0, err
	}
	return waiting.Val() + running.Val(), nil
}

// scheduledKey is Asynq's set of scheduled tasks of a queue (v0.2x layout).
func scheduledKey(queue string) string { return "asynq:{" + queue + "}:scheduled" }

// entry is what the wake list holds for one task.
type entry struct {
	ID       string        `json:"id"`
	Type     string        `json:"type"`
	Payload  []byte        `json:"payload,omitempty"`
	Due      int64         `json:"due"`          // the task's score in the scheduled set (Unix seconds)
	At       int64         `json:"at,omitempty"` // when to take it, for a task due soon (Unix ms)
	Timeout  time.Duration `json:"timeout,omitempty"`
	MaxRetry int           `json:"max_retry"`
}

// Queue enqueues tasks on Asynq, those to run now through the wake lane.
type Queue struct {
	client *asynq.Client
	rdb    redis.UniversalClient
	skip   map[string]bool
	queues sync.Map // the queues' names known to be in Asynq's set
	// Backstop: see DefaultBackstop. Max: see DefaultMax.
	Backstop time.Duration
	Max      int
}

// NewQueue returns a Queue enqueuing through client, pushing onto the wake
// lists in rdb; tasks of the types in skip are never sent through the lane.
func NewQueue(client *asynq.Client, rdb redis.UniversalClient, skip ...string) *Queue {
	q := &Queue{client: client, rdb: rdb, skip: map[string]bool{}, Backstop: DefaultBackstop, Max: DefaultMax}
	for _, t := range skip {
		q.skip[t] = true
	}
	return q
}

// EnqueueContext enqueues t like asynq.Client.EnqueueContext; a task to
// run now also goes onto the wake lane (see the package comment).
func (q *Queue) EnqueueContext(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error) {
	e := entry{Type: t.Type(), Payload: t.Payload(), MaxRetry: 25}
	queue := "default"
	var at, deadline time.Time
	var retention time.Duration
	for _, o := range opts {
		switch o.Type() {
		case asynq.ProcessAtOpt:
			at = o.Value().(time.Time)
		case asynq.ProcessInOpt:
			at = time.Now().Add(o.Value().(time.Duration))
		case asynq.QueueOpt:
			queue = o.Value().(string)
		case asynq.TaskIDOpt:
			e.ID = o.Value().(string)
		case asynq.MaxRetryOpt:
			e.MaxRetry = o.Value().(int)
		case asynq.TimeoutOpt:
			e.Timeout = o.Value().(time.Duration)
		case asynq.DeadlineOpt:
			deadline = o.Value().(time.Time)
		case asynq.RetentionOpt:
			retention = o.Value().(time.Duration)
		default: // a uniqueness lock, a group: Asynq's own
			return q.client.EnqueueContext(ctx, t, opts...)
		}
	}
	if q.skip[t.Type()] || strings.TrimSpace(queue) == "" || (!at.IsZero() && time.Until(at) > ShortWait) {
		return q.client.EnqueueContext(ctx, t, opts...)
	}
	if e.ID == "" {
		var b [16]byte
		_, _ = rand.Read(b[:])
		e.ID = hex.EncodeToString(b[:])
	} else if strings.TrimSpace(e.ID) == "" {
		return q.client.EnqueueContext(ctx, t, opts...) // Asynq's error
	}
	if e.Timeout == 0 && deadline.IsZero() {
		e.Timeout = defaultTimeout // Asynq's, when neither is given
	}
	var due time.Time
	if at.IsZero() {
		// Asynq keeps due times in whole seconds.
		due = time.Now().Add(q.Backstop).Add(time.Second - 1).Truncate(time.Second)
	} else {
		// Due soon (a short retry, a wait for a delivery limit): a worker
		// holds the entry and takes the task at its due time. Asynq has the
		// task a backstop later, as for a task to run now: scheduled at its
		// due time, Asynq's forwarder (every second) would often move it to
		// pending at that very second, before the worker's take, and the
		// task would then wait for a poll (measured: a 1 s retry came after
		// 2.4 s at the median).
		e.At = at.Add(time.Second - 1).Truncate(time.Second).UnixMilli()
		due = time.UnixMilli(e.At).Add(q.Backstop)
	}
	e.Due = due.Unix()
	msg := taskMessage{
		typ: t.Type(), payload: t.Payload(), headers: t.Headers(), id: e.ID, queue: queue,
		retry: e.MaxRetry, timeout: int64(e.Timeout.Seconds()), retention: int64(retention.Seconds()),
	}
	if !deadline.IsZero() {
		msg.deadline = deadline.Unix()
	}
	if err := q.schedule(ctx, msg, e); err != nil {
		return nil, err
	}
	return &asynq.TaskInfo{
		ID: e.ID, Queue: queue, Type: t.Type(), Payload: t.Payload(), Headers: t.Headers(),
		State: asynq.TaskStateScheduled, MaxRetry: e.MaxRetry, Timeout: time.Duration(msg.timeout) * time.Second,
		Deadline: deadline, Retention: time.Duration(msg.retention) * time.Second, NextProcessAt: due,
	}, nil
}

// schedule adds the task to Asynq's scheduled set at its due time, as
// Asynq's client does, and its entry to the wake list, in one round trip
// (the queue's name joins Asynq's set of queues once per Queue, as
// Asynq's client does it).
func (q *Queue) schedule(ctx context.Context, msg taskMessage, e entry) error {
	if _, known := q.queues.Load(msg.queue); !known {
		if err := q.rdb.SAdd(ctx, allQueuesKey, msg.queue).Err(); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
		q.queues.Store(msg.queue, struct{}{})
	}
	b, _ := json.Marshal(e)
	n, err := scheduleAndWake.Run(ctx, q.rdb,
		[]string{taskKey(msg.queue, e.ID), scheduledKey(msg.queue), Key(msg.queue)},
		msg.encode(), e.Due, e.ID, b, q.Max).Int()
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	if n == 0 {
		return asynq.ErrTaskIDConflict
	}
	return nil
}

// scheduleAndWake is Asynq's script that schedules a task (v0.2x), and
// the push of its entry onto the wake list, bounded.
var scheduleAndWake = redis.NewScript(`
if redis.call("EXISTS", KEYS[1]) == 1 then
	return 0
end
redis.call("HSET", KEYS[1], "msg", ARGV[1], "state", "scheduled")
redis.call("ZADD", KEYS[2], ARGV[2], ARGV[3])
redis.call("RPUSH", KEYS[3], ARGV[4])
redis.call("LTRIM", KEYS[3], -tonumber(ARGV[5]), -1)
return 1
`)

// allQueuesKey is Asynq's set of the queues' names (v0.2x layout).
const allQueuesKey = "asynq:queues"

// taskMessage is what Asynq keeps of a task in its hash ("msg"): its
// TaskMessage, in protocol buffers (asynq/internal/proto/asynq.proto).
type taskMessage struct {
	typ                          string
	payload                      []byte
	headers                      map[string]string
	id, queue                    string
	retry                        int
	timeout, deadline, retention int64 // seconds, Unix seconds, seconds
}

// encode is the message as Asynq's client encodes it; fields at their
// zero value are left out, as protocol buffers do.
func (m taskMessage) encode() []byte {
	var b []byte
	str := func(num protowire.Number, v string) {
		if v != "" {
			b = protowire.AppendTag(b, num, protowire.BytesType)
			b = protowire.AppendString(b, v)
		}
	}
	num := func(num protowire.Number, v int64) {
		if v != 0 {
			b = protowire.AppendTag(b, num, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(v))
		}
	}
	str(1, m.typ)
	if len(m.payload) > 0 {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendBytes(b, m.payload)
	}
	str(3, m.id)
	str(4, m.queue)
	num(5, int64(int32(m.retry)))
	num(8, m.timeout)
	num(9, m.deadline)
	num(12, m.retention)
	for k, v := range m.headers { // map<string, string> headers = 15
		var entry []byte
		entry = protowire.AppendTag(entry, 1, protowire.BytesType)
		entry = protowire.AppendString(entry, k)
		entry = protowire.AppendTag(entry, 2, protowire.BytesType)
		entry = protowire.AppendString(entry, v)
		b = protowire.AppendTag(b, 15, protowire.BytesType)
		b = protowire.AppendBytes(b, entry)
	}
	return b
}

// take moves a task of the scheduled set from the due time it was
// enqueued with to the end of its lease; it returns 0 when the task is not
// there with that due time (moved to pending, taken, or gone).
// The ID joins the set of running tasks.
var take = redis.NewScript(`
local s = redis.call("ZSCORE", KEYS[1], ARGV[1])
if s and tonumber(s) == tonumber(ARGV[2]) then
	redis.call("ZADD", KEYS[1], "XX", ARGV[3], ARGV[1])
	redis.call("SADD", KEYS[2], ARGV[1])
	return 1
end
return 0
`)

// finish ends the lane's run of a task: deleted (as Inspector.DeleteTask
// does) when ARGV[2] is 0, else left scheduled for its retry at ARGV[2].
var finish = redis.NewScript(`
redis.call("SREM", KEYS[3], ARGV[1])
if tonumber(ARGV[2]) == 0 then
	redis.call("ZREM", KEYS[1], ARGV[1])
	redis.call("DEL", KEYS[2])
else
	redis.call("ZADD", KEYS[1], "XX", ARGV[2], ARGV[1])
end
return 1
`)

// Lane runs the tasks of a queue's wake list.
type Lane struct {
	RDB     redis.UniversalClient
	Queue   string
	Handler asynq.Handler
	// Capacity is how many tasks of the lane run at once.
	Capacity int
	// RetryDelay is Asynq's RetryDelayFunc of the worker.
	RetryDelay asynq.RetryDelayFunc
	// ErrorHandler, if not nil, is told of every task that failed.
	ErrorHandler asynq.ErrorHandler
	// ShutdownTimeout is how long running tasks may finish when ctx ends.
	ShutdownTimeout time.Duration
	// LeaseMargin, if not zero, replaces DefaultLeaseMargin.
	LeaseMargin time.Duration

	noBLMPop atomic.Bool // Redis refused BLMPOP: BLPOP instead
}

// Run pops and runs the lane's tasks until ctx ends, then lets running
// tasks finish for up to ShutdownTimeout.
func (l *Lane) Run(ctx context.Context) {
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	slots := make(chan struct{}, max(l.Capacity, 1))
	var wg sync.WaitGroup
	start := func(raw string) {
		var e entry
		if err := json.Unmarshal([]byte(raw), &e); err != nil || e.ID == "" {
			<-slots
			return
		}
		wg.Add(1)
		if wait := time.Until(time.UnixMilli(e.At)); e.At != 0 && wait > 0 {
			// Due soon: wait for it without a slot (Asynq runs it if this
			// worker stops meanwhile).
			<-slots
			go func() {
				defer wg.Done()
				select {
				case <-time.After(wait):
				case <-ctx.Done():
					return
				}
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					return
				}
				defer func() { <-slots }()
				l.run(runCtx, e)
			}()
			return
		}
		go func() {
			defer func() { <-slots; wg.Done() }()
			l.run(runCtx, e)
		}()
	}
	for ctx.Err() == nil {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			continue
		}
		// As many entries as there are free slots, this one included, in
		// one blocking pop: an idle worker woken for one task makes one
		// round trip, not a second to find the list empty.
		want := cap(slots) - len(slots) + 1
		raws, err := l.popUntil(ctx, want)
		if err != nil {
			<-slots
			if !errors.Is(err, redis.Nil) && ctx.Err() == nil {
				select { // Redis away: try again soon
				case <-time.After(idleWait):
				case <-ctx.Done():
				}
			}
			continue
		}
		start(raws[0])
		for _, raw := range raws[1:] {
			slots <- struct{}{}
			start(raw)
		}
		if len(raws) < want {
			continue // the list is empty
		}
		// Under load, take more at once, as many as there are free slots.
		for free := cap(slots) - len(slots); free > 0; free = cap(slots) - len(slots) {
			more, err := l.RDB.LPopCount(ctx, Key(l.Queue), free).Result()
			if err != nil || len(more) == 0 {
				break
			}
			for _, raw := range more {
				slots <- struct{}{}
				start(raw)
			}
		}
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(l.ShutdownTimeout):
		// Tasks still running stay scheduled at the end of their lease.
		stop()
		<-done
	}
}

// popUntil is pop, given up when ctx ends: a stopping worker does not
// wait for its blocking pop (up to idleWait) to return. What that pop
// brings after the end goes back to the head of the list, for another
// worker; if Redis cannot be reached by then (the client closed), those
// tasks run at their backstop, as every lost entry does.
func (l *Lane) popUntil(ctx context.Context, n int) ([]string, error) {
	type popped struct {
		raws []string
		err  error
	}
	got := make(chan popped, 1)
	go func() {
		raws, err := l.pop(context.WithoutCancel(ctx), n)
		got <- popped{raws, err}
	}()
	select {
	case p := <-got:
		return p.raws, p.err
	case <-ctx.Done():
		go func() {
			p := <-got
			if len(p.raws) == 0 {
				return
			}
			back := make([]any, len(p.raws)) // LPUSH reverses: first popped goes back first
			for i, raw := range p.raws {
				back[len(back)-1-i] = raw
			}
			_ = l.RDB.LPush(context.WithoutCancel(ctx), Key(l.Queue), back...).Err()
		}()
		return nil, ctx.Err()
	}
}

// pop waits up to idleWait for entries of the lane and returns from 1 to
// n of them: BLMPOP (Redis 7), else BLPOP, which takes one (Redis before
// 7, miniredis); redis.Nil when none came.
func (l *Lane) pop(ctx context.Context, n int) ([]string, error) {
	if n > 1 && !l.noBLMPop.Load() {
		_, raws, err := l.RDB.BLMPop(ctx, idleWait, "left", int64(n), Key(l.Queue)).Result()
		if err == nil || !unknownCommand(err) {
			return raws, err
		}
		l.noBLMPop.Store(true)
	}
	res, err := l.RDB.BLPop(ctx, idleWait, Key(l.Queue)).Result()
	if err != nil {
		return nil, err
	}
	return res[1:], nil
}

// unknownCommand tells whether Redis refused a command it does not have.
func unknownCommand(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "unknown command")
}

// run takes and runs one task of the lane.
func (l *Lane) run(ctx context.Context, e entry) {
	timeout := e.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	margin := l.LeaseMargin
	if margin == 0 {
		margin = DefaultLeaseMargin
	}
	lease := time.Now().Add(timeout + margin)
	keys := []string{scheduledKey(l.Queue), taskKey(l.Queue, e.ID), runningKey(l.Queue)}
	n, err := take.Run(ctx, l.RDB, []string{keys[0], keys[2]}, e.ID, e.Due, lease.Unix()+1).Int()
	if err != nil || n == 0 {
		return // forwarded to Asynq, taken by another worker, or gone
	}
	task := asynq.NewTask(e.Type, e.Payload)
	tctx, cancel := context.WithTimeout(ctx, timeout)
	err = process(tctx, l.Handler, task)
	cancel()
	if err == nil {
		l.finish(ctx, keys, e.ID, task, 0)
		return
	}
	if l.ErrorHandler != nil {
		l.ErrorHandler.HandleError(ctx, task, err)
	}
	if ctx.Err() != nil {
		// At shutdown: the task runs again at the end of its lease.
		l.RDB.SRem(context.WithoutCancel(ctx), keys[2], e.ID)
		return
	}
	if errors.Is(err, asynq.SkipRetry) || e.MaxRetry <= 0 {
		l.finish(ctx, keys, e.ID, task, 0)
		return
	}
	delay := time.Second
	if l.RetryDelay != nil {
		delay = l.RetryDelay(0, err, task)
	}
	at := time.Now().Add(delay).Add(time.Second - 1).Truncate(time.Second)
	l.finish(ctx, keys, e.ID, task, at.Unix())
}

// finish deletes a finished task (retryAt 0) or schedules its retry. If
// that fails, the task runs again at the end of its lease, which task IDs
// and the domain's claims make harmless.
func (l *Lane) finish(ctx context.Context, keys []string, id string, task *asynq.Task, retryAt int64) {
	err := finish.Run(ctx, l.RDB, keys, id, retryAt).Err()
	if err != nil && l.ErrorHandler != nil {
		l.ErrorHandler.HandleError(ctx, task, fmt.Errorf("task %s not finished in Redis; it runs again at the end of its lease: %w", id, err))
	}
}

// process runs the handler; a panic is an error, as in Asynq.
func process(ctx context.Context, h asynq.Handler, t *asynq.Task) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return h.ProcessTask(ctx, t)
}
