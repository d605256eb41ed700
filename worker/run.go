// Package worker is what the worker binary runs: the Asynq server that
// processes the domain's tasks (deliveries, retries, validations), each
// handler a few lines into package webhooks, and the scheduler of the
// periodic tasks (sweep, revalidation scan, prune, files not fetched). The
// rules themselves live in internal/webhooks.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/internal/wake"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// DefaultTaskCheckInterval is how often an idle worker polls the queue
// unless RunOptions say otherwise: Asynq's default.
const DefaultTaskCheckInterval = time.Second

// RunOptions tune the task processing.
type RunOptions struct {
	// Concurrency is how many tasks run at once. If zero, webhooks.DefaultConcurrency.
	Concurrency int
	// Periods of the periodic tasks.
	Periods Periods
	// TaskCheckInterval is how often an idle worker polls the queue, a
	// backstop of the wake lane. A stopping worker waits for the poll under
	// way: up to one and a half times this. If zero,
	// DefaultTaskCheckInterval.
	TaskCheckInterval time.Duration
	// ShutdownTimeout is how long running tasks may finish at shutdown.
	// If zero, the delivery timeout plus 5 seconds, so in-flight calls end.
	// The whole stop takes at most this plus 4 seconds (see CutOff).
	ShutdownTimeout time.Duration
	// CutOff, if not nil, is called when the stop has lasted
	// ShutdownTimeout plus 2 seconds (Redis not answering): it makes the
	// Redis client fail at once, without closing it, so that the rest of
	// the stop ends. Without it, or if the stop still lasts 2 more
	// seconds, Run returns before the stop is done.
	CutOff func()
}

// Run processes the tasks of the queue and runs the scheduler of the
// periodic tasks until ctx ends, then lets running tasks finish.
func Run(ctx context.Context, s *webhooks.Service, rdb redis.UniversalClient, o RunOptions) error {
	if o.Concurrency <= 0 {
		o.Concurrency = webhooks.DefaultConcurrency
	}
	if o.TaskCheckInterval <= 0 {
		o.TaskCheckInterval = DefaultTaskCheckInterval
	}
	if o.ShutdownTimeout == 0 {
		o.ShutdownTimeout = s.DeliveryTimeout() + 5*time.Second
	}
	logger := asynqLogger{s.Logger().With("component", "asynq")}
	retryDelay := func(n int, _ error, _ *asynq.Task) time.Duration {
		// Retries of the service's own troubles: 1s, 2s, 4s ... up to 1m.
		return min(time.Second<<min(n, 6), time.Minute)
	}
	errorHandler := asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
		s.Logger().ErrorContext(ctx, "task failed", "type", t.Type(), "err", err)
	})
	srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Concurrency: o.Concurrency,
		Queues:      map[string]int{s.Queue(): 1},
		// Tasks to run now reach an idle worker through the wake lane
		// (package wake), not through polling: an idle worker looks for new
		// tasks every TaskCheckInterval only for the tasks that do not
		// take the lane (operator events, periodic tasks, a lane entry
		// lost), and due retries are moved to the queue every second
		// (default 5s).
		TaskCheckInterval:        o.TaskCheckInterval,
		DelayedTaskCheckInterval: time.Second,
		ShutdownTimeout:          o.ShutdownTimeout,
		Logger:                   logger,
		LogLevel:                 asynq.WarnLevel,
		RetryDelayFunc:           retryDelay,
		ErrorHandler:             errorHandler,
	})
	mux := Mux(s)
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	lane := &wake.Lane{RDB: rdb, Queue: s.Queue(), Handler: mux, Capacity: o.Concurrency,
		RetryDelay: retryDelay, ErrorHandler: errorHandler, ShutdownTimeout: o.ShutdownTimeout}
	client := asynq.NewClientFromRedisClient(rdb)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); lane.Run(ctx) }()
	for _, p := range PeriodicTasks(s, o.Periods) {
		wg.Add(1)
		go func() { defer wg.Done(); schedule(ctx, client, p, s.Logger()) }()
	}
	s.Logger().Info("worker started", "queue", s.Queue(), "concurrency", o.Concurrency)
	<-ctx.Done()
	// Running tasks may finish for ShutdownTimeout; the rest of the stop
	// (tasks not finished put back, the worker's state cleared) is Redis
	// round trips, given stopGrace. Asynq makes them without a deadline:
	// with Redis cut off each waited for the client's timeouts and retries
	// (half a minute in all), so the worker gives up on them after that.
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		wg.Wait()
		srv.Shutdown()
	}()
	select {
	case <-stopped:
		s.Logger().Info("worker stopped")
		return nil
	case <-time.After(o.ShutdownTimeout + stopGrace):
	}
	s.Logger().Warn("worker stop held up: Redis did not answer in time; cutting it off "+
		"(tasks left unfinished run again once their lease expires)", "shutdown_timeout", o.ShutdownTimeout.String())
	if o.CutOff != nil {
		o.CutOff()
		select {
		case <-stopped:
		case <-time.After(stopGrace):
			s.Logger().Warn("worker stopped before its stop was done")
		}
	}
	return nil
}

// stopGrace is how long a stopping worker gives its last Redis round
// trips after the tasks' ShutdownTimeout.
const stopGrace = 2 * time.Second

// schedule enqueues p once per period across every worker of the fleet
// until ctx ends. Each worker enqueues it at the multiples of p.Every on
// the wall clock, so all ticks of the fleet fall on the same instants
// (machines' clocks agree to well within a period), under a task ID naming
// the instant; the task is kept for a period after it ran (Retention), so
// the other workers' enqueues for that instant are refused as duplicates.
// Asynq's own scheduler ticks from each worker's start, and a unique lock
// ends when the task does: n workers ran each task up to n times a period.
func schedule(ctx context.Context, client *asynq.Client, p PeriodicTask, log *slog.Logger) {
	for {
		tick := time.Now().Truncate(p.Every).Add(p.Every)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(tick)):
		}
		if _, err := enqueueTick(ctx, client, p, tick); err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, "periodic task not enqueued", "type", p.Task.Type(), "err", err)
		}
	}
}

// enqueueTick enqueues p for the tick at, unless a worker already did (or
// the previous run still waits or runs): then it returns false and no
// error.
func enqueueTick(ctx context.Context, client *asynq.Client, p PeriodicTask, at time.Time) (bool, error) {
	opts := append(append([]asynq.Option(nil), p.Opts...), asynq.Retention(p.Every),
		asynq.TaskID(fmt.Sprintf("%s@%d", p.Task.Type(), at.UnixMilli())))
	_, err := client.EnqueueContext(ctx, p.Task, opts...)
	if errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		return false, nil
	}
	return err == nil, err
}

// asynqLogger adapts slog to Asynq's logger.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a asynqLogger) Error(args ...any) {
	msg := fmt.Sprint(args...)
	if strings.Contains(msg, "redis connection is shared") {
		return // Asynq reports, at shutdown, that it leaves our client open: as it should
	}
	a.l.Error(msg)
}
func (a asynqLogger) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)) }
