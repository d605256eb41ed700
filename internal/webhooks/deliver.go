package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/limits"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/stats"
	"github.com/scoopa/webhooks/internal/store"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// What one delivery attempt does:
//
//  1. claim the call: PENDING, or RETRYING and due, or RUNNING but stale
//     (its worker died) becomes RUNNING. Only one worker wins the claim, so
//     a call is attempted by one worker at a time; a task that loses it
//     (a duplicate, or one for a call already finished) does nothing;
//  2. build the body anew, with a download link valid 24 hours from now,
//     sign it, and POST it with the webhook's extra headers;
//  3. record the attempt (with the headers it sent, the webhook's own ones
//     masked) and the call's new state in one transaction: any
//     2xx is SUCCEEDED; a failure is RETRYING with the next delay of the
//     schedule, or FAILED after the last one (or at once for 410 Gone, and
//     for a test call, which is never retried). The schedule counts the
//     attempts since the call was last sent again (retry_base, recover.go);
//  4. announce the new state, and enqueue the retry at its due time; a
//     call FAILED for good may deactivate its webhook and is told to the
//     operator webhook (health.go).
//
// The claim of a call of an ordered webhook also waits for the calls before
// it to end (order.go); the one that ends releases the next.
//
// Between 1 and 2, the webhook's delivery limits (limits.go) may make the
// call wait: it goes back to waiting, with the reason, and its task is
// enqueued again for when it may go. No attempt is spent.

// leaseMargin is how long past its timeout an attempt is given before its
// worker is deemed dead.
const leaseMargin = 5 * time.Second

// leaseOf is how long an attempt to wh is given before its worker is deemed
// dead: the call's lease, and the concurrency slot it holds (limits.go).
func (s *Deliveries) leaseOf(wh *ent.Webhook) time.Duration { return s.timeoutOf(wh) + leaseMargin }

// staleAfter is how long a RUNNING call without a lease (claimed before
// leases existed) may go without news before another worker may take it
// over: longer than any attempt can last.
func (s *Deliveries) staleAfter() time.Duration { return s.maxTimeout() + leaseMargin }

// stale matches the RUNNING calls whose worker is deemed dead at now: past
// their lease, or, without one, quiet for longer than any attempt lasts.
func (s *Deliveries) stale(now time.Time) predicate.WebhookCall {
	return webhookcall.And(
		webhookcall.StatusEQ(webhookcall.StatusRUNNING),
		webhookcall.Or(
			webhookcall.LeaseUntilLT(now),
			webhookcall.And(webhookcall.LeaseUntilIsNil(), webhookcall.UpdatedAtLT(now.Add(-s.staleAfter()))),
		),
	)
}

// Deliver makes one attempt of a delivery call, if the call wants one now.
func (s *Deliveries) Deliver(ctx context.Context, callID int) error {
	return s.DeliverTask(ctx, DeliverPayload{CallID: callID})
}

// DeliverTask is Deliver for the payload of a task, which may carry the
// rate slot the call reserved before it waited.
func (s *Deliveries) DeliverTask(ctx context.Context, task DeliverPayload) error {
	callID := task.CallID
	// The span of the task (the worker's, worker/trace.go) is the attempt's:
	// it tells which call, webhook and attempt, and what came of it.
	span := trace.SpanFromContext(ctx)
	if span.IsRecording() {
		span.SetAttributes(AttrCallID.Int(callID))
	}
	call, err := s.claim(ctx, callID)
	if err != nil || call == nil {
		if err == nil && span.IsRecording() {
			span.SetAttributes(AttrOutcome.String("SKIPPED"))
		}
		return err
	}
	if span.IsRecording() {
		span.SetAttributes(AttrWebhookID.Int(derefInt(call.WebhookID)), AttrAttempt.Int(call.AttemptCount+1))
	}
	var slot time.Time
	if task.Slot != 0 {
		slot = time.UnixMicro(task.Slot)
	}
	wh, adm, ok, err := s.admitClaimed(ctx, call, slot)
	if err != nil || !ok {
		return err
	}
	s.publish(ctx, call)
	return s.attempt(ctx, call, wh, adm)
}

