package webhooks

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/rules"
	"github.com/scoopa/webhooks/internal/sender"
)

// What happens when a delivery call fails for good (FAILED after its last
// retry, or at once for 410 Gone):
//
//  1. the operator webhook, if there is one, is told (call.failed);
//  2. with Config.DisableAfter set, the webhook is deactivated when its
//     receiver answered 410 Gone, or when it has been failing for
//     DisableAfter: the first delivery call that FAILED after its last
//     SUCCEEDED one (by the time they ended, completed_at) ended at least
//     DisableAfter ago. Calls canceled meanwhile count neither way. The
//     check is made only here, so a webhook is deactivated only while it
//     still gets calls and they still fail, and costs two lookups on the
//     index (webhook_id, kind, status, completed_at): the last success, and
//     the first failure after it;
//  3. deactivating sets active to false with the reason and the time
//     (disabled_reason, disabled_at), cancels the webhook's waiting calls
//     as a deactivation by hand does, and is logged, counted
//     (scoopa_webhooks_disabled_total) and told to the operator webhook
//     (webhook.disabled). Activating the webhook again clears the reason.

// Causes of a deactivation by the service (the metric's "cause" label and
// the operator event's "cause").
const (
	DisabledFailing = "failing"
	DisabledGone    = "gone"
)

// failedForGood runs after a delivery call of wh ended FAILED.
func (s *Deliveries) failedForGood(ctx context.Context, wh *ent.Webhook, call *ent.WebhookCall, resp sender.Response) {
	s.operator.CallFailed(ctx, call)
	if s.cfg.DisableAfter <= 0 {
		return
	}
	now := s.now()
	if resp.Status == http.StatusGone {
		s.disable(ctx, wh.ID, DisabledGone, fmt.Sprintf("receiver answered 410 Gone at %s", now.Format(time.RFC3339)), nil)
		return
	}
	since, err := s.failingSince(ctx, wh.ID)
	if err != nil {
		s.log.WarnContext(ctx, "webhook health not checked", "webhook_id", wh.ID, "call_id", call.ID, "err", err)
		return
	}
	if since == nil || now.Sub(*since) < s.cfg.DisableAfter {
		return
	}
	reason := fmt.Sprintf("every delivery call failed since %s (%s or more)", since.Format(time.RFC3339), formatWindow(s.cfg.DisableAfter))
	if call.Error != nil {
		reason += "; last error: " + rules.Truncate(*call.Error, 200)
	}
	s.disable(ctx, wh.ID, DisabledFailing, reason, since)
}

// failingSince returns when the first delivery call of the webhook that
// failed after its last successful one ended; nil when none did.
func (s *Deliveries) failingSince(ctx context.Context, webhookID int) (*time.Time, error) {
	ended := func(st webhookcall.Status) *ent.WebhookCallQuery {
		return s.db.WebhookCall.Query().Where(
			webhookcall.WebhookID(webhookID),
			webhookcall.KindEQ(webhookcall.KindDELIVERY),
			webhookcall.StatusEQ(st),
			webhookcall.CompletedAtNotNil(),
		)
	}
	failed := ended(webhookcall.StatusFAILED)
	last, err := ended(webhookcall.StatusSUCCEEDED).Order(ent.Desc(webhookcall.FieldCompletedAt)).
		Select(webhookcall.FieldID, webhookcall.FieldCompletedAt).First(ctx)
	switch {
	case err == nil:
		failed.Where(webhookcall.CompletedAtGT(*last.CompletedAt))
	case !ent.IsNotFound(err):
		return nil, fmt.Errorf("last success of webhook %d: %w", webhookID, err)
	}
	first, err := failed.Order(ent.Asc(webhookcall.FieldCompletedAt)).
		Select(webhookcall.FieldID, webhookcall.FieldCompletedAt).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("first failure of webhook %d: %w", webhookID, err)
	}
	return first.CompletedAt, nil
}

// disable deactivates an active webhook with a reason, and cancels its
// waiting calls. Of several workers that decide it at once, one does it.
func (s *Deliveries) disable(ctx context.Context, id int, cause, reason string, failingSince *time.Time) {
	now := s.now()
	var (
		wh       *ent.Webhook
		canceled []*ent.WebhookCall
	)
	err := withTx(ctx, s.db, func(tx *ent.Tx) error {
		n, err := tx.Webhook.Update().Where(webhook.ID(id), webhook.Active(true)).
			SetActive(false).SetDisabledReason(reason).SetDisabledAt(now).SetUpdatedAt(now).
			Save(ctx)
		if err != nil || n == 0 {
			return err // already inactive, or deleted
		}
		if canceled, err = s.cancelWaiting(ctx, tx, id, "webhook deactivated: "+reason); err != nil {
			return err
		}
		wh, err = tx.Webhook.Get(ctx, id)
		return err
	})
	s.hooks.forget(id)
	if err != nil {
		s.log.ErrorContext(ctx, "webhook not deactivated", "webhook_id", id, "reason", reason, "err", err)
		return
	}
	if wh == nil {
		return
	}
	s.publish(ctx, canceled...)
	s.metrics.disabled(cause)
	s.log.WarnContext(ctx, "webhook deactivated", "webhook_id", id, "cause", cause, "reason", reason, "canceled_calls", len(canceled))
	s.operator.Disabled(ctx, wh, cause, failingSince)
}

// formatWindow writes a duration as the setting is written: 72h, 90m, 1h30m.
func formatWindow(d time.Duration) string {
	out := d.String()
	for _, suffix := range []string{"m0s", "h0m"} {
		if len(out) > len(suffix) && out[len(out)-len(suffix):] == suffix {
			out = out[:len(out)-len(suffix)+1]
		}
	}
	return out
}
