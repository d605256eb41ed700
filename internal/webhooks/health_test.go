package webhooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/testenv"
)

// The operator webhook has two secrets, as while one replaces the other:
// every event verifies with each.
const (
	operatorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	operatorSecretOld = "whsec_rRjv7qIo9Tdz4JcSmM3DCFSU2GLYFkzP"
)

// healthEnv is a server whose webhooks are deactivated after 72h of
// failures (unless disableAfter says otherwise), retried once after 1s,
// with an operator webhook.
type healthEnv struct {
	s     *testenv.Server
	clock *testenv.Clock
	rc    *testenv.Receiver // the webhook's receiver
	op    *testenv.Receiver // the operator webhook
	hook  string
	dir   string
}

func startHealth(t *testing.T, kind testenv.Kind, disableAfter string) *healthEnv {
	t.Helper()
	env := map[string]string{}
	if disableAfter != "" {
		env["SCOOPA_DISABLE_AFTER"] = disableAfter
	}
	return startHealthWith(t, kind, env)
}

// startHealthWith is startHealth with more settings in env.
func startHealthWith(t *testing.T, kind testenv.Kind, env map[string]string) *healthEnv {
	t.Helper()
	h := &healthEnv{clock: testenv.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), rc: testenv.NewReceiver(t), op: testenv.NewReceiver(t)}
	env["SCOOPA_RETRY_DELAYS"] = "1s"
	env["SCOOPA_OPERATOR_WEBHOOK_URL"] = h.op.URL + "/ops"
	env["SCOOPA_OPERATOR_WEBHOOK_SECRET"] = operatorSecret + ", " + operatorSecretOld
	h.s = testenv.StartServerWith(t, kind, testenv.Options{Clock: h.clock, Env: env})
	var f struct{ CreateFolder struct{ ID string } }
	h.s.MustDo(t, `mutation { createFolder(input: {name: "health"}) { id } }`, nil, &f)
	h.dir = f.CreateFolder.ID
	var w struct {
		CreateWebhook struct{ ID, ValidationStatus string }
	}
	h.s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id validationStatus } }`, map[string]any{"in": map[string]any{
		"name": "partner", "url": h.rc.URL + "/hook?token=s3cr3t-value", "folderIDs": []string{h.dir}, "active": true}}, &w)
	if w.CreateWebhook.ValidationStatus != "VALID" {
		t.Fatalf("webhook %+v, want VALID", w.CreateWebhook)
	}
	h.hook = w.CreateWebhook.ID
	return h
}

// answer makes the webhook's receiver answer every delivery with status.
func (h *healthEnv) answer(status int) {
	h.rc.SetScript(func(int, http.ResponseWriter) int { return status })
}

type callState struct {
	ID, Status   string
	AttemptCount int
	Error        *string
}

// deliver uploads a file and waits until its call ended.
func (h *healthEnv) deliver(t *testing.T, name string) callState {
	t.Helper()
	if r := h.s.Upload(t, h.dir, name, "application/octet-stream", []byte("x")); len(r.Errors) > 0 {
		t.Fatalf("upload %s: %+v", name, r.Errors)
	}
	var c callState
	testenv.Eventually(t, 30*time.Second, "the call of "+name+" to end", func() bool {
		var r struct {
			WebhookCalls struct{ Edges []struct{ Node callState } }
		}
		h.s.MustDo(t, `query($n: String!) { webhookCalls(where: {kind: DELIVERY, fileNameContains: $n}) { edges { node { id status attemptCount error } } } }`,
			map[string]any{"n": name}, &r)
		if len(r.WebhookCalls.Edges) != 1 {
			return false
		}
		c = r.WebhookCalls.Edges[0].Node
		return c.Status == "FAILED" || c.Status == "SUCCEEDED" || c.Status == "CANCELED"
	})
	// Whatever the end of the call raises is enqueued before the task ends.
	h.s.WaitIdle(t)
	return c
}

type hookState struct {
	Active         bool
	DisabledReason *string
	DisabledAt     *time.Time
}

func (h *healthEnv) state(t *testing.T) hookState {
	t.Helper()
	var r struct{ Node hookState }
	h.s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Webhook { active disabledReason disabledAt } } }`, map[string]any{"id": h.hook}, &r)
	return r.Node
}

func (h *healthEnv) wantActive(t *testing.T, when string) {
	t.Helper()
	if st := h.state(t); !st.Active || st.DisabledReason != nil || st.DisabledAt != nil {
		t.Fatalf("%s: webhook %+v, want active without a reason", when, st)
	}
}