// admitClaimed loads the webhook of a claimed call and asks its delivery
// limits whether the call may go now. ok is false when there is nothing
// more to do: the webhook is gone or inactive (the call is canceled), or a
// limit makes the call wait (it is put back to waiting, its task enqueued
// again).
func (s *Deliveries) admitClaimed(ctx context.Context, call *ent.WebhookCall, slot time.Time) (wh *ent.Webhook, adm admission, ok bool, err error) {
	wh, err = s.hooks.get(ctx, s.db, derefInt(call.WebhookID))
	// A test call goes to an inactive webhook too: testing a receiver
	// before the webhook goes live is what it is for.
	if ent.IsNotFound(err) || (err == nil && !wh.Active && !call.Test) {
		trace.SpanFromContext(ctx).SetAttributes(AttrOutcome.String(string(webhookcall.StatusCANCELED)))
		s.publish(ctx, call)
		return nil, adm, false, s.cancelRunning(ctx, call, "webhook deleted or deactivated")
	} else if err != nil {
		return nil, adm, false, fmt.Errorf("deliver call %d: load webhook: %w", call.ID, err)
	}
	if err := s.extendLease(ctx, call, wh); err != nil {
		return nil, adm, false, fmt.Errorf("deliver call %d: %w", call.ID, err)
	}
	adm, err = s.admit(ctx, wh, call.ID, slot)
	if err != nil {
		s.log.WarnContext(ctx, "delivery limits unreachable; the call waits", "call_id", call.ID, "err", err)
		adm = admission{wait: limits.ConcurrencyWait, reason: "waiting for the delivery limits (Redis unreachable)", slot: slot}
	}
	if adm.wait > 0 {
		trace.SpanFromContext(ctx).SetAttributes(AttrOutcome.String("WAITING"))
		return nil, adm, false, s.wait(ctx, call, adm)
	}
	return wh, adm, true, nil
}

// attempt is steps 2 to 4 for a claimed call its limits let go (the caller
// announced it RUNNING): build, sign and send the request, record the
// attempt, announce the outcome and enqueue the retry.
func (s *Deliveries) attempt(ctx context.Context, call *ent.WebhookCall, wh *ent.Webhook, adm admission) error {
	callID := call.ID
	now := s.now()
	var p FilePayload
	if err := json.Unmarshal([]byte(call.Payload), &p); err != nil {
		adm.lease.Release(ctx)
		return fmt.Errorf("deliver call %d: stored payload: %w", callID, err)
	}
	// The link names the call, so its downloads count as the call's fetches.
	p.DownloadURL = s.links.CallDownloadURL(p.FileID, callID, now.Add(files.LinkValidity))
	body, err := json.Marshal(p)
	if err != nil {
		adm.lease.Release(ctx)
		return fmt.Errorf("deliver call %d: %w", callID, err)
	}
	req, err := s.signedRequest(wh, MessageID(call.ID), now, body, s.timeoutOf(wh))
	if err != nil {
		adm.lease.Release(ctx)
		return fmt.Errorf("deliver call %d: %w", callID, err)
	}
	if call.Test {
		req.Headers = append(req.Headers, [2]string{TestHeader, "true"})
	}
	resp := s.sender.SendTo(ctx, wh, req) // internal/sender: with the webhook's authentication
	if err := adm.lease.Release(ctx); err != nil {
		s.log.WarnContext(ctx, "concurrency lease not released; it expires", "call_id", call.ID, "err", err)
	}
	call, err = s.finish(ctx, call, now, string(body), resp, s.callDelays(call, wh))
	if err != nil {
		return fmt.Errorf("deliver call %d: record attempt: %w", callID, err)
	}
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.SetAttributes(AttrOutcome.String(string(call.Status)))
		if resp.Status != 0 {
			span.SetAttributes(attribute.Int("http.response.status_code", resp.Status))
		}
		if resp.Err != nil {
			span.SetStatus(codes.Error, resp.Err.Error())
		}
	}
	s.log.InfoContext(ctx, "call attempted", "call_id", call.ID, "attempt", call.AttemptCount,
		"status", call.Status, "response_status", resp.Status, "duration_ms", resp.Duration.Milliseconds(), "err", resp.Err)
	s.publish(ctx, call)
	if call.Status == webhookcall.StatusFAILED {
		s.failedForGood(ctx, wh, call, resp) // health.go
	}
	if call.Status == webhookcall.StatusRETRYING {
		if err := s.enqueueDelivery(ctx, call.ID, call.AttemptCount+1, *call.NextAttemptAt); err != nil {
			s.log.WarnContext(ctx, "retry not enqueued; the sweeper will", "call_id", call.ID, "err", err)
		}
	} else {
		s.releaseNext(ctx, call) // order.go
	}
	return nil
}

