package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"github.com/scoopa/webhooks/internal/operator"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// HandleDeliverTask returns the handler of webhooks.TypeDeliver: one
// delivery attempt of the call the payload names.
func HandleDeliverTask(s *webhooks.Service) asynq.HandlerFunc {
	return func(ctx context.Context, t *asynq.Task) error {
		var p webhooks.DeliverPayload
		if err := json.Unmarshal(t.Payload(), &p); err != nil || p.CallID == 0 {
			return fmt.Errorf("malformed %s payload %q: %w", webhooks.TypeDeliver, t.Payload(), asynq.SkipRetry)
		}
		return s.Deliveries().DeliverTask(ctx, p)
	}
}

// HandleDeliverFileTask returns the handler of webhooks.TypeDeliverFile:
// the first attempts of the calls of a new file.
func HandleDeliverFileTask(s *webhooks.Service) asynq.HandlerFunc {
	return func(ctx context.Context, t *asynq.Task) error {
		var p webhooks.DeliverFilePayload
		if err := json.Unmarshal(t.Payload(), &p); err != nil || len(p.CallIDs) == 0 {
			return fmt.Errorf("malformed %s payload %q: %w", webhooks.TypeDeliverFile, t.Payload(), asynq.SkipRetry)
		}
		return s.Deliveries().DeliverFile(ctx, p)
	}
}

// HandleValidateTask returns the handler of webhooks.TypeValidate: a
// validation of the webhook the payload names, if still due.
func HandleValidateTask(s *webhooks.Service) asynq.HandlerFunc {
	return func(ctx context.Context, t *asynq.Task) error {
		var p webhooks.ValidatePayload
		if err := json.Unmarshal(t.Payload(), &p); err != nil || p.WebhookID == 0 {
			return fmt.Errorf("malformed %s payload %q: %w", webhooks.TypeValidate, t.Payload(), asynq.SkipRetry)
		}
		return s.Validations().RevalidateIfDue(ctx, p.WebhookID, p.Since)
	}
}

// HandleNotifyTask returns the handler of operator.TypeNotify: one send of
// an operator event.
func HandleNotifyTask(s *webhooks.Service) asynq.HandlerFunc {
	return func(ctx context.Context, t *asynq.Task) error {
		var p operator.NotifyPayload
		if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ID == "" || len(p.Body) == 0 {
			return fmt.Errorf("malformed %s payload %q: %w", operator.TypeNotify, t.Payload(), asynq.SkipRetry)
		}
		return s.Operator().Notify(ctx, p)
	}
}

// PeriodicTask is a task the scheduler enqueues every Every.
type PeriodicTask struct {
	Every time.Duration
	Task  *asynq.Task
	Opts  []asynq.Option
}

// Periods of the periodic tasks.
type Periods struct {
	// Sweep is how often lost calls are looked for. If zero, 10s.
	Sweep time.Duration
	// Prune is how often old calls are deleted. If zero, 24h.
	Prune time.Duration
}

// WithDefaults returns p with every unset period set to the default its
// field names.
func (p Periods) WithDefaults() Periods {
	if p.Sweep == 0 {
		p.Sweep = 10 * time.Second
	}
	if p.Prune == 0 {
		p.Prune = 24 * time.Hour
	}
	return p
}

// PeriodicTasks lists the tasks the worker's scheduler enqueues. Each is
// enqueued once per period across the fleet (see schedule), and is unique
// while it waits or runs, so a slow run is not followed by a pile of them.
func PeriodicTasks(s *webhooks.Service, p Periods) []PeriodicTask {
	p = p.WithDefaults()
	periodic := func(typ string, every time.Duration) PeriodicTask {
		return PeriodicTask{Every: every, Task: asynq.NewTask(typ, nil), Opts: []asynq.Option{
			asynq.Queue(s.Queue()), asynq.MaxRetry(0), asynq.Unique(every),
		}}
	}
	tasks := []PeriodicTask{
		periodic(webhooks.TypeSweep, p.Sweep),
		periodic(webhooks.TypeRevalidate, s.RevalidateScan()),
		periodic(webhooks.TypePrune, p.Prune),
	}
	// Only when SCOOPA_OPERATOR_NOT_FETCHED_AFTER is set: off, nothing runs.
	if every := s.NotFetchedScan(); every > 0 {
		tasks = append(tasks, periodic(webhooks.TypeNotFetched, every))
	}
	return tasks
}

// Mux routes the task types to their handlers.
func Mux(s *webhooks.Service) *asynq.ServeMux {
	mux := asynq.NewServeMux()
	// The tasks the domain enqueues continue the trace they carry (traced);
	// the periodic ones do not, or each period would make a trace.
	mux.Handle(webhooks.TypeDeliver, traced(s, HandleDeliverTask(s)))
	mux.Handle(webhooks.TypeDeliverFile, traced(s, HandleDeliverFileTask(s)))
	mux.Handle(webhooks.TypeValidate, traced(s, HandleValidateTask(s)))
	mux.Handle(operator.TypeNotify, traced(s, HandleNotifyTask(s)))
	mux.HandleFunc(webhooks.TypeRevalidate, periodic(s, func(ctx context.Context) (int, error) { return s.Validations().RevalidateDue(ctx, s.RevalidateScan()) }))
	mux.HandleFunc(webhooks.TypeSweep, periodic(s, s.Recovery().Sweep))
	mux.HandleFunc(webhooks.TypePrune, periodic(s, s.Recovery().Prune))
	mux.HandleFunc(webhooks.TypeNotFetched, periodic(s, s.Recovery().NotFetched))
	return mux
}

// periodic returns the handler of a periodic task: run, then a log line
// saying it ran and on how many rows (one per period across the fleet).
func periodic(s *webhooks.Service, run func(context.Context) (int, error)) asynq.HandlerFunc {
	return func(ctx context.Context, t *asynq.Task) error {
		start := time.Now()
		n, err := run(ctx)
		if err != nil {
			return err
		}
		s.Logger().InfoContext(ctx, "periodic task ran", "type", t.Type(), "count", n, "duration_ms", time.Since(start).Milliseconds())
		return nil
	}
}