// wantDisabled checks that the webhook was deactivated now with a reason
// that contains each of want.
func (h *healthEnv) wantDisabled(t *testing.T, want ...string) {
	t.Helper()
	st := h.state(t)
	if st.Active || st.DisabledReason == nil || st.DisabledAt == nil {
		t.Fatalf("webhook %+v, want deactivated with a reason", st)
	}
	for _, w := range want {
		if !strings.Contains(*st.DisabledReason, w) {
			t.Errorf("disabledReason %q lacks %q", *st.DisabledReason, w)
		}
	}
	if !st.DisabledAt.Equal(h.clock.Now()) {
		t.Errorf("disabledAt %v, want %v", st.DisabledAt, h.clock.Now())
	}
}

// event is an operator event as received, its signature verified.
type event struct {
	ID   string
	Type string         `json:"type"`
	Time time.Time      `json:"timestamp"`
	Data map[string]any `json:"data"`
}

// events returns the operator events received so far, checking that each
// one verifies with the operator secret.
func (h *healthEnv) events(t *testing.T) []event {
	t.Helper()
	var out []event
	for _, r := range h.op.Deliveries() {
		id := r.Header.Get("webhook-id")
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("operator event %s: Content-Type %q", id, ct)
		}
		var e event
		if err := json.Unmarshal(r.Body, &e); err != nil {
			t.Fatalf("operator event %s: %q: %v", id, r.Body, err)
		}
		// The test's clock moved on since: the signature is checked at the
		// time of the event, which is when it was sent here.
		for _, secret := range []string{operatorSecret, operatorSecretOld} {
			if err := sender.Verify(secret, id, r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature"), r.Body, e.Time, 5*time.Minute); err != nil {
				t.Errorf("operator event %s %s: %v", id, r.Body, err)
			}
		}
		if err := sender.Verify(sender.NewSigningSecret(), id, r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature"), r.Body, e.Time, 5*time.Minute); err == nil {
			t.Errorf("operator event %s verifies with any secret", id)
		}
		e.ID = id
		out = append(out, e)
	}
	return out
}

// waitEvents waits until n operator events arrived, and returns them.
func (h *healthEnv) waitEvents(t *testing.T, n int) []event {
	t.Helper()
	testenv.Eventually(t, 30*time.Second, fmt.Sprint(n, " operator events"), func() bool { return len(h.op.Deliveries()) >= n })
	h.s.WaitIdle(t)
	ev := h.events(t)
	if len(ev) != n {
		t.Fatalf("%d operator events, want %d: %+v", len(ev), n, ev)
	}
	return ev
}