// wait puts a claimed call back to waiting, because of a delivery limit:
// PENDING (RETRYING for a retry) with the reason and the time it may go, and
// enqueues its task for then. No attempt is spent.
func (s *Deliveries) wait(ctx context.Context, call *ent.WebhookCall, adm admission) error {
	now := s.now()
	due := now.Add(adm.wait)
	status := webhookcall.StatusPENDING
	if call.AttemptCount > 0 {
		status = webhookcall.StatusRETRYING
	}
	c, err := s.db.WebhookCall.UpdateOneID(call.ID).Where(webhookcall.StatusEQ(webhookcall.StatusRUNNING)).
		SetStatus(status).SetWaitReason(adm.reason).SetNextAttemptAt(due).SetUpdatedAt(now).Save(ctx)
	if ent.IsNotFound(err) {
		return nil // taken over meanwhile
	} else if err != nil {
		return fmt.Errorf("call %d waits: %w", call.ID, err)
	}
	s.publish(ctx, c)
	p := DeliverPayload{CallID: call.ID}
	if !adm.slot.IsZero() {
		p.Slot = adm.slot.UnixMicro()
	}
	taskID := fmt.Sprintf("%s:wait:%d", deliveryTaskID(call.ID, call.AttemptCount+1), time.Now().UnixNano())
	if err := s.enqueueTask(ctx, p, taskID, due); err != nil {
		s.log.WarnContext(ctx, "waiting call not enqueued; the sweeper will", "call_id", call.ID, "err", err)
	}
	return nil
}

// MessageID is the webhook-id of a call: the same for all its attempts, so
// receivers can de-duplicate.
func MessageID(callID int) string { return fmt.Sprintf("msg_%d", callID) }

// signedRequest builds the HTTP request of a call to wh.
func (s *Deliveries) signedRequest(wh *ent.Webhook, msgID string, now time.Time, body []byte, timeout time.Duration) (sender.Request, error) {
	sig, err := sender.Sign(msgID, now, body, s.signingSecrets(wh, now)...)
	if err != nil {
		return sender.Request{}, err
	}
	credentials := make([][2]string, 0, len(wh.Edges.Headers))
	for _, h := range wh.Edges.Headers {
		credentials = append(credentials, [2]string{h.Name, h.Value})
	}
	headers := [][2]string{
		{"webhook-id", msgID},
		{"webhook-timestamp", fmt.Sprint(now.Unix())},
		{"webhook-signature", sig},
	}
	return sender.Request{URL: wh.URL, Headers: headers, Credentials: credentials, Body: body, Timeout: timeout}, nil
}

// claimable matches the delivery calls that want an attempt at now:
// PENDING, or RETRYING and due, or RUNNING but stale (its worker died). A
// claim moves them to RUNNING (claimCalls); the sweeper enqueues again those
// whose task was lost (sweeper.go).
func (s *Deliveries) claimable(now time.Time) predicate.WebhookCall {
	// Asynq's due times are whole seconds: accept a task up to a second
	// early rather than lose it. A PENDING call waiting for a delivery limit
	// goes at its time too.
	due := webhookcall.Or(webhookcall.NextAttemptAtIsNil(), webhookcall.NextAttemptAtLTE(now.Add(time.Second)))
	return webhookcall.And(
		webhookcall.KindEQ(webhookcall.KindDELIVERY),
		webhookcall.Or(
			webhookcall.And(webhookcall.StatusEQ(webhookcall.StatusPENDING), due),
			webhookcall.And(webhookcall.StatusEQ(webhookcall.StatusRETRYING), due),
			s.stale(now),
		),
	)
}

