package webhooks

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/file"
	"github.com/scoopa/webhooks/ent/folder"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/schema"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/audit"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/rules"
)

// What sending calls again does:
//
//  1. RecoverCalls (recoverWebhookCalls) takes the FAILED (or CANCELED)
//     delivery calls of one webhook created in a time range, a batch at a
//     time: each batch is one short transaction that moves its calls back to
//     PENDING with a fresh retry schedule (retry_base = the attempts they
//     have), then their events are published and their tasks enqueued.
//     They stay the same calls: the same ID, so the same webhook-id header
//     for receivers to de-duplicate, and the attempts so far are kept (the
//     numbering continues). A task that never reaches Redis is enqueued
//     again by the sweeper, which takes every PENDING call past its due
//     time: nothing in the database depends on the queue.
//  2. RedeliverFile (redeliverFile) sends a file again to some webhooks: the
//     webhook's existing call, if it has ended, goes again like a recovered
//     one; a webhook that never had a call for the file gets a new one if
//     it applies to the file now (what UploadFile would have done).
//  3. SendTestFile (sendTestFile) makes a new delivery call of a chosen file
//     to one webhook, marked as a test: the real payload, link and
//     signature, plus a "scoopa-test: true" header, attempted once and never
//     retried, to an inactive webhook too.
//
// All of them go through the normal delivery path (the queue, Deliver), so
// whatever paces deliveries paces them too.

// MaxRecoverCalls bounds the calls one RecoverCalls request sends again.
const MaxRecoverCalls = 100_000

func (s *Recovery) recoverLimit() int {
	if s.maxRecover > 0 {
		return s.maxRecover
	}
	return MaxRecoverCalls
}

// recoverBatch is how many calls one statement of RecoverCalls moves.
const recoverBatch = 1000

// TestHeader is the header that marks the request of a test call
// (sendTestFile), with the value "true".
const TestHeader = "scoopa-test"

// RecoverInput selects the calls of a webhook to send again: delivery calls
// (tests excluded) created at or after Since and before Until whose status
// is one of Statuses (FAILED if empty; FAILED and CANCELED are allowed).
type RecoverInput struct {
	WebhookID int
	Since     time.Time
	Until     time.Time
	Statuses  []webhookcall.Status
}

// recoverable are the statuses a call may be recovered from: the ones a call
// ends in without having been delivered.
var recoverable = []webhookcall.Status{webhookcall.StatusFAILED, webhookcall.StatusCANCELED}

// ended are the statuses of a call that no longer wants an attempt.
var ended = []webhookcall.Status{webhookcall.StatusSUCCEEDED, webhookcall.StatusFAILED, webhookcall.StatusCANCELED}

// recoverWhere checks in and returns what selects its calls, with how many
// there are.
func (s *Recovery) recoverWhere(ctx context.Context, in RecoverInput) (predicate.WebhookCall, int, error) {
	var errs []error
	statuses := in.Statuses
	if len(statuses) == 0 {
		statuses = []webhookcall.Status{webhookcall.StatusFAILED}
	}
	statuses = slices.Compact(slices.Sorted(slices.Values(statuses)))
	for _, st := range statuses {
		if !slices.Contains(recoverable, st) {
			errs = append(errs, problem.Invalid("statuses", "%s calls cannot be recovered: only FAILED and CANCELED calls can", st))
		}
	}
	if in.Since.IsZero() || in.Until.IsZero() {
		errs = append(errs, problem.Invalid("since", "since and until are both needed"))
	} else if !in.Until.After(in.Since) {
		errs = append(errs, problem.Invalid("until", "must be after since (%s)", in.Since.UTC().Format(time.RFC3339)))
	}
	if err := problem.Gather(errs...); err != nil {
		return nil, 0, err
	}
	wh, err := s.db.Webhook.Get(ctx, in.WebhookID)
	if ent.IsNotFound(err) {
		return nil, 0, problem.NotFound("webhook", in.WebhookID)
	} else if err != nil {
		return nil, 0, fmt.Errorf("recover calls of webhook %d: %w", in.WebhookID, err)
	}
	if !wh.Active {
		return nil, 0, problem.Invalid("webhookID", "webhook %d (%q) is inactive: activate it first, or its calls would be canceled at once", wh.ID, wh.Name)
	}
	where := webhookcall.And(
		webhookcall.WebhookID(in.WebhookID),
		webhookcall.KindEQ(webhookcall.KindDELIVERY),
		webhookcall.Test(false),
		webhookcall.StatusIn(statuses...),
		webhookcall.CreatedAtGTE(in.Since),
		webhookcall.CreatedAtLT(in.Until),
	)
	n, err := s.db.WebhookCall.Query().Where(where).Count(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("recover calls of webhook %d: %w", in.WebhookID, err)
	}
	if limit := s.recoverLimit(); n > limit {
		return nil, 0, problem.Invalid("since", "%d calls match; at most %d are recovered in one request: narrow the time range", n, limit)
	}
	return where, n, nil
}

