package webhooks_test

import (
	"context"
	"testing"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// What only PostgreSQL's store does: writes of the same moment grouped in
// one statement, and each written alone when that statement fails.

// When the statement recording attempts together fails (here: one of them
// is already recorded, against the unique (call, number) index), each is
// recorded alone: the others are written, and only that one fails.
func TestAttemptsTogetherFallBackOneByOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, client, svc := newPostgresService(t, webhooks.Config{})
	var calls []*ent.WebhookCall
	for range 3 {
		c, err := client.WebhookCall.Create().
			SetKind(webhookcall.KindDELIVERY).SetStatus(webhookcall.StatusRUNNING).
			SetTargetURL("https://receiver.example/hook").SetWebhookName("w").SetPayload(`{}`).
			Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
	}
	// The middle call's first attempt is already there.
	if err := client.WebhookCallAttempt.Create().SetCallID(calls[1].ID).SetNumber(1).SetStartedAt(time.Now()).SetDurationMs(1).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	resp := sender.Response{Status: 200}
	resps := []sender.Response{resp, resp, resp}
	if _, _, err := svc.FinishTogether(ctx, calls, time.Now(), `{}`, resps, nil); err == nil {
		t.Fatal("the statement recorded a second attempt 1; the test needs it to fail")
	}
	_, errs, err := svc.FinishTogetherOrAlone(ctx, calls, time.Now(), `{}`, resps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Errorf("errors %v; want only the middle call's", errs)
	}
	for i, want := range []webhookcall.Status{webhookcall.StatusSUCCEEDED, webhookcall.StatusRUNNING, webhookcall.StatusSUCCEEDED} {
		if got := client.WebhookCall.GetX(ctx, calls[i].ID).Status; got != want {
			t.Errorf("call %d is %s, want %s", i, got, want)
		}
	}
}