// claim moves the call to RUNNING if it wants an attempt now, and returns
// it; nil means there is nothing to do.
func (s *Deliveries) claim(ctx context.Context, callID int) (*ent.WebhookCall, error) {
	calls, err := s.claimCalls(ctx, []int{callID})
	if err != nil {
		return nil, err
	}
	if len(calls) == 0 {
		return nil, s.orderWait(ctx, callID)
	}
	return calls[0], nil
}

// claimCalls moves those of the calls ids that want an attempt now
// (claimable) to RUNNING, and returns them as they are now. Only one worker
// wins the claim of a call.
func (s *Deliveries) claimCalls(ctx context.Context, ids []int) ([]*ent.WebhookCall, error) {
	return s.store.Claim(ctx, ids)
}

// claimOrder is what a claim now takes and writes: the calls that want an
// attempt (claimable) and, if ordered, whose turn it is (mayGo, order.go),
// with the default timeout's lease; a webhook with a longer timeout of its
// own extends it once loaded (extendLease).
func (s *Deliveries) claimOrder() store.ClaimOrder {
	now := s.now()
	return store.ClaimOrder{Now: now, Lease: now.Add(s.cfg.DeliveryTimeout + leaseMargin), Where: webhookcall.And(s.claimable(now), mayGo())}
}

// extendLease gives a call claimed with the default timeout's lease the
// longer one of its webhook, before the attempt starts. Nothing to do (no
// statement) for a webhook without a longer timeout of its own.
func (s *Deliveries) extendLease(ctx context.Context, call *ent.WebhookCall, wh *ent.Webhook) error {
	if s.timeoutOf(wh) <= s.cfg.DeliveryTimeout {
		return nil
	}
	until := s.now().Add(s.leaseOf(wh))
	if err := s.db.WebhookCall.UpdateOneID(call.ID).Where(webhookcall.StatusEQ(webhookcall.StatusRUNNING)).
		SetLeaseUntil(until).Exec(ctx); err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("extend lease: %w", err)
	}
	call.LeaseUntil = &until
	return nil
}

// finish records an attempt and moves the call on, atomically. A failed
// attempt is retried after the next of delays, if there is one. The unique
// (call, number) index makes sure two workers cannot both record one
// attempt.
func (s *Deliveries) finish(ctx context.Context, call *ent.WebhookCall, started time.Time, body string, resp sender.Response, delays []time.Duration) (*ent.WebhookCall, error) {
	return s.finishWith(ctx, call, started, body, resp, delays, s.store.Record)
}

// recorder writes an attempt and the call's new state, and answers the
// call's fetches as it found them: the store's Record.
type recorder func(ctx context.Context, a store.Attempt) (store.Fetches, error)