// RecoverableCallCount is how many calls RecoverCalls would send again now
// for in, after the same checks.
func (s *Recovery) RecoverableCallCount(ctx context.Context, in RecoverInput) (int, error) {
	_, n, err := s.recoverWhere(ctx, in)
	return n, err
}

// RecoverCalls sends the calls selected by in again, as new attempts of the
// same calls with a fresh retry schedule, and returns how many it queued.
// It goes on when the caller goes away (each batch is whole either way).
func (s *Recovery) RecoverCalls(ctx context.Context, in RecoverInput) (int, error) {
	where, _, err := s.recoverWhere(ctx, in)
	if err != nil {
		return 0, err
	}
	ctx = context.WithoutCancel(ctx)
	total, lastID, enqueueing, limit := 0, 0, true, s.recoverLimit()
	for total < limit {
		ids, err := s.db.WebhookCall.Query().Where(where, webhookcall.IDGT(lastID)).
			Order(ent.Asc(webhookcall.FieldID)).Limit(min(recoverBatch, limit-total)).IDs(ctx)
		if err != nil {
			return total, fmt.Errorf("recover calls of webhook %d: %w", in.WebhookID, err)
		}
		if len(ids) == 0 {
			break
		}
		lastID = ids[len(ids)-1]
		var calls []*ent.WebhookCall
		err = withTx(ctx, s.db, func(tx *ent.Tx) error {
			if calls, err = s.store.SendAgain(ctx, tx.Client(), ids, where, s.now()); err != nil || len(calls) == 0 {
				return err
			}
			return s.record(ctx, tx, audit.Entry{Action: "webhook.recover_calls", SubjectType: "Webhook",
				SubjectID: in.WebhookID, SubjectName: calls[0].WebhookName,
				Changes: []schema.FieldChange{{Field: "callsSentAgain", New: ptr(strconv.Itoa(len(calls)))}}})
		})
		if err != nil {
			return total, fmt.Errorf("recover calls of webhook %d: %w", in.WebhookID, err)
		}
		total += len(calls)
		enqueueing = s.queueAgain(ctx, calls, enqueueing)
	}
	s.log.InfoContext(ctx, "calls recovered", "webhook_id", in.WebhookID, "count", total, "enqueued", enqueueing)
	return total, nil
}

// queueAgain announces calls sent again and enqueues their next attempt,
// unless enqueueing already failed in this run: then the sweeper enqueues
// them (they are PENDING), rather than each waiting for an unreachable
// queue. It reports whether the queue still takes tasks.
func (s *Recovery) queueAgain(ctx context.Context, calls []*ent.WebhookCall, enqueueing bool) bool {
	s.publish(ctx, calls...)
	for _, c := range calls {
		if !enqueueing {
			break
		}
		if err := s.enqueueDelivery(ctx, c.ID, c.AttemptCount+1, time.Time{}); err != nil {
			s.log.WarnContext(ctx, "calls sent again not enqueued; the sweeper will", "call_id", c.ID, "err", err)
			enqueueing = false
		}
	}
	return enqueueing
}

