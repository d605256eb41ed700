package worker

import (
	"context"

	"github.com/hibiken/asynq"
	"github.com/scoopa/webhooks/internal/webhooks"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// traced continues the trace a task carries (webhooks enqueue their tasks
// with it in the payload) in a consumer span named "process <type>", around
// h: for a delivery, the attempt's span, which the domain fills in (call,
// webhook, attempt, outcome). A task carrying no trace starts one. With
// tracing off, h runs as it is.
func traced(s *webhooks.Service, h asynq.Handler) asynq.Handler {
	t := s.Tracing()
	if t.Provider == nil {
		return h
	}
	tracer := t.Provider.Tracer(webhooks.TracerName)
	return asynq.HandlerFunc(func(ctx context.Context, task *asynq.Task) error {
		ctx = TaskContext(ctx, s, task)
		attrs := []attribute.KeyValue{
			attribute.String("messaging.system", "asynq"),
			attribute.String("messaging.destination.name", s.Queue()),
			attribute.String("messaging.operation.type", "process"),
			attribute.String("scoopa.task.type", task.Type()),
		}
		if id, ok := asynq.GetTaskID(ctx); ok {
			attrs = append(attrs, attribute.String("messaging.message.id", id))
		}
		if n, ok := asynq.GetRetryCount(ctx); ok && n > 0 {
			attrs = append(attrs, attribute.Int("scoopa.task.retry", n))
		}
		ctx, span := tracer.Start(ctx, "process "+task.Type(), trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(attrs...))
		defer span.End()
		err := h.ProcessTask(ctx, task)
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		return err
	})
}

// TaskContext returns ctx with the trace the task's payload carries as its
// remote parent (none with tracing off, or if the task carries none).
func TaskContext(ctx context.Context, s *webhooks.Service, t *asynq.Task) context.Context {
	return s.Tracing().TraceContext(ctx, t.Payload())
}