func (h *healthEnv) reactivate(t *testing.T) {
	t.Helper()
	var r struct{ UpdateWebhook hookState }
	h.s.MustDo(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {active: true}) { active disabledReason disabledAt } }`, map[string]any{"id": h.hook}, &r)
	if st := r.UpdateWebhook; !st.Active || st.DisabledReason != nil || st.DisabledAt != nil {
		t.Fatalf("reactivated webhook %+v, want active without a reason", st)
	}
	h.wantActive(t, "after reactivation")
}

func (h *healthEnv) metric(t *testing.T, name string) string {
	t.Helper()
	resp, err := http.Get(h.s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return ""
}

// A webhook whose calls all fail is deactivated once the first failure is
// SCOOPA_DISABLE_AFTER old and another call fails, not before; with the
// reason kept until it is activated again. The operator webhook hears of
// every failed call and of the deactivation.
func TestDisableAfterFailingWindow(t *testing.T) {
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			h := startHealth(t, kind, "72h")
			h.answer(500)
			t0 := h.clock.Now()
			if c := h.deliver(t, "a.bin"); c.Status != "FAILED" || c.AttemptCount != 2 {
				t.Fatalf("call a %+v, want FAILED after 2 attempts", c)
			}
			h.wantActive(t, "after the first failure")
			h.clock.Advance(71*time.Hour + 59*time.Minute)
			h.deliver(t, "b.bin")
			h.wantActive(t, "a minute before the window is over")
			h.clock.Advance(time.Minute)
			c := h.deliver(t, "c.bin")
			h.wantDisabled(t, "every delivery call failed since "+t0.Format(time.RFC3339), "72h", "HTTP 500")
			if got := h.metric(t, "scoopa_webhooks_disabled"); got != "1" {
				t.Errorf("scoopa_webhooks_disabled %q, want 1", got)
			}
			if r := h.s.Upload(t, h.dir, "d.bin", "application/octet-stream", []byte("x")); len(r.Errors) > 0 {
				t.Fatal(r.Errors)
			}
			if n := callCounts(t, h.s); n["PENDING"]+n["RUNNING"]+n["RETRYING"] != 0 || n["FAILED"] != 3 {
				t.Errorf("calls %v after deactivation, want only the 3 FAILED ones", n)
			}

			ev := h.waitEvents(t, 4)
			// The two events of the last call may come in either order.
			if ev[2].Type == "webhook.disabled" {
				ev[2], ev[3] = ev[3], ev[2]
			}
			for i, e := range ev[:3] {
				if e.Type != "call.failed" || e.Data["webhook_name"] != "partner" || e.Data["attempts"] != 2.0 ||
					e.Data["response_status"] != 500.0 || e.Data["error"] != "HTTP 500" {
					t.Errorf("event %d: %+v, want call.failed of partner after 2 attempts", i, e)
				}
				if u, _ := e.Data["target_url"].(string); strings.Contains(u, "s3cr3t") || !strings.Contains(u, "/hook?token=") {
					t.Errorf("event %d: target_url %q, want the URL with its query value masked", i, u)
				}
			}
			if ev[2].Data["file_name"] != "c.bin" || ev[2].Data["call_id"] != mustFloat(t, c.ID) || !ev[2].Time.Equal(h.clock.Now()) {
				t.Errorf("last call.failed %+v, want the call of c.bin (%s) at %v", ev[2], c.ID, h.clock.Now())
			}
			d := ev[3]
			if d.Type != "webhook.disabled" || d.Data["webhook_id"] != mustFloat(t, h.hook) || d.Data["cause"] != "failing" ||
				d.Data["failing_since"] != t0.Format(time.RFC3339) || d.Data["disabled_at"] != h.clock.Now().Format(time.RFC3339) ||
				!strings.HasPrefix(d.Data["reason"].(string), "every delivery call failed since") {
				t.Errorf("event %+v, want webhook.disabled of the webhook, cause failing, since %v", d, t0)
			}
			seen := map[string]bool{}
			for _, e := range ev {
				if seen[e.ID] || !strings.HasPrefix(e.ID, "op_") {
					t.Errorf("event id %q repeated or unexpected", e.ID)
				}
				seen[e.ID] = true
			}

			h.reactivate(t)
			if got := h.metric(t, "scoopa_webhooks_disabled"); got != "0" {
				t.Errorf("scoopa_webhooks_disabled %q after reactivation, want 0", got)
			}
			// Reactivated but still failing: the failures before still
			// count (no call succeeded since), so the next failure
			// deactivates it again. A success ends the streak.
			h.clock.Advance(time.Hour)
			h.deliver(t, "e.bin")
			h.wantDisabled(t, "every delivery call failed since "+t0.Format(time.RFC3339))
			h.reactivate(t)
			h.answer(200)
			if c := h.deliver(t, "f.bin"); c.Status != "SUCCEEDED" {
				t.Fatalf("call f %+v, want SUCCEEDED", c)
			}
			h.answer(500)
			h.clock.Advance(time.Hour)
			h.deliver(t, "g.bin")
			h.wantActive(t, "after a success and a failure")
		})
	}
}

// A success between failures starts the window again.
func TestDisableAfterSuccessResets(t *testing.T) {
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			h := startHealth(t, kind, "72h")
			h.answer(503)
			h.deliver(t, "a.bin")
			h.clock.Advance(time.Hour)
			h.answer(200)
			if c := h.deliver(t, "b.bin"); c.Status != "SUCCEEDED" {
				t.Fatalf("call b %+v, want SUCCEEDED", c)
			}
			h.clock.Advance(time.Hour)
			h.answer(503)
			since := h.clock.Now()
			h.deliver(t, "c.bin")
			h.clock.Advance(71 * time.Hour) // 73h after the first failure, 71h after the last success
			h.deliver(t, "d.bin")
			h.wantActive(t, "72h after the first failure but not after the success")
			h.clock.Advance(time.Hour)
			h.deliver(t, "e.bin")
			h.wantDisabled(t, "every delivery call failed since "+since.Format(time.RFC3339), "HTTP 503")
		})
	}
}

// A 410 Gone fails the call at once; with SCOOPA_DISABLE_AFTER set it also
// deactivates the webhook at once, otherwise not.
func TestGone(t *testing.T) {
	for _, kind := range testenv.Kinds {
		t.Run(string(kind)+"/on", func(t *testing.T) {
			t.Parallel()
			h := startHealth(t, kind, "72h")
			// The operator webhook fails once: that event comes again, with
			// the same webhook-id.
			h.op.SetScript(func(n int, _ http.ResponseWriter) int {
				if n == 1 {
					return 500
				}
				return 204
			})
			h.answer(410)
			if c := h.deliver(t, "a.bin"); c.Status != "FAILED" || c.AttemptCount != 1 || c.Error == nil || !strings.Contains(*c.Error, "gone") {
				t.Fatalf("call %+v, want FAILED after one attempt, gone", c)
			}
			h.wantDisabled(t, "receiver answered 410 Gone at "+h.clock.Now().Format(time.RFC3339))
			if !strings.Contains(h.s.Logs(), "webhook deactivated") {
				t.Error("no log line says the webhook was deactivated")
			}
			// Two events, the one that came first (either) twice.
			ev := h.waitEvents(t, 3)
			if kind == testenv.Embedded { // the worker runs in the server: its counters are on the server's /metrics
				for name, want := range map[string]string{
					`scoopa_webhooks_disabled_total{cause="gone"}`:                              "1",
					`scoopa_operator_events_total{outcome="delivered",type="webhook.disabled"}`: "1",
					`scoopa_operator_events_total{outcome="delivered",type="call.failed"}`:      "1",
				} {
					if got := h.metric(t, name); got != want {
						t.Errorf("%s = %q, want %s", name, got, want)
					}
				}
				if a, b := h.metric(t, `scoopa_operator_events_total{outcome="retrying",type="webhook.disabled"}`), h.metric(t, `scoopa_operator_events_total{outcome="retrying",type="call.failed"}`); a+b != "1" {
					t.Errorf("operator events retrying: %q and %q, want one of them 1", a, b)
				}
			}
			byID := map[string][]event{}
			for _, e := range ev {
				byID[e.ID] = append(byID[e.ID], e)
			}
			if len(byID) != 2 || len(byID[ev[0].ID]) != 2 || byID[ev[0].ID][1].Type != ev[0].Type {
				t.Errorf("events %+v, want two events, the first one sent again with its webhook-id", ev)
			}
			byType := map[string]event{}
			for _, es := range byID {
				byType[es[0].Type] = es[0]
			}
			if d := byType["webhook.disabled"]; d.Data["cause"] != "gone" || d.Data["failing_since"] != nil ||
				d.Data["reason"] != "receiver answered 410 Gone at "+h.clock.Now().Format(time.RFC3339) {
				t.Errorf("events %+v, want one webhook.disabled, cause gone", ev)
			}
			if f := byType["call.failed"]; f.Data["response_status"] != 410.0 || f.Data["attempts"] != 1.0 {
				t.Errorf("events %+v, want one call.failed after one attempt, 410", ev)
			}
			h.reactivate(t)
		})
		t.Run(string(kind)+"/off", func(t *testing.T) {
			t.Parallel()
			h := startHealth(t, kind, "")
			h.answer(410)
			if c := h.deliver(t, "a.bin"); c.Status != "FAILED" || c.AttemptCount != 1 {
				t.Fatalf("call %+v, want FAILED after one attempt", c)
			}
			h.clock.Advance(1000 * time.Hour)
			h.deliver(t, "b.bin")
			h.wantActive(t, "without SCOOPA_DISABLE_AFTER")
			if ev := h.waitEvents(t, 2); ev[0].Type != "call.failed" || ev[1].Type != "call.failed" {
				t.Errorf("events %+v, want two call.failed", ev)
			}
		})
	}
}

// A periodic validation that finds a valid webhook INVALID tells the
// operator webhook; the next one, still INVALID, does not.
func TestOperatorWebhookInvalid(t *testing.T) {
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			h := startHealth(t, kind, "")
			h.rc.ValidateStatus = 500
			ctx := context.Background()
			revalidate := func() {
				t.Helper()
				h.clock.Advance(25 * time.Hour)
				if n, err := h.s.Service().Validations().RevalidateDue(ctx, time.Minute); err != nil || n != 1 {
					t.Fatalf("RevalidateDue = %d, %v; want 1", n, err)
				}
				testenv.Eventually(t, 30*time.Second, "the validation", func() bool {
					var r struct {
						Node struct{ LastValidatedAt time.Time }
					}
					h.s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Webhook { lastValidatedAt } } }`, map[string]any{"id": h.hook}, &r)
					return r.Node.LastValidatedAt.Equal(h.clock.Now()) && len(h.rc.Validations()) >= 2
				})
				h.s.WaitIdle(t)
			}
			revalidate()
			ev := h.waitEvents(t, 1)
			e := ev[0]
			if e.Type != "webhook.invalid" || e.Data["webhook_id"] != mustFloat(t, h.hook) || e.Data["previous_status"] != "VALID" ||
				e.Data["error"] != "HTTP 500" || e.Data["active"] != true || e.Data["validated_at"] != h.clock.Now().Format(time.RFC3339) {
				t.Errorf("event %+v, want webhook.invalid of the webhook, VALID before, HTTP 500", e)
			}
			if u, _ := e.Data["url"].(string); strings.Contains(u, "s3cr3t") {
				t.Errorf("url %q shows the query value", u)
			}
			revalidate()
			if n := len(h.op.Deliveries()); n != 1 {
				t.Errorf("%d operator events after a second INVALID validation, want still 1", n)
			}
		})
	}
}

func mustFloat(t *testing.T, id string) float64 {
	t.Helper()
	var f float64
	if _, err := fmt.Sscan(id, &f); err != nil {
		t.Fatalf("ID %q: %v", id, err)
	}
	return f
}