// RedeliverFile sends a file again to webhooks (if none are given, to every
// webhook that had a delivery call for it and still exists). A webhook's
// latest call for the file goes again if it has ended (SUCCEEDED, FAILED or
// CANCELED), as a new attempt of the same call; a call still under way is
// an error naming it. A webhook without a call for the file gets a new
// call if it is active and applies to the file (its folder and filter), and
// is refused otherwise. Nothing is sent unless every webhook can be; the
// calls sent are returned.
func (s *Recovery) RedeliverFile(ctx context.Context, fileID int, webhookIDs []int) ([]*ent.WebhookCall, error) {
	f, err := s.db.File.Query().Where(file.ID(fileID)).WithFolder().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("file", fileID)
	} else if err != nil {
		return nil, fmt.Errorf("redeliver file %d: %w", fileID, err)
	}
	if len(webhookIDs) > s.cfg.MaxWebhooks {
		return nil, problem.Invalid("webhookIDs", "at most %d webhooks are allowed", s.cfg.MaxWebhooks)
	}
	var sent []*ent.WebhookCall
	err = withTx(ctx, s.db, func(tx *ent.Tx) error {
		// The latest delivery call of each webhook for the file.
		prior, err := tx.WebhookCall.Query().
			Where(webhookcall.FileID(fileID), webhookcall.KindEQ(webhookcall.KindDELIVERY), webhookcall.Test(false), webhookcall.WebhookIDNotNil()).
			Order(ent.Desc(webhookcall.FieldID)).All(ctx)
		if err != nil {
			return err
		}
		latest := map[int]*ent.WebhookCall{}
		var had []int
		for _, c := range prior {
			if _, ok := latest[*c.WebhookID]; !ok {
				latest[*c.WebhookID] = c
				had = append(had, *c.WebhookID)
			}
		}
		ids := slices.Compact(slices.Sorted(slices.Values(webhookIDs)))
		if len(webhookIDs) == 0 {
			if ids = slices.Sorted(slices.Values(had)); len(ids) == 0 {
				return problem.Invalid("webhookIDs", "no webhook had a call for file %d: name the webhooks to send it to", fileID)
			}
		}
		hooks, err := tx.Webhook.Query().Where(webhook.IDIn(ids...)).
			WithFolders(func(q *ent.FolderQuery) { q.Where(folder.ID(f.Edges.Folder.ID)) }).All(ctx)
		if err != nil {
			return err
		}
		byID := map[int]*ent.Webhook{}
		for _, wh := range hooks {
			byID[wh.ID] = wh
		}
		for _, id := range ids {
			if byID[id] == nil {
				return problem.NotFound("webhook", id)
			}
		}
		var (
			errs   []error
			again  []int
			create []*ent.WebhookCallCreate
		)
		for _, id := range ids {
			wh, c := byID[id], latest[id]
			switch {
			case !wh.Active:
				errs = append(errs, problem.Invalid("webhookIDs", "webhook %d (%q) is inactive: activate it first", id, wh.Name))
			case c != nil && !slices.Contains(ended, c.Status):
				errs = append(errs, problem.Invalid("webhookIDs", "call %d of webhook %d (%q) for this file is still %s: wait for it to end", c.ID, id, wh.Name, c.Status))
			case c != nil:
				again = append(again, c.ID)
			default:
				origin, applies := appliesTo(wh, f)
				if !applies {
					errs = append(errs, problem.Invalid("webhookIDs", "webhook %d (%q) never had a call for file %d and does not apply to it (its folders or filters): use sendTestFile to send it anyway", id, wh.Name, fileID))
					continue
				}
				cc, err := s.newCall(tx, wh, f, f.Edges.Folder, origin)
				if err != nil {
					return err
				}
				create = append(create, cc)
			}
		}
		if err := problem.Gather(errs...); err != nil {
			return err
		}
		if len(again) > 0 {
			moved, err := s.store.SendAgain(ctx, tx.Client(), again, webhookcall.StatusIn(ended...), s.now())
			if err != nil {
				return err
			}
			if len(moved) != len(again) {
				return errors.New("a call of the file changed meanwhile; try again")
			}
			sent = append(sent, moved...)
		}
		if len(create) > 0 {
			if err := s.store.LockOrdered(ctx, tx, hooks); err != nil { // order.go
				return err
			}
			created, err := tx.WebhookCall.CreateBulk(create...).Save(ctx)
			if err != nil {
				return err
			}
			sent = append(sent, created...)
		}
		return s.record(ctx, tx, audit.Entry{Action: "file.redeliver", SubjectType: "File",
			SubjectID: fileID, SubjectName: f.Name, Changes: callsSent(sent)})
	})
	if err != nil {
		return nil, fmt.Errorf("redeliver file %d: %w", fileID, err)
	}
	s.log.InfoContext(ctx, "file sent again", "file_id", fileID, "calls", len(sent))
	s.queueAgain(ctx, sent, true)
	return sent, nil
}

// FilterOf is the filters of wh, as one matcher: the one that decides
// which files fire it (appliesTo) and that webhookPreview counts with.
func FilterOf(wh *ent.Webhook) rules.FileFilter {
	f := rules.FileFilter{ContentTypes: wh.ContentTypes, MinSize: wh.MinSizeBytes, MaxSize: wh.MaxSizeBytes}
	if wh.Filter != nil {
		f.Contains = *wh.Filter
	}
	if wh.NameGlob != nil {
		f.NameGlob = *wh.NameGlob
	}
	return f
}

// appliesTo reports whether a new file f fires wh (leaving aside whether
// wh is active), and with what origin. wh's folders must be loaded
// restricted to f's folder.
func appliesTo(wh *ent.Webhook, f *ent.File) (webhookcall.Origin, bool) {
	switch {
	case !FilterOf(wh).Matches(f.Name, f.ContentType, f.SizeBytes):
		return "", false
	case len(wh.Edges.Folders) > 0:
		return webhookcall.OriginFOLDER, true
	case wh.AllFolders:
		return webhookcall.OriginPLATFORM, true
	}
	return "", false
}

