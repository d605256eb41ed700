package webhooks_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/settings"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
	"github.com/scoopa/webhooks/worker"
)

// Two worker processes share one database and one queue: whichever of
// them scans, and however their scans interleave, each webhook is validated
// once per interval. The scans run at clock times the test sets (every half
// interval), as the scheduler of each process would run them.
func TestPeriodicRevalidationOncePerInterval(t *testing.T) {
	t.Parallel()
	const interval = time.Hour
	ctx := context.Background()
	clock := testenv.NewClock(time.Now())
	t0 := clock.Now()
	w := newWorkers(t, 2, clock, webhooks.Config{AllowPrivateTargets: true, RevalidateInterval: interval, ValidationTimeout: 5 * time.Second})
	a, b := w.svcs[0], w.svcs[1]
	rc := testenv.NewReceiver(t)
	active := true
	wh, err := a.Settings().CreateWebhook(ctx, settings.CreateWebhookInput{Name: "v", URL: rc.URL, Active: &active})
	if err != nil {
		t.Fatal(err)
	}
	for step := 1; step <= 8; step++ {
		clock.Set(t0.Add(time.Duration(step) * interval / 2))
		if step%4 == 2 {
			// Both scan before either processes what its scan found.
			periodic(t, a, webhooks.TypeRevalidate)
			periodic(t, b, webhooks.TypeRevalidate)
			w.waitIdle(t)
		} else {
			// One after the other.
			periodic(t, b, webhooks.TypeRevalidate)
			w.waitIdle(t)
			periodic(t, a, webhooks.TypeRevalidate)
			w.waitIdle(t)
		}
	}
	// Both are handed the same due webhook (both scans found it before
	// either validated it): one validates.
	clock.Set(t0.Add(5 * interval))
	due := asynq.NewTask(webhooks.TypeValidate, fmt.Appendf(nil, `{"webhook_id":%d,"since":%d}`, wh.ID, t0.Add(4*interval).UnixNano()))
	for _, svc := range []*webhooks.Service{a, b} {
		if err := worker.Mux(svc).ProcessTask(ctx, due); err != nil {
			t.Fatal(err)
		}
	}
	// One at creation, then one per interval, at the interval's start.
	vs := rc.Validations()
	if len(vs) != 6 {
		t.Fatalf("%d validations over 5 intervals with two workers, want 6 (one at creation, one per interval)", len(vs))
	}
	for i, v := range vs {
		if got, want := v.Header.Get("webhook-timestamp"), fmt.Sprint(t0.Add(time.Duration(i)*interval).Unix()); got != want {
			t.Errorf("validation %d made at %s, want %s (interval %d)", i, got, want, i)
		}
	}
	// They are in the call log as VALIDATION calls with their attempt.
	calls, err := w.db.WebhookCall.Query().Where(webhookcall.KindEQ(webhookcall.KindVALIDATION)).
		Order(ent.Asc(webhookcall.FieldID)).WithAttempts().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != len(vs) {
		t.Errorf("%d validation calls logged, receiver saw %d", len(calls), len(vs))
	}
	for i, c := range calls {
		if c.Status != webhookcall.StatusSUCCEEDED || len(c.Edges.Attempts) != 1 || c.Edges.Attempts[0].ResponseStatus == nil || *c.Edges.Attempts[0].ResponseStatus != 200 {
			t.Errorf("validation call %d: %s with %d attempts, want SUCCEEDED with one attempt answered 200", i, c.Status, len(c.Edges.Attempts))
		}
		if want := t0.Add(time.Duration(i) * interval); !c.CreatedAt.Equal(want) {
			t.Errorf("validation call %d created at %s, want %s", i, c.CreatedAt, want)
		}
	}
	// A periodic failure marks it INVALID but keeps it active.
	rc.ValidateStatus = http.StatusServiceUnavailable
	clock.Set(t0.Add(6 * interval))
	periodic(t, a, webhooks.TypeRevalidate)
	periodic(t, b, webhooks.TypeRevalidate)
	w.waitIdle(t)
	got, err := w.db.Webhook.Get(ctx, wh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ValidationStatus != webhook.ValidationStatusINVALID || !got.Active || got.LastValidationError == nil || *got.LastValidationError != "HTTP 503" {
		t.Errorf("after a failed periodic validation: %s, active %v, error %v; want INVALID, still active, HTTP 503", got.ValidationStatus, got.Active, got.LastValidationError)
	}
	if n := len(rc.Validations()); n != 7 {
		t.Errorf("%d validations after the sixth interval, want 7", n)
	}
}

// Manual retry, and cancellation when a webhook is deactivated. The retry
// delay passes on the server's clock, and the due retry runs at once.
func TestRetryAndCancel(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now())
	s := testenv.StartServerWith(t, testenv.Postgres, testenv.Options{Env: map[string]string{"SCOOPA_RETRY_DELAYS": "2s"}, Clock: clock})
	rc := testenv.NewReceiver(t)
	failing := true
	rc.SetScript(func(int, http.ResponseWriter) int {
		if failing {
			return 500
		}
		return 200
	})
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "r"}) { id } }`, nil, &f)
	var wh struct{ CreateWebhook struct{ ID string } }
	s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "r", "url": rc.URL, "folderIDs": []string{f.CreateFolder.ID}, "active": true}}, &wh)
	s.Upload(t, f.CreateFolder.ID, "a.txt", "text/plain", []byte("a"))
	type call struct {
		ID, Status   string
		AttemptCount int
		Attempts     []struct{ Number int }
	}
	get := func() call {
		var out struct {
			WebhookCalls struct{ Edges []struct{ Node call } }
		}
		s.MustDo(t, `query($w: ID!) { webhookCalls(where: {hasWebhookWith: [{id: $w}], kind: DELIVERY}) { edges { node { id status attemptCount attempts { number } } } } }`,
			map[string]any{"w": wh.CreateWebhook.ID}, &out)
		if len(out.WebhookCalls.Edges) != 1 {
			return call{}
		}
		return out.WebhookCalls.Edges[0].Node
	}
	testenv.Eventually(t, 20*time.Second, "RETRYING after the first attempt", func() bool { return get().Status == "RETRYING" })
	clock.Advance(2 * time.Second)
	s.RunDue(t, 1)
	testenv.Eventually(t, 20*time.Second, "FAILED after 2 attempts", func() bool { return get().Status == "FAILED" })
	c := get()
	// Retrying an unfinished call is refused; a FAILED one goes again.
	failing = false
	var r struct{ RetryWebhookCall call }
	s.MustDo(t, `mutation($id: ID!) { retryWebhookCall(id: $id) { id status attemptCount } }`, map[string]any{"id": c.ID}, &r)
	testenv.Eventually(t, 20*time.Second, "SUCCEEDED after the retry", func() bool { return get().Status == "SUCCEEDED" })
	if c = get(); c.AttemptCount != 3 || c.Attempts[2].Number != 3 {
		t.Errorf("after retry: %+v, want attempt 3", c)
	}
	ds := rc.Deliveries()
	if ds[len(ds)-1].Header.Get("webhook-id") != ds[0].Header.Get("webhook-id") {
		t.Error("the manual retry changed the webhook-id")
	}
	if res := s.Do(t, `mutation($id: ID!) { retryWebhookCall(id: $id) { id } }`, map[string]any{"id": c.ID}); res.Code() != "BAD_USER_INPUT" {
		t.Errorf("retrying a SUCCEEDED call: %+v, want BAD_USER_INPUT", res.Errors)
	}

	// A waiting call is canceled when its webhook is deactivated.
	failing = true
	s.Upload(t, f.CreateFolder.ID, "b.txt", "text/plain", []byte("b"))
	var waiting call
	testenv.Eventually(t, 20*time.Second, "the new call RETRYING", func() bool {
		var out struct {
			WebhookCalls struct{ Edges []struct{ Node call } }
		}
		s.MustDo(t, `query($w: ID!) { webhookCalls(first: 1, where: {hasWebhookWith: [{id: $w}], kind: DELIVERY, fileName: "b.txt"}) { edges { node { id status attemptCount } } } }`,
			map[string]any{"w": wh.CreateWebhook.ID}, &out)
		if len(out.WebhookCalls.Edges) == 1 {
			waiting = out.WebhookCalls.Edges[0].Node
		}
		return waiting.Status == "RETRYING"
	})
	// Its retry is waiting for its due time.
	testenv.Eventually(t, 20*time.Second, "the retry task", func() bool {
		info, err := s.Queue().GetQueueInfo(s.Env["SCOOPA_QUEUE"])
		return err == nil && info.Scheduled == 1
	})
	before := len(rc.Deliveries())
	s.MustDo(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {active: false}) { id } }`, map[string]any{"id": wh.CreateWebhook.ID}, nil)
	var n struct {
		Node struct{ Status, Error string }
	}
	s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on WebhookCall { status error } } }`, map[string]any{"id": waiting.ID}, &n)
	if n.Node.Status != "CANCELED" || n.Node.Error != "webhook deactivated" {
		t.Errorf("after deactivation: %+v, want CANCELED", n.Node)
	}
	// Past the retry's due time, its task runs, and does nothing.
	clock.Advance(3 * time.Second)
	s.RunDue(t, 1)
	s.WaitIdle(t)
	if after := len(rc.Deliveries()); after != before {
		t.Errorf("%d deliveries after the cancel", after-before)
	}
}
