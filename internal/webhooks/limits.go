package webhooks

import (
	"context"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/limits"
)

// scheduleOf is the retry schedule a new call of wh keeps: the webhook's
// own, or the service's.
func (s *Deliveries) scheduleOf(wh *ent.Webhook) []string {
	if wh.RetryDelays != nil {
		return wh.RetryDelays
	}
	return limits.FormatDelays(s.cfg.RetryDelays)
}

// callDelays is the retry schedule in force for a call: the one it kept
// when it was created, or (for a call older than that) its webhook's.
func (s *Deliveries) callDelays(call *ent.WebhookCall, wh *ent.Webhook) []time.Duration {
	in := call.RetryDelays
	if in == nil {
		in = wh.RetryDelays
	}
	if in == nil {
		return s.cfg.RetryDelays
	}
	ds, err := limits.ParseRetryDelays("retryDelays", in)
	if err != nil { // stored by hand: the service's schedule rather than none
		s.log.Warn("stored retry schedule unreadable; the default is used", "call_id", call.ID, "err", err)
		return s.cfg.RetryDelays
	}
	return ds
}

// timeoutOf is how long one delivery request to wh may take.
func (s *Deliveries) timeoutOf(wh *ent.Webhook) time.Duration {
	if wh.TimeoutSeconds != nil {
		return time.Duration(*wh.TimeoutSeconds) * time.Second
	}
	return s.cfg.DeliveryTimeout
}

// maxTimeout is the longest a delivery request can take, whatever the
// webhook: what a RUNNING call and a lease are given before they count as
// abandoned.
func (s *Deliveries) maxTimeout() time.Duration {
	return max(s.cfg.DeliveryTimeout, limits.MaxTimeoutSeconds*time.Second)
}

// admission is the limiter's answer for one call: go (with the lease to
// give back after) or wait.
type admission struct {
	lease  *limits.Lease
	wait   time.Duration // > 0: wait this long
	reason string        // why it waits
	slot   time.Time     // the reserved rate slot, kept while waiting
}

// admit decides whether a call of wh may go now. slot is the rate slot
// the call reserved before it waited (zero: none yet).
func (s *Deliveries) admit(ctx context.Context, wh *ent.Webhook, callID int, slot time.Time) (admission, error) {
	if s.limiter == nil {
		return admission{}, nil
	}
	if rate := wh.MaxRequestsPerSecond; rate != nil {
		wait, at, err := s.limiter.TakeRate(ctx, wh.ID, *rate, slot, false)
		if err != nil {
			return admission{}, err
		}
		if wait > 0 {
			return admission{wait: wait, reason: limits.RateReason(*rate), slot: at}, nil
		}
		slot = at
	}
	if limit := wh.MaxConcurrent; limit != nil {
		lease, err := s.limiter.Acquire(ctx, wh.ID, *limit, callID, s.leaseOf(wh))
		if err != nil {
			return admission{}, err
		}
		if lease == nil {
			return admission{wait: limits.ConcurrencyWait, reason: limits.ConcurrencyReason(*limit), slot: slot}, nil
		}
		return admission{lease: lease}, nil
	}
	return admission{}, nil
}

// reserveSlot reserves the rate slot of a new call of a rate-limited
// webhook (paceNew): the call's due time and wait reason, ok false if none
// was reserved.
func (s *Deliveries) reserveSlot(ctx context.Context, webhookID, perSecond int, now time.Time) (at time.Time, reason *string, ok bool) {
	if s.limiter == nil {
		return at, nil, false
	}
	wait, _, err := s.limiter.TakeRate(ctx, webhookID, perSecond, time.Time{}, true)
	if err != nil {
		s.log.WarnContext(ctx, "rate slot not reserved; the worker will", "webhook_id", webhookID, "err", err)
		return at, nil, false
	}
	if wait > limits.SlotEarly {
		r := limits.RateReason(perSecond)
		reason = &r
	}
	return now.Add(wait), reason, true
}

// slotOf is the task that delivers a new call: its reserved slot, if pace
// gave it one, and when to run.
func (s *Deliveries) slotOf(c *ent.WebhookCall) (DeliverPayload, time.Time) {
	p := DeliverPayload{CallID: c.ID}
	if c.NextAttemptAt == nil {
		return p, time.Time{}
	}
	// The slot is on Redis's (the real) clock; the due time on the service's.
	wait := c.NextAttemptAt.Sub(s.now())
	p.Slot = time.Now().Add(wait).UnixMicro()
	if wait <= limits.SlotEarly {
		return p, time.Time{} // now
	}
	return p, *c.NextAttemptAt
}
