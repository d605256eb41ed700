package webhooks

import (
	"context"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/webhookcall"
)

// Ordered delivery: a webhook with ordered set gets its calls one at a
// time, in the order their files arrived. The database decides, not the
// queue, so the order holds across workers, worker deaths and a lost queue:
//
//  1. a call made while its webhook is ordered is marked ordered (a test
//     call never is: it neither waits nor holds the others up). The
//     transaction that makes it first locks the webhook's row (the store's
//     lockOrdered),
//     so the calls of one ordered webhook are numbered in the order their
//     files were committed, and no call becomes visible after a later one;
//  2. the claim (deliver.go) takes an ordered call only if no earlier
//     ordered call of its webhook is unfinished: PENDING, RUNNING or
//     RETRYING, its retry schedule included (mayGo, one SQL condition). A
//     unique index on the RUNNING ordered call of each webhook makes a
//     second one impossible even if a call is sent again meanwhile;
//  3. a refused call stays PENDING (or RETRYING) and says why:
//     "waiting for call <id> to finish" (orderWait). Its task is done;
//  4. when an ordered call ends (SUCCEEDED, FAILED, CANCELED), the next one
//     is enqueued at once (releaseNext); if that task is lost, the sweeper
//     enqueues the head of the queue (it sweeps only calls that mayGo).
//
// Switching ordered on or off applies to calls created afterwards, like a
// retry schedule: calls already made keep the way they were made.

// orderGate is the SQL condition that a delivery call (a row of table t, as
// the statement names it) may go as far as ordered delivery is concerned:
// it is not ordered, or already RUNNING (a stale call taken over keeps its
// turn), or no earlier ordered call of its webhook is unfinished. For an
// unordered call the first term decides and the subquery never runs. The
// index webhookcall_ordered_unfinished answers the subquery from one entry.
func orderGate(t string) string {
	return fmt.Sprintf(`(NOT %[1]s.ordered OR %[1]s.status = 'RUNNING' OR NOT EXISTS (
		SELECT 1 FROM webhook_calls ahead WHERE ahead.webhook_id = %[1]s.webhook_id AND ahead.ordered
			AND ahead.status IN ('PENDING', 'RUNNING', 'RETRYING') AND ahead.id < %[1]s.id))`, t)
}

// mayGo is orderGate as a predicate, for the claim and the sweeper.
func mayGo() predicate.WebhookCall {
	return func(sel *sql.Selector) {
		id := sel.C(webhookcall.FieldID) // "table"."id", quoted for the dialect
		sel.Where(sql.ExprP(orderGate(id[:strings.LastIndex(id, ".")])))
	}
}

// unfinished are the statuses of a call that is still to end.
var unfinished = []webhookcall.Status{webhookcall.StatusPENDING, webhookcall.StatusRUNNING, webhookcall.StatusRETRYING}

// orderWaitReason is the wait_reason of a call that waits for call id.
func orderWaitReason(id int) string { return fmt.Sprintf("waiting for call %d to finish", id) }

// orderWait records why the claim of a call was refused, if the call is
// an ordered one waiting for another: the latest earlier unfinished
// ordered call of its webhook, or else the one of them now running. It is
// called only when a claim took nothing (a duplicate task, a call not due,
// or one that waits its turn).
func (s *Deliveries) orderWait(ctx context.Context, callID int) error {
	call, err := s.db.WebhookCall.Query().
		Where(webhookcall.ID(callID), webhookcall.Ordered(true),
			webhookcall.StatusIn(webhookcall.StatusPENDING, webhookcall.StatusRETRYING)).
		Select(webhookcall.FieldID, webhookcall.FieldWebhookID, webhookcall.FieldWaitReason).
		Only(ctx)
	if ent.IsNotFound(err) || (err == nil && call.WebhookID == nil) {
		return nil
	} else if err != nil {
		return fmt.Errorf("call %d waits its turn: %w", callID, err)
	}
	ahead, err := s.db.WebhookCall.Query().
		Where(webhookcall.WebhookID(*call.WebhookID), webhookcall.Ordered(true), webhookcall.StatusIn(unfinished...), webhookcall.IDNEQ(callID),
			webhookcall.Or(webhookcall.IDLT(callID), webhookcall.StatusEQ(webhookcall.StatusRUNNING))).
		Order(webhookcall.ByID(sql.OrderDesc())).
		Select(webhookcall.FieldID, webhookcall.FieldStatus).
		All(ctx)
	if err != nil {
		return fmt.Errorf("call %d waits its turn: %w", callID, err)
	}
	blocker := 0
	for _, a := range ahead { // the latest earlier one; else the running one
		if a.ID < callID {
			blocker = a.ID
			break
		}
	}
	if blocker == 0 && len(ahead) > 0 {
		blocker = ahead[0].ID
	}
	if blocker == 0 {
		return nil // its turn: the claim found it not due, or a duplicate
	}
	reason := orderWaitReason(blocker)
	if call.WaitReason != nil && *call.WaitReason == reason {
		return nil
	}
	c, err := s.db.WebhookCall.UpdateOneID(callID).
		Where(webhookcall.StatusIn(webhookcall.StatusPENDING, webhookcall.StatusRETRYING)).
		SetWaitReason(reason).SetUpdatedAt(s.now()).Save(ctx)
	if ent.IsNotFound(err) {
		return nil // claimed meanwhile: its turn came
	} else if err != nil {
		return fmt.Errorf("call %d waits its turn: %w", callID, err)
	}
	s.publish(ctx, c)
	return nil
}

// releaseNext enqueues at once the next call of the webhook of ended, an
// ordered call that just ended: the earliest unfinished ordered call, if it
// is waiting and due. Its task ID names ended, so that it never collides
// with a task of the call still in the queue. If the task is lost, the
// sweeper enqueues the call.
func (s *Deliveries) releaseNext(ctx context.Context, ended *ent.WebhookCall) {
	if !ended.Ordered || ended.WebhookID == nil {
		return
	}
	next, err := s.db.WebhookCall.Query().
		Where(webhookcall.WebhookID(*ended.WebhookID), webhookcall.Ordered(true), webhookcall.StatusIn(unfinished...)).
		Order(webhookcall.ByID()).
		Select(webhookcall.FieldID, webhookcall.FieldStatus, webhookcall.FieldAttemptCount, webhookcall.FieldNextAttemptAt).
		First(ctx)
	if ent.IsNotFound(err) {
		return
	} else if err != nil {
		s.log.WarnContext(ctx, "next ordered call not released; the sweeper will", "call_id", ended.ID, "err", err)
		return
	}
	if next.Status == webhookcall.StatusRUNNING {
		return
	}
	var at time.Time
	if next.NextAttemptAt != nil && next.NextAttemptAt.After(s.now().Add(time.Second)) {
		if next.Status == webhookcall.StatusRETRYING {
			return // its retry is enqueued for its time
		}
		at = *next.NextAttemptAt // a delivery limit's slot
	}
	taskID := fmt.Sprintf("%s:after:%d", deliveryTaskID(next.ID, next.AttemptCount+1), ended.ID)
	if err := s.enqueueTask(ctx, DeliverPayload{CallID: next.ID}, taskID, at); err != nil {
		s.log.WarnContext(ctx, "next ordered call not enqueued; the sweeper will", "call_id", next.ID, "err", err)
	}
}
