package worker_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// With a 3s interval, two worker processes revalidate every webhook about
// every 3 seconds, once per interval between them.
func TestPeriodicRevalidationOncePerInterval(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1", "SCOOPA_REVALIDATE_INTERVAL": "3s"})
	rc := testenv.NewReceiver(t)
	var wh struct{ CreateWebhook struct{ ID string } }
	s.MustDo(t, `mutation($u: String!) { createWebhook(input: {name: "v", url: $u}) { id } }`, map[string]any{"u": rc.URL}, &wh)
	env := map[string]string{}
	for k, v := range s.Env {
		env[k] = v
	}
	env["SCOOPA_REVALIDATE_INTERVAL"] = "3s"
	startWorker(t, env)
	startWorker(t, env)
	start := time.Now()
	time.Sleep(13 * time.Second)
	vs := rc.Validations()
	elapsed := time.Since(start)
	// One at creation, then one per interval: 4 in 13s, give or take the
	// scan period (1s) and start-up.
	periodic := len(vs) - 1
	if periodic < 2 || periodic > int(elapsed/(3*time.Second))+1 {
		t.Errorf("%d periodic validations in %s with a 3s interval and two workers, want about %d", periodic, elapsed.Round(time.Second), int(elapsed/(3*time.Second)))
	}
	for i := 2; i < len(vs); i++ {
		if gap := vs[i].At.Sub(vs[i-1].At); gap < 2*time.Second {
			t.Errorf("validations %d and %d only %s apart: validated twice in one interval", i-1, i, gap)
		}
	}
	// They are in the call log as VALIDATION calls with their attempt.
	var calls struct {
		WebhookCalls struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Kind, Status string
					Attempts     []struct{ ResponseStatus int }
				}
			}
		}
	}
	s.MustDo(t, `query($w: ID!) { webhookCalls(where: {hasWebhookWith: [{id: $w}], kind: VALIDATION}) { totalCount edges { node { kind status attempts { responseStatus } } } } }`,
		map[string]any{"w": wh.CreateWebhook.ID}, &calls)
	if calls.WebhookCalls.TotalCount < len(vs) {
		t.Errorf("%d validation calls logged, receiver saw %d", calls.WebhookCalls.TotalCount, len(vs))
	}
	for _, e := range calls.WebhookCalls.Edges {
		if e.Node.Status == "SUCCEEDED" && (len(e.Node.Attempts) != 1 || e.Node.Attempts[0].ResponseStatus != 200) {
			t.Errorf("validation call %+v, want one attempt answered 200", e.Node)
		}
	}
	// A periodic failure marks it INVALID but keeps it active.
	s.MustDo(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {active: true}) { id } }`, map[string]any{"id": wh.CreateWebhook.ID}, nil)
	rc.ValidateStatus = http.StatusServiceUnavailable
	var w struct {
		Node struct {
			ValidationStatus, LastValidationError string
			Active                                bool
		}
	}
	testenv.Eventually(t, 10*time.Second, "INVALID after a failed periodic validation", func() bool {
		s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Webhook { validationStatus lastValidationError active } } }`, map[string]any{"id": wh.CreateWebhook.ID}, &w)
		return w.Node.ValidationStatus == "INVALID"
	})
	if !w.Node.Active || w.Node.LastValidationError != "HTTP 503" {
		t.Errorf("after a failed periodic validation: %+v, want still active with HTTP 503", w.Node)
	}
}

// Manual retry, and cancellation when a webhook is deactivated.
func TestRetryAndCancel(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"SCOOPA_RETRY_DELAYS": "2s"})
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
	before := len(rc.Deliveries())
	s.MustDo(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {active: false}) { id } }`, map[string]any{"id": wh.CreateWebhook.ID}, nil)
	var n struct {
		Node struct{ Status, Error string }
	}
	s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on WebhookCall { status error } } }`, map[string]any{"id": waiting.ID}, &n)
	if n.Node.Status != "CANCELED" || n.Node.Error != "webhook deactivated" {
		t.Errorf("after deactivation: %+v, want CANCELED", n.Node)
	}
	time.Sleep(3 * time.Second) // past the retry's due time
	if after := len(rc.Deliveries()); after != before {
		t.Errorf("%d deliveries after the cancel", after-before)
	}
}