// finishWith is finish with the writer given.
func (s *Deliveries) finishWith(ctx context.Context, call *ent.WebhookCall, started time.Time, body string, resp sender.Response, delays []time.Duration, write recorder) (*ent.WebhookCall, error) {
	number := call.AttemptCount + 1
	if call.Test {
		delays = nil // a test fails fast: one attempt, its result at once
	}
	// The schedule's position: attempts since the call was last sent again.
	round := number - call.RetryBase
	now := s.now()
	out := *call // the call as it will be, built here rather than read back
	out.Edges = ent.WebhookCallEdges{}
	out.AttemptCount, out.Payload, out.UpdatedAt = number, body, now
	out.ResponseStatus, out.Error, out.NextAttemptAt, out.CompletedAt = nil, nil, nil, nil
	if resp.Status != 0 {
		out.ResponseStatus = &resp.Status
	}
	var errText *string
	if resp.Err != nil {
		e := resp.Err.Error()
		errText = &e
	}
	var asked *int // the receiver's Retry-After, in whole seconds (rounded up)
	if limits.RetryAfterStatus(resp.Status) {
		if d, ok := limits.RetryAfter(resp.RetryAfter, now); ok {
			n := int(min((d+time.Second-1)/time.Second, time.Duration(limits.MaxRetrySchedule/time.Second)))
			asked = &n
		}
	}
	switch {
	case resp.Err == nil:
		out.Status, out.CompletedAt = webhookcall.StatusSUCCEEDED, &now
	case resp.Status == http.StatusGone:
		e := *errText + " (gone: not retried)"
		out.Status, out.Error, out.CompletedAt = webhookcall.StatusFAILED, &e, &now
	case round > len(delays) || round < 1:
		out.Status, out.Error, out.CompletedAt = webhookcall.StatusFAILED, errText, &now
	default:
		delay := delays[round-1]
		if asked != nil {
			// The receiver's time, but never later than the schedule's nor
			// sooner than a second.
			delay = min(delay, max(time.Duration(*asked)*time.Second, time.Second))
		}
		next := now.Add(delay)
		out.Status, out.Error, out.NextAttemptAt = webhookcall.StatusRETRYING, errText, &next
	}
	fetched, err := write(ctx, store.Attempt{CallID: call.ID, Out: &out, Started: started, Err: errText, Duration: resp.Duration,
		Body: resp.Body, RequestHeaders: resp.RequestHeaders, RetryAfter: asked, Stats: stats.Delta(&out, resp)})
	if err != nil {
		return nil, problem.StoreError(err)
	}
	// The receiver may have downloaded the file during the attempt: the
	// call announced carries its fetches as they are now, not as claimed.
	fetched.On(&out)
	s.metrics.attempted(call.Kind, out.Status, resp.Duration)
	return &out, nil
}

// cancelRunning ends a claimed call whose webhook is gone or inactive.
func (s *Deliveries) cancelRunning(ctx context.Context, call *ent.WebhookCall, reason string) error {
	now := s.now()
	c, err := s.db.WebhookCall.UpdateOneID(call.ID).Where(webhookcall.StatusEQ(webhookcall.StatusRUNNING)).
		SetStatus(webhookcall.StatusCANCELED).SetError(reason).SetCompletedAt(now).SetUpdatedAt(now).Save(ctx)
	if ent.IsNotFound(err) {
		return nil
	} else if err != nil {
		return fmt.Errorf("cancel call %d: %w", call.ID, err)
	}
	s.publish(ctx, c)
	s.releaseNext(ctx, c) // order.go
	return nil
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// cancelWaiting marks the webhook's pending and retrying calls CANCELED.
func (s *Deliveries) cancelWaiting(ctx context.Context, tx *ent.Tx, webhookID int, reason string) ([]*ent.WebhookCall, error) {
	waiting := webhookcall.And(webhookcall.WebhookID(webhookID),
		webhookcall.StatusIn(webhookcall.StatusPENDING, webhookcall.StatusRETRYING))
	ids, err := tx.WebhookCall.Query().Where(waiting).IDs(ctx)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	now := s.now()
	if err := tx.WebhookCall.Update().Where(webhookcall.IDIn(ids...), waiting).
		SetStatus(webhookcall.StatusCANCELED).SetError(reason).SetCompletedAt(now).SetUpdatedAt(now).ClearNextAttemptAt().ClearWaitReason().
		Exec(ctx); err != nil {
		return nil, err
	}
	return tx.WebhookCall.Query().Where(webhookcall.IDIn(ids...)).All(ctx)
}

// signingSecrets returns the secrets that sign the calls of wh, opened
// (see Service.opened), now.
func (s *Deliveries) signingSecrets(wh *ent.Webhook, now time.Time) []string {
	secrets := []string{wh.SigningSecret}
	if wh.PreviousSigningSecret != nil && wh.PreviousSecretExpiresAt != nil && now.Before(*wh.PreviousSecretExpiresAt) {
		secrets = append(secrets, *wh.PreviousSigningSecret)
	}
	return secrets
}
