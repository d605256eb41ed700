//go:build unix

package wake_test

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/wake"
)

// The benchmarks compare the two ways a task to run now can be enqueued
// with its wake entry: "script", the lane's one script (EnqueueContext),
// and "client", Asynq's public client then a pipeline that pushes the entry
// (EnqueueThroughClient). Besides time per task they report round trips
// to Redis per task (of the producer), the CPU time of this process
// (producer, and lane in the end-to-end ones) and that of Redis, per task.
// Redis's CPU is Redis's whole: it means something only on a Redis
// nothing else uses (SCOOPA_TEST_REDIS_URL).

// way is one way of enqueuing.
type way struct {
	name    string
	enqueue func(*wake.Queue, context.Context, *asynq.Task, ...asynq.Option) (*asynq.TaskInfo, error)
}

var ways = []way{
	{"script", (*wake.Queue).EnqueueContext},
	{"client", (*wake.Queue).EnqueueThroughClient},
}

// deliverTask is a task like a delivery's: its payload's size, its options.
func deliverTask(q, id string) (*asynq.Task, []asynq.Option) {
	payload := fmt.Sprintf(`{"call_id":%q,"webhook_id":12345,"attempt":1,"file_id":67890,"trace":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}`, id)
	return asynq.NewTask("test:deliver", []byte(payload)),
		[]asynq.Option{asynq.TaskID(id), asynq.MaxRetry(25), asynq.Timeout(90 * time.Second), asynq.Queue(q)}
}

// meter measures what a benchmark's loop costs besides its time.
type meter struct {
	rdb      redis.UniversalClient
	counted  *commands
	cpu0     time.Duration
	redisCPU float64
}

func startMeter(b *testing.B, rdb redis.UniversalClient, counted *commands) *meter {
	m := &meter{rdb: rdb, counted: counted, cpu0: processCPU(), redisCPU: redisCPU(b, rdb)}
	counted.reset()
	b.ResetTimer()
	return m
}

func (m *meter) stop(b *testing.B) {
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(m.counted.roundTrips())/n, "trips/op")
	b.ReportMetric(float64((processCPU()-m.cpu0).Microseconds())/n, "cpu-µs/op")
	b.ReportMetric((redisCPU(b, m.rdb)-m.redisCPU)*1e6/n, "redis-µs/op")
}

// processCPU is the CPU time this process has used.
func processCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// redisCPU is the CPU time Redis has used, in seconds.
func redisCPU(b *testing.B, rdb redis.UniversalClient) float64 {
	info, err := rdb.Info(context.Background(), "cpu").Result()
	if err != nil {
		b.Fatal(err)
	}
	var s float64
	sc := bufio.NewScanner(strings.NewReader(info))
	for sc.Scan() {
		k, v, _ := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if k == "used_cpu_sys" || k == "used_cpu_user" {
			f, _ := strconv.ParseFloat(v, 64)
			s += f
		}
	}
	return s
}

// producer is a counted client of the shared Redis and a Queue on it.
func producer(b *testing.B) (*wake.Queue, redis.UniversalClient, *commands) {
	opts, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		b.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	b.Cleanup(func() { rdb.Close() })
	counted := &commands{}
	rdb.AddHook(counted)
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	queue.Backstop = time.Hour // only the lane runs the tasks
	queue.Max = 1 << 30        // no entry trimmed: every task runs
	return queue, rdb, counted
}

// BenchmarkEnqueue enqueues tasks one after the other, nothing running them.
func BenchmarkEnqueue(b *testing.B) {
	for _, w := range ways {
		b.Run(w.name, func(b *testing.B) {
			ctx := context.Background()
			queue, rdb, counted := producer(b)
			q := testenv.NewQueue(b)
			enqueue := func(id string) {
				t, opts := deliverTask(q, id)
				if _, err := w.enqueue(queue, ctx, t, opts...); err != nil {
					b.Fatal(err)
				}
			}
			enqueue("warm") // the queue's name in Asynq's set, the scripts loaded
			m := startMeter(b, rdb, counted)
			for i := range b.N {
				enqueue(strconv.Itoa(i))
			}
			m.stop(b)
		})
	}
}

// BenchmarkEnqueueParallel enqueues tasks from 8 goroutines per CPU, as
// a server's concurrent requests do.
func BenchmarkEnqueueParallel(b *testing.B) {
	for _, w := range ways {
		b.Run(w.name, func(b *testing.B) {
			ctx := context.Background()
			queue, rdb, counted := producer(b)
			q := testenv.NewQueue(b)
			enqueue := func(id string) {
				t, opts := deliverTask(q, id)
				if _, err := w.enqueue(queue, ctx, t, opts...); err != nil {
					b.Error(err)
				}
			}
			enqueue("warm")
			var next atomic.Int64
			b.SetParallelism(8)
			m := startMeter(b, rdb, counted)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					enqueue(strconv.FormatInt(next.Add(1), 10))
				}
			})
			m.stop(b)
		})
	}
}

// signal is a handler that counts its runs and says when they reach want.
type signal struct {
	runs, want atomic.Int64
	done       chan struct{}
}

func (s *signal) ProcessTask(context.Context, *asynq.Task) error {
	if s.runs.Add(1) == s.want.Load() {
		s.done <- struct{}{}
	}
	return nil
}

// BenchmarkEndToEnd enqueues tasks that a lane (in this process, on its
// own connections) runs: "one-by-one" enqueues each once the one before
// has run (time per op: from the enqueue to the handler), "16-at-once"
// from 16 goroutines to a lane of 16 slots (time per op: the inverse of
// the throughput).
func BenchmarkEndToEnd(b *testing.B) {
	for _, w := range ways {
		for _, mode := range []string{"one-by-one", "16-at-once"} {
			b.Run(w.name+"/"+mode, func(b *testing.B) {
				ctx := context.Background()
				queue, rdb, counted := producer(b)
				q := testenv.NewQueue(b)
				h := &signal{done: make(chan struct{}, 1)}
				capacity := 4
				if mode == "16-at-once" {
					capacity = 16
				}
				startLane(b, &wake.Lane{RDB: testenv.OpenRedis(b), Queue: q, Handler: h, Capacity: capacity, ShutdownTimeout: time.Second})
				enqueue := func(id string) {
					t, opts := deliverTask(q, id)
					if _, err := w.enqueue(queue, ctx, t, opts...); err != nil {
						b.Error(err)
					}
				}
				wait := func() {
					select {
					case <-h.done:
					case <-time.After(30 * time.Second):
						b.Fatalf("%d of %d tasks ran within 30s", h.runs.Load(), h.want.Load())
					}
				}
				h.want.Store(1)
				enqueue("warm")
				wait()
				testenv.Eventually(b, 30*time.Second, "the warm task to be finished", func() bool {
					busy, err := wake.Busy(ctx, rdb, q)
					return err == nil && busy == 0
				})
				m := startMeter(b, rdb, counted)
				if mode == "one-by-one" {
					for i := range b.N {
						h.runs.Store(0)
						enqueue(strconv.Itoa(i))
						wait()
					}
				} else {
					h.runs.Store(0)
					h.want.Store(int64(b.N))
					var next atomic.Int64
					b.SetParallelism(8)
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							enqueue(strconv.FormatInt(next.Add(1), 10))
						}
					})
					wait()
				}
				m.stop(b)
			})
		}
	}
}
