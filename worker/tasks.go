package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// Task types, in Asynq's "noun:verb" style. Payloads carry IDs; handlers
// reload the rows, so a task is never stale about what it works on.
const (
	// TypeDeliver makes one attempt of a delivery call.
	TypeDeliver = "call:deliver"
	// TypeValidate validates one webhook that is due for it.
	TypeValidate = "webhook:validate"
	// TypeRevalidate finds the webhooks due for validation (periodic).
	TypeRevalidate = "webhooks:revalidate"
	// TypeSweep re-enqueues calls whose task was lost (periodic).
	TypeSweep = "calls:sweep"
	// TypePrune deletes calls past their retention (periodic).
	TypePrune = "calls:prune"
)

type deliverPayload struct {
	CallID int `json:"call_id"`
}

type validatePayload struct {
	WebhookID int   `json:"webhook_id"`
	Since     int64 `json:"since"` // last_validated_at seen by the scan, unix ns; 0 for never
}

// deliveryTaskID names the task of attempt n of a call: enqueuing the same
// attempt twice is refused by Asynq while the first is still queued.
func deliveryTaskID(callID, attempt int) string { return fmt.Sprintf("call:%d:%d", callID, attempt) }

// enqueueDelivery enqueues attempt n of a call, at once or at a due time.
func (s *Service) enqueueDelivery(ctx context.Context, callID, attempt int, at time.Time) error {
	return s.enqueueTask(ctx, callID, deliveryTaskID(callID, attempt), at)
}

func (s *Service) enqueueTask(ctx context.Context, callID int, taskID string, at time.Time) error {
	payload, _ := json.Marshal(deliverPayload{CallID: callID})
	opts := []asynq.Option{
		asynq.TaskID(taskID),
		// Asynq's own retries are for the service's troubles (database down),
		// not the receiver's: those follow the call's schedule.
		asynq.MaxRetry(25),
		asynq.Timeout(s.cfg.DeliveryTimeout + 30*time.Second),
	}
	if !at.IsZero() {
		// The queue runs on real time: a due time on the service's clock is
		// as far from the real now as it is from the service's (the same
		// under the system clock; a test clock may be anywhere).
		at = time.Now().Add(at.Sub(s.now()))
		// Asynq keeps due times in whole seconds, rounded down: round up,
		// so that a retry is never early.
		if r := at.Truncate(time.Second); !r.Equal(at) {
			at = r.Add(time.Second)
		}
		opts = append(opts, asynq.ProcessAt(at))
	}
	return s.enqueue(ctx, asynq.NewTask(TypeDeliver, payload), opts...)
}

func (s *Service) enqueueValidation(ctx context.Context, webhookID int, since int64) error {
	payload, _ := json.Marshal(validatePayload{WebhookID: webhookID, Since: since})
	return s.enqueue(ctx, asynq.NewTask(TypeValidate, payload),
		asynq.TaskID(fmt.Sprintf("validate:%d:%d", webhookID, since)),
		asynq.MaxRetry(3),
		asynq.Timeout(s.cfg.ValidationTimeout+30*time.Second))
}

// enqueue puts a task on the service's queue. A task whose ID is already
// queued is not an error: that is what makes enqueuing idempotent.
func (s *Service) enqueue(ctx context.Context, t *asynq.Task, opts ...asynq.Option) error {
	_, err := s.queue.EnqueueContext(ctx, t, append(opts, asynq.Queue(s.cfg.Queue))...)
	if errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		return nil
	}
	return err
}

// HandleDeliverTask handles TypeDeliver.
func (s *Service) HandleDeliverTask(ctx context.Context, t *asynq.Task) error {
	var p deliverPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.CallID == 0 {
		return fmt.Errorf("malformed %s payload %q: %w", TypeDeliver, t.Payload(), asynq.SkipRetry)
	}
	return s.Deliver(ctx, p.CallID)
}

// HandleValidateTask handles TypeValidate.
func (s *Service) HandleValidateTask(ctx context.Context, t *asynq.Task) error {
	var p validatePayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.WebhookID == 0 {
		return fmt.Errorf("malformed %s payload %q: %w", TypeValidate, t.Payload(), asynq.SkipRetry)
	}
	return s.revalidateIfDue(ctx, p.WebhookID, p.Since)
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

// revalidateScan is how often webhooks due for validation are looked for:
// a fifth of the interval, between 1 second and 1 minute.
func (s *Service) revalidateScan() time.Duration {
	return min(max(s.cfg.RevalidateInterval/5, time.Second), time.Minute)
}

// PeriodicTasks lists the tasks the worker's scheduler enqueues. Each is
// unique for its period, so several workers enqueue it once.
func (s *Service) PeriodicTasks(p Periods) []PeriodicTask {
	p = p.WithDefaults()
	periodic := func(typ string, every time.Duration) PeriodicTask {
		return PeriodicTask{Every: every, Task: asynq.NewTask(typ, nil), Opts: []asynq.Option{
			asynq.Queue(s.cfg.Queue), asynq.MaxRetry(0), asynq.Unique(every),
		}}
	}
	return []PeriodicTask{
		periodic(TypeSweep, p.Sweep),
		periodic(TypeRevalidate, s.revalidateScan()),
		periodic(TypePrune, p.Prune),
	}
}

// Mux routes the task types to their handlers.
func (s *Service) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(TypeDeliver, s.HandleDeliverTask)
	mux.HandleFunc(TypeValidate, s.HandleValidateTask)
	mux.HandleFunc(TypeRevalidate, func(ctx context.Context, _ *asynq.Task) error {
		_, err := s.RevalidateDue(ctx, s.revalidateScan())
		return err
	})
	mux.HandleFunc(TypeSweep, func(ctx context.Context, _ *asynq.Task) error {
		_, err := s.Sweep(ctx)
		return err
	})
	mux.HandleFunc(TypePrune, func(ctx context.Context, _ *asynq.Task) error {
		_, err := s.Prune(ctx)
		return err
	})
	return mux
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