// SendTestFile makes a test delivery of a file to a webhook, active or not,
// whether or not the webhook applies to the file: a new delivery call
// marked as a test, with the real payload and signature, attempted once
// (no retries) as soon as a worker takes it. It returns the call, PENDING,
// for the caller to follow.
func (s *Recovery) SendTestFile(ctx context.Context, webhookID, fileID int) (*ent.WebhookCall, error) {
	f, err := s.db.File.Query().Where(file.ID(fileID)).WithFolder().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("file", fileID)
	} else if err != nil {
		return nil, fmt.Errorf("send test file %d: %w", fileID, err)
	}
	var call *ent.WebhookCall
	err = withTx(ctx, s.db, func(tx *ent.Tx) error {
		wh, err := tx.Webhook.Query().Where(webhook.ID(webhookID)).
			WithFolders(func(q *ent.FolderQuery) { q.Where(folder.ID(f.Edges.Folder.ID)) }).Only(ctx)
		if ent.IsNotFound(err) {
			return problem.NotFound("webhook", webhookID)
		} else if err != nil {
			return err
		}
		// The origin the call would have had, if the webhook applies to the
		// file's folder; none otherwise.
		var origin webhookcall.Origin
		if len(wh.Edges.Folders) > 0 {
			origin = webhookcall.OriginFOLDER
		} else if wh.AllFolders {
			origin = webhookcall.OriginPLATFORM
		}
		c, err := s.newCall(tx, wh, f, f.Edges.Folder, origin)
		if err != nil {
			return err
		}
		// A test call is not part of the order (order.go): it neither
		// waits for the webhook's calls nor holds them up.
		if call, err = c.SetTest(true).SetOrdered(false).Save(ctx); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "webhook.send_test_file", SubjectType: "Webhook",
			SubjectID: webhookID, SubjectName: wh.Name, Changes: callsSent([]*ent.WebhookCall{call})})
	})
	if err != nil {
		return nil, fmt.Errorf("send test file %d to webhook %d: %w", fileID, webhookID, err)
	}
	s.log.InfoContext(ctx, "test file sent", "webhook_id", webhookID, "file_id", fileID, "call_id", call.ID)
	s.queueAgain(ctx, []*ent.WebhookCall{call}, true)
	return call, nil
}

// RetryCall makes a FAILED or CANCELED delivery call go again at once. The
// attempt numbering and the webhook-id continue.
func (s *Recovery) RetryCall(ctx context.Context, id int) (*ent.WebhookCall, error) {
	call, err := s.db.WebhookCall.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("webhook call", id)
	} else if err != nil {
		return nil, fmt.Errorf("retry call %d: %w", id, err)
	}
	if call.Kind != webhookcall.KindDELIVERY {
		return nil, problem.Invalid("id", "call %d is a validation call; use revalidateWebhook", id)
	}
	if call.WebhookID == nil {
		return nil, problem.Invalid("id", "the webhook of call %d was deleted", id)
	}
	var n int
	err = withTx(ctx, s.db, func(tx *ent.Tx) error {
		var err error
		n, err = tx.WebhookCall.Update().
			Where(webhookcall.ID(id), webhookcall.StatusIn(webhookcall.StatusFAILED, webhookcall.StatusCANCELED)).
			SetStatus(webhookcall.StatusPENDING).ClearCompletedAt().ClearNextAttemptAt().SetUpdatedAt(s.now()).
			Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "call.retry", SubjectType: "WebhookCall", SubjectID: id,
			SubjectName: call.WebhookName, Changes: []schema.FieldChange{{Field: "status", Old: ptr(string(call.Status)), New: ptr(string(webhookcall.StatusPENDING))}}})
	})
	if err != nil {
		return nil, fmt.Errorf("retry call %d: %w", id, err)
	}
	if n == 0 {
		return nil, problem.Invalid("id", "call %d is %s; only FAILED or CANCELED calls can be retried", id, call.Status)
	}
	if call, err = s.db.WebhookCall.Get(ctx, id); err != nil {
		return nil, fmt.Errorf("retry call %d: %w", id, err)
	}
	s.publish(ctx, call)
	if err := s.enqueueDelivery(ctx, id, call.AttemptCount+1, time.Time{}); err != nil {
		s.log.WarnContext(ctx, "delivery not enqueued; the sweeper will", "call_id", id, "err", err)
	}
	return call, nil
}

// record writes the audit entry of a change made in tx (internal/audit).
func (s *Recovery) record(ctx context.Context, tx *ent.Tx, e audit.Entry) error {
	return audit.Record(ctx, tx.Client(), s.now(), auth.ActorFrom(ctx), e)
}

// callsSent is what the audit log shows of calls sent (again): their IDs.
func callsSent(calls []*ent.WebhookCall) []schema.FieldChange {
	ids := make([]string, len(calls))
	for i, c := range calls {
		ids[i] = strconv.Itoa(c.ID)
	}
	return []schema.FieldChange{{Field: "calls", New: ptr(strings.Join(ids, ", "))}}
}

func ptr(s string) *string { return &s }
