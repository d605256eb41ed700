package webhooks

import (
	"context"
	"errors"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/scoopa/webhooks/ent"
)

// The first attempts of a new file's calls go in one task (TypeDeliverFile)
// rather than one task per call: one claim statement for all of them, one
// batch of events, and the requests sent side by side. Everything after the
// first attempt is per call again: a retry, a call waiting for a delivery
// limit (it is put back with a task of its own, as in Deliver), a test call,
// a call sent again (recover.go). The guarantees are the per-call ones: a
// claimed call is RUNNING under a lease, so a worker that dies with the task
// leaves calls that the sweeper enqueues again after their lease; a task
// lost before it ran leaves PENDING calls that the sweeper enqueues again
// (as a file task, under the same ID, so that one still queued is not
// doubled).

// fanOutParallel bounds the requests one file task has in flight.
const fanOutParallel = 16

// DeliverFile makes the first attempt of the calls of a file task that want
// one now, side by side. A call that cannot go (its webhook is gone, a
// delivery limit makes it wait) is handled as Deliver does.
func (s *Deliveries) DeliverFile(ctx context.Context, task DeliverFilePayload) error {
	calls, err := s.claimCalls(ctx, task.CallIDs)
	if err != nil {
		return err
	}
	if len(calls) < len(task.CallIDs) {
		// Those not claimed may be ordered calls waiting their turn: they
		// say so (order.go). Usually every call is claimed.
		claimed := make(map[int]bool, len(calls))
		for _, c := range calls {
			claimed[c.ID] = true
		}
		for _, id := range task.CallIDs {
			if !claimed[id] {
				if err := s.orderWait(ctx, id); err != nil {
					return err
				}
			}
		}
	}
	if len(calls) == 0 {
		return nil
	}
	type ready struct {
		ctx  context.Context // with the call's own span, when tracing
		span trace.Span
		call *ent.WebhookCall
		wh   *ent.Webhook
		adm  admission
	}
	var (
		mu    sync.Mutex
		errs  []error
		going = make([]ready, 0, len(calls))
		now   = make([]*ent.WebhookCall, 0, len(calls))
	)
	for _, c := range calls {
		// Each call's attempt is a span of its own under the file task's.
		cctx, span := s.startSpan(ctx, "call.attempt")
		if span.IsRecording() {
			span.SetAttributes(AttrCallID.Int(c.ID), AttrWebhookID.Int(derefInt(c.WebhookID)), AttrAttempt.Int(c.AttemptCount+1))
		}
		wh, adm, ok, err := s.admitClaimed(cctx, c, time.Time{})
		if err != nil {
			errs = append(errs, err)
		}
		if !ok {
			endSpan(span, err)
			continue
		}
		going = append(going, ready{cctx, span, c, wh, adm})
		now = append(now, c)
	}
	s.publish(ctx, now...)
	var wg sync.WaitGroup
	slots := make(chan struct{}, fanOutParallel)
	for _, r := range going {
		slots <- struct{}{}
		s.sends <- struct{}{}
		wg.Go(func() {
			defer func() { <-s.sends; <-slots }()
			err := s.attempt(r.ctx, r.call, r.wh, r.adm)
			endSpan(r.span, err)
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
