package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/scoopa/webhooks/internal/problem"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// The domain enqueues its own tasks (deliveries, their retries,
// validations); the worker package handles them and runs the periodic ones.

// Task types, in Asynq's "noun:verb" style. Payloads carry IDs; handlers
// reload the rows, so a task is never stale about what it works on.
const (
	// TypeDeliver makes one attempt of a delivery call.
	TypeDeliver = "call:deliver"
	// TypeDeliverFile makes the first attempt of the calls of a new file.
	TypeDeliverFile = "file:deliver"
	// TypeValidate validates one webhook that is due for it.
	TypeValidate = "webhook:validate"
	// TypeRevalidate finds the webhooks due for validation (periodic).
	TypeRevalidate = "webhooks:revalidate"
	// TypeSweep re-enqueues calls whose task was lost (periodic).
	TypeSweep = "calls:sweep"
	// TypePrune deletes calls past their retention (periodic).
	TypePrune = "calls:prune"
	// TypeNotFetched tells the operator webhook of the delivered files
	// not fetched in time (periodic, when NotFetchedAfter is set).
	TypeNotFetched = "calls:not-fetched"
)

// DeliverPayload is the payload of a TypeDeliver task.
type DeliverPayload struct {
	CallID int `json:"call_id"`
	// Slot is the rate slot (Unix microseconds) the call reserved before it
	// waited for it (limits.go); 0 for none.
	Slot int64 `json:"slot,omitempty"`
}

// DeliverFilePayload is the payload of a TypeDeliverFile task: the calls
// of a new file that may go at once (those waiting for a rate slot have
// tasks of their own).
type DeliverFilePayload struct {
	FileID  int   `json:"file_id"`
	CallIDs []int `json:"call_ids"`
}

// ValidatePayload is the payload of a TypeValidate task.
type ValidatePayload struct {
	WebhookID int   `json:"webhook_id"`
	Since     int64 `json:"since"` // last_validated_at seen by the scan, unix ns; 0 for never
}

// deliveryTaskID names the task of attempt n of a call: enqueuing the same
// attempt twice is refused by Asynq while the first is still queued.
func deliveryTaskID(callID, attempt int) string { return fmt.Sprintf("call:%d:%d", callID, attempt) }

// enqueueDelivery enqueues attempt n of a call, at once or at a due time.
func (s *Service) enqueueDelivery(ctx context.Context, callID, attempt int, at time.Time) error {
	return s.enqueueTask(ctx, DeliverPayload{CallID: callID}, deliveryTaskID(callID, attempt), at)
}

// fileTaskID names the task of the first attempts of a file's calls.
func fileTaskID(fileID int) string { return fmt.Sprintf("file:%d", fileID) }

// enqueueFile enqueues the first attempts of a file's calls, at once, in one
// task, under taskID. Its time bound lets every call take its whole
// timeout, fanOutParallel at a time.
func (s *Service) enqueueFile(ctx context.Context, p DeliverFilePayload, taskID string) error {
	payload, _ := json.Marshal(p)
	rounds := (len(p.CallIDs) + fanOutParallel - 1) / fanOutParallel
	return s.enqueue(ctx, asynq.NewTask(TypeDeliverFile, payload),
		asynq.TaskID(taskID),
		asynq.MaxRetry(25),
		asynq.Timeout(time.Duration(rounds)*(s.deliveries.maxTimeout()+leaseMargin)+30*time.Second))
}

func (s *Service) enqueueTask(ctx context.Context, p DeliverPayload, taskID string, at time.Time) error {
	payload, _ := json.Marshal(p)
	opts := []asynq.Option{
		asynq.TaskID(taskID),
		// Asynq's own retries are for the service's troubles (database down),
		// not the receiver's: those follow the call's schedule.
		asynq.MaxRetry(25),
		asynq.Timeout(s.deliveries.maxTimeout() + 30*time.Second),
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
	payload, _ := json.Marshal(ValidatePayload{WebhookID: webhookID, Since: since})
	return s.enqueue(ctx, asynq.NewTask(TypeValidate, payload),
		asynq.TaskID(fmt.Sprintf("validate:%d:%d", webhookID, since)),
		asynq.MaxRetry(3),
		asynq.Timeout(s.cfg.ValidationTimeout+30*time.Second))
}

// enqueue puts a task on the service's queue. A task whose ID is already
// queued is not an error: that is what makes enqueuing idempotent. With
// tracing on, the enqueue is a producer span, and the task's payload
// carries its context to the worker (withTraceContext).
func (s *Service) enqueue(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (err error) {
	if s.tracer != nil {
		var span trace.Span
		ctx, span = s.tracer.Start(ctx, "send "+t.Type(), trace.WithSpanKind(trace.SpanKindProducer),
			trace.WithAttributes(taskAttributes(t.Type(), s.cfg.Queue, opts)...))
		defer func() { endSpan(span, err) }()
		// Options given to NewTask would be lost here: give them to enqueue.
		t = asynq.NewTask(t.Type(), withTraceContext(ctx, s.tracing.Propagator, t.Payload()))
	}
	_, err = s.queue.EnqueueContext(ctx, t, append(opts, asynq.Queue(s.cfg.Queue))...)
	if errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		trace.SpanFromContext(ctx).SetAttributes(attribute.Bool("scoopa.task.duplicate", true))
		return nil
	}
	return err
}

// taskAttributes describe a task of type typ on queue on its producer and
// consumer spans (OpenTelemetry's messaging conventions); opts may name its
// ID.
func taskAttributes(typ, queue string, opts []asynq.Option) []attribute.KeyValue {
	attrs := []attribute.KeyValue{
		attribute.String("messaging.system", "asynq"),
		attribute.String("messaging.destination.name", queue),
		attribute.String("messaging.operation.type", "send"),
		attribute.String("scoopa.task.type", typ),
	}
	for _, o := range opts {
		if o.Type() == asynq.TaskIDOpt {
			if id, ok := o.Value().(string); ok {
				attrs = append(attrs, attribute.String("messaging.message.id", id))
			}
		}
	}
	return attrs
}

// RevalidateScan is how often webhooks due for validation are looked for:
// a fifth of the interval, between 1 second and 1 minute.
func (s *Service) RevalidateScan() time.Duration {
	return min(max(s.cfg.RevalidateInterval/5, time.Second), time.Minute)
}

// Queue is the name of the Asynq queue the service's tasks go to.
func (s *Service) Queue() string { return s.cfg.Queue }

// DeliveryTimeout is how long one delivery attempt may take.
func (s *Service) DeliveryTimeout() time.Duration { return s.cfg.DeliveryTimeout }

// Logger is the service's logger.
func (s *Service) Logger() *slog.Logger { return s.log }

func isNotFound(err error) bool { return errors.Is(err, problem.ErrNotFound) }
