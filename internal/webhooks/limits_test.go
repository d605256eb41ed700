package webhooks_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// limitsServer starts a server on kind with two workers where the backend
// has them apart (PostgreSQL: two worker processes' worth, in this process;
// embedded: the one worker inside the server).
func limitsServer(t *testing.T, kind testenv.Kind) *testenv.Server {
	t.Helper()
	if kind == testenv.Embedded {
		return testenv.StartServer(t, kind, nil)
	}
	s := testenv.StartServer(t, kind, map[string]string{"TEST_NO_WORKER": "1"})
	testenv.StartWorker(t, s, nil)
	testenv.StartWorker(t, s, nil)
	return s
}

// limitedHook creates a folder and an active webhook to rc with the given
// extra input, and returns the folder's ID and the webhook's.
func limitedHook(t *testing.T, s *testenv.Server, url string, extra map[string]any) (folderID, webhookID string) {
	t.Helper()
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "limits"}) { id } }`, nil, &f)
	in := map[string]any{"name": "limited", "url": url, "folderIDs": []string{f.CreateFolder.ID}, "active": true}
	for k, v := range extra {
		in[k] = v
	}
	var w struct{ CreateWebhook struct{ ID string } }
	s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": in}, &w)
	return f.CreateFolder.ID, w.CreateWebhook.ID
}

func uploadN(t *testing.T, s *testenv.Server, folderID string, n int) {
	t.Helper()
	for i := range n {
		if r := s.Upload(t, folderID, fmt.Sprintf("f-%03d.bin", i), "application/octet-stream", []byte("x")); len(r.Errors) > 0 {
			t.Fatalf("upload %d: %+v", i, r.Errors)
		}
	}
}

// sawWaitReason polls the call log until a call waits with the reason.
func sawWaitReason(t *testing.T, s *testenv.Server, want string) {
	t.Helper()
	testenv.Eventually(t, 60*time.Second, "a call waiting with reason "+want, func() bool {
		var r struct {
			WebhookCalls struct {
				Edges []struct {
					Node struct{ Status, WaitReason string }
				}
			}
		}
		s.MustDo(t, `{ webhookCalls(first: 100, where: {waitReasonNotNil: true}) { edges { node { status waitReason } } } }`, nil, &r)
		for _, e := range r.WebhookCalls.Edges {
			if e.Node.WaitReason == want && (e.Node.Status == "PENDING" || e.Node.Status == "RETRYING") {
				return true
			}
		}
		return false
	})
}

// At most maxConcurrent requests reach the receiver at once, across
// workers; the calls beyond wait (with the reason shown) and all arrive,
// each in one attempt.
func TestConcurrencyLimit(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := limitsServer(t, kind)
			rc := testenv.NewReceiver(t)
			var inFlight, peak atomic.Int32
			rc.SetScript(func(int, http.ResponseWriter) int {
				n := inFlight.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(150 * time.Millisecond)
				inFlight.Add(-1)
				return 200
			})
			folder, _ := limitedHook(t, s, rc.URL, map[string]any{"maxConcurrent": 2})
			const n = 16
			uploadN(t, s, folder, n)
			sawWaitReason(t, s, "concurrency limit: 2 requests at a time")
			waitAllSucceeded(t, s, n, 90*time.Second)
			if p := peak.Load(); p > 2 {
				t.Errorf("%d requests at once at the receiver, want at most 2", p)
			}
			if got := len(rc.Deliveries()); got != n {
				t.Errorf("%d deliveries, want %d (one attempt per call)", got, n)
			}
			assertOneAttemptEach(t, s)
		})
	}
}

// assertOneAttemptEach checks that waiting spent no attempt.
func assertOneAttemptEach(t *testing.T, s *testenv.Server) {
	t.Helper()
	var r struct {
		WebhookCalls struct {
			Edges []struct {
				Node struct {
					AttemptCount int
					WaitReason   *string
				}
			}
		}
	}
	s.MustDo(t, `{ webhookCalls(first: 100, where: {kind: DELIVERY}) { edges { node { attemptCount waitReason } } } }`, nil, &r)
	for _, e := range r.WebhookCalls.Edges {
		if e.Node.AttemptCount != 1 || e.Node.WaitReason != nil {
			t.Errorf("call with %d attempts and wait reason %v, want 1 attempt and the reason cleared", e.Node.AttemptCount, e.Node.WaitReason)
		}
	}
}

// The rate holds across workers: n requests at r per second cannot all
// arrive in less than (n-r)/r seconds (the first r may go at once). An
// unlimited webhook gets the same burst in a fraction of that.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := limitsServer(t, kind)
			rc := testenv.NewReceiver(t)
			const n, rate = 20, 5
			folder, _ := limitedHook(t, s, rc.URL, map[string]any{"maxRequestsPerSecond": rate})
			uploadN(t, s, folder, n)
			sawWaitReason(t, s, "rate limit: 5 requests/s")
			waitAllSucceeded(t, s, n, 90*time.Second)
			var at []time.Time
			for _, d := range rc.Deliveries() {
				at = append(at, d.At)
			}
			sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
			if len(at) != n {
				t.Fatalf("%d deliveries, want %d", len(at), n)
			}
			if span, least := at[n-1].Sub(at[0]), time.Duration(n-rate)*time.Second/rate; span < least {
				t.Errorf("%d requests arrived within %s; at %d/s they take at least %s", n, span, rate, least)
			}
			assertOneAttemptEach(t, s)
		})
	}
}

// callView is a call as the log shows it, with its attempts.
type callView struct {
	ID            string
	Status        string
	AttemptCount  int
	NextAttemptAt *time.Time
	Error         *string
	RetryDelays   []string
	Attempts      []struct {
		Number            int
		ResponseStatus    *int
		RetryAfterSeconds *int
		Error             *string
	}
}

func lastCall(t *testing.T, s *testenv.Server, webhookID string) callView {
	t.Helper()
	var r struct {
		Node struct{ LastCall *callView }
	}
	s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Webhook { lastCall(kind: DELIVERY) {
		id status attemptCount nextAttemptAt error retryDelays
		attempts { number responseStatus retryAfterSeconds error } } } } }`, map[string]any{"id": webhookID}, &r)
	if r.Node.LastCall == nil {
		return callView{}
	}
	return *r.Node.LastCall
}

func waitCall(t *testing.T, s *testenv.Server, webhookID string, what string, cond func(c callView) bool) callView {
	t.Helper()
	var c callView
	testenv.Eventually(t, 30*time.Second, what, func() bool {
		c = lastCall(t, s, webhookID)
		return cond(c)
	})
	return c
}

// A 429 or 503 with Retry-After is tried again after the time asked for,
// capped by the schedule's own delay; the time asked for is on the
// attempt, in seconds or from an HTTP date.
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			// On a whole second, so that an HTTP date is a whole number of
			// seconds away.
			clock := testenv.NewClock(time.Now().Truncate(time.Second))
			s := testenv.StartServerWith(t, kind, testenv.Options{Clock: clock})
			for _, tc := range []struct {
				name       string
				status     int
				header     string
				wantAsked  *int
				wantDelay  time.Duration
				scheduleIn []string
			}{
				{"429 seconds, sooner than the schedule", 429, "5", ptr(5), 5 * time.Second, []string{"1m"}},
				{"503 seconds, capped by the schedule", 503, "3600", ptr(3600), time.Minute, []string{"1m"}},
				{"429 HTTP date", 429, "date+30s", ptr(30), 30 * time.Second, []string{"1m"}},
				{"zero: at least a second", 429, "0", ptr(0), time.Second, []string{"1m"}},
				{"500 ignores Retry-After", 500, "5", nil, time.Minute, []string{"1m"}},
				{"unreadable", 429, "soon", nil, time.Minute, []string{"1m"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					rc := testenv.NewReceiver(t)
					rc.SetScript(func(n int, w http.ResponseWriter) int {
						if n == 1 {
							h := tc.header
							if h == "date+30s" { // an HTTP date, 30s ahead of the service's clock
								h = clock.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
							}
							w.Header().Set("Retry-After", h)
							return tc.status
						}
						return 200
					})
					folder, hook := limitedHook(t, s, rc.URL, map[string]any{"retryDelays": tc.scheduleIn})
					uploadN(t, s, folder, 1)
					c := waitCall(t, s, hook, "the first attempt", func(c callView) bool { return c.Status == "RETRYING" })
					if len(c.Attempts) != 1 {
						t.Fatalf("attempts %+v, want 1", c.Attempts)
					}
					if got := c.Attempts[0].RetryAfterSeconds; (got == nil) != (tc.wantAsked == nil) || (got != nil && *got != *tc.wantAsked) {
						t.Errorf("retryAfterSeconds = %v, want %v", deref(got), deref(tc.wantAsked))
					}
					if got := c.NextAttemptAt.Sub(clock.Now()); got != tc.wantDelay {
						t.Errorf("next attempt in %s, want %s", got, tc.wantDelay)
					}
					clock.Advance(tc.wantDelay)
					s.RunDue(t, 1)
					waitCall(t, s, hook, "the retry to succeed", func(c callView) bool { return c.Status == "SUCCEEDED" })
				})
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func deref(p *int) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

// A webhook's own timeout overrides SCOOPA_DELIVERY_TIMEOUT (2s in tests).
func TestWebhookTimeout(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, nil)
			rc := testenv.NewReceiver(t)
			rc.SetScript(func(int, http.ResponseWriter) int { time.Sleep(1500 * time.Millisecond); return 200 })
			folder, hook := limitedHook(t, s, rc.URL, map[string]any{"timeoutSeconds": 1, "retryDelays": []string{}})
			uploadN(t, s, folder, 1)
			c := waitCall(t, s, hook, "the call to end", func(c callView) bool { return c.Status == "FAILED" || c.Status == "SUCCEEDED" })
			if c.Status != "FAILED" || c.Error == nil || *c.Error != "timeout after 1s" {
				t.Errorf("call %s with error %v, want FAILED with \"timeout after 1s\"", c.Status, c.Error)
			}
		})
	}
}

// A webhook's own schedule is kept by each call when it is created: a later
// edit of the webhook changes new calls only.
func TestWebhookRetrySchedule(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			clock := testenv.NewClock(time.Now())
			s := testenv.StartServerWith(t, kind, testenv.Options{Clock: clock})
			rc := testenv.NewReceiver(t)
			rc.SetScript(func(int, http.ResponseWriter) int { return 500 })
			folder, hook := limitedHook(t, s, rc.URL, map[string]any{"retryDelays": []string{"5s", "120s"}})
			uploadN(t, s, folder, 1)
			c := waitCall(t, s, hook, "the first attempt", func(c callView) bool { return c.Status == "RETRYING" })
			if got := strings.Join(c.RetryDelays, ","); got != "5s,2m" {
				t.Errorf("call's schedule %q, want 5s,2m", got)
			}
			if got := c.NextAttemptAt.Sub(clock.Now()); got != 5*time.Second {
				t.Errorf("second attempt in %s, want 5s", got)
			}
			s.MustDo(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {retryDelays: ["1h"]}) { id } }`, map[string]any{"id": hook}, nil)
			clock.Advance(5 * time.Second)
			s.RunDue(t, 1)
			c = waitCall(t, s, hook, "the second attempt", func(c callView) bool { return c.AttemptCount == 2 && c.Status == "RETRYING" })
			if got := c.NextAttemptAt.Sub(clock.Now()); got != 2*time.Minute {
				t.Errorf("third attempt in %s, want 2m (the call keeps its schedule)", got)
			}
			clock.Advance(2 * time.Minute)
			s.RunDue(t, 1)
			c = waitCall(t, s, hook, "the call to fail", func(c callView) bool { return c.Status == "FAILED" })
			if c.AttemptCount != 3 {
				t.Errorf("%d attempts, want 3", c.AttemptCount)
			}
			// A new call takes the new schedule; one of a webhook without its
			// own takes the service's (SCOOPA_RETRY_DELAYS=1s,1s,1s in tests).
			uploadN(t, s, folder, 1)
			c = waitCall(t, s, hook, "the new call's first attempt", func(c callView) bool { return c.Status == "RETRYING" })
			if got := strings.Join(c.RetryDelays, ","); got != "1h" {
				t.Errorf("new call's schedule %q, want 1h", got)
			}
			s.MustDo(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {clearRetryDelays: true}) { retryDelays } }`, map[string]any{"id": hook}, nil)
			uploadN(t, s, folder, 1)
			c = waitCall(t, s, hook, "the third call", func(c callView) bool { return c.Status == "RETRYING" && strings.Join(c.RetryDelays, ",") != "1h" })
			if got := strings.Join(c.RetryDelays, ","); got != "1s,1s,1s" {
				t.Errorf("default schedule %q, want 1s,1s,1s", got)
			}
		})
	}
}

// Bad limits are refused, each on its field, and nothing is written.
func TestLimitsValidation(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, nil)
			var w struct{ CreateWebhook struct{ ID string } }
			s.MustDo(t, `mutation { createWebhook(input: {name: "ok", url: "http://127.0.0.1:1/"}) { id } }`, nil, &w)
			many := make([]string, 11)
			for i := range many {
				many[i] = "1m"
			}
			for _, tc := range []struct {
				name      string
				input     map[string]any
				wantField string
				wantMsg   string
			}{
				{"rate zero", map[string]any{"maxRequestsPerSecond": 0}, "maxRequestsPerSecond", "between 1 and 10000"},
				{"rate too high", map[string]any{"maxRequestsPerSecond": 10001}, "maxRequestsPerSecond", "between 1 and 10000"},
				{"concurrency negative", map[string]any{"maxConcurrent": -1}, "maxConcurrent", "between 1 and 1000"},
				{"timeout too long", map[string]any{"timeoutSeconds": 31}, "timeoutSeconds", "between 1 and 30 seconds"},
				{"timeout zero", map[string]any{"timeoutSeconds": 0}, "timeoutSeconds", "between 1 and 30 seconds"},
				{"delay not a duration", map[string]any{"retryDelays": []string{"1m", "soon"}}, "retryDelays.1", "not a duration"},
				{"delay under a second", map[string]any{"retryDelays": []string{"500ms"}}, "retryDelays.0", "shorter than one second"},
				{"delay not whole seconds", map[string]any{"retryDelays": []string{"1.5s"}}, "retryDelays.0", "whole seconds"},
				{"negative delay", map[string]any{"retryDelays": []string{"-1m"}}, "retryDelays.0", "shorter than one second"},
				{"too many delays", map[string]any{"retryDelays": many}, "retryDelays", "at most 10"},
				{"schedule too long", map[string]any{"retryDelays": []string{"100h", "100h"}}, "retryDelays", "add up to 200h"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					in := map[string]any{"name": "bad", "url": "http://127.0.0.1:1/"}
					for k, v := range tc.input {
						in[k] = v
					}
					for _, op := range []struct{ query string }{
						{`mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`},
						{`mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { id } }`},
					} {
						vars := map[string]any{"in": in, "id": w.CreateWebhook.ID}
						if strings.Contains(op.query, "update") {
							vars["in"] = tc.input
						}
						r := s.Do(t, op.query, vars)
						if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.wantField || !strings.Contains(r.Errors[0].Message, tc.wantMsg) {
							t.Errorf("errors %+v, want BAD_USER_INPUT on field %q saying %q", r.Errors, tc.wantField, tc.wantMsg)
						}
					}
				})
			}
			var out struct {
				Webhooks struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							MaxRequestsPerSecond, MaxConcurrent, TimeoutSeconds *int
							RetryDelays                                         []string
						}
					}
				}
			}
			s.MustDo(t, `{ webhooks { totalCount edges { node { maxRequestsPerSecond maxConcurrent timeoutSeconds retryDelays } } } }`, nil, &out)
			if out.Webhooks.TotalCount != 1 {
				t.Errorf("%d webhooks, want the 1 created (refused inputs write nothing)", out.Webhooks.TotalCount)
			}
			if n := out.Webhooks.Edges[0].Node; n.MaxRequestsPerSecond != nil || n.MaxConcurrent != nil || n.TimeoutSeconds != nil || n.RetryDelays != nil {
				t.Errorf("refused updates changed the webhook: %+v", n)
			}
			// Good values are stored (a schedule in its short form), and
			// clear flags remove them.
			var u struct {
				UpdateWebhook struct {
					MaxRequestsPerSecond, MaxConcurrent, TimeoutSeconds *int
					RetryDelays                                         []string
				}
			}
			s.MustDo(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {maxRequestsPerSecond: 20, maxConcurrent: 4, timeoutSeconds: 30, retryDelays: ["90s", "3600s"]}) {
				maxRequestsPerSecond maxConcurrent timeoutSeconds retryDelays } }`, map[string]any{"id": w.CreateWebhook.ID}, &u)
			if got := fmt.Sprintf("%s %s %s %v", deref(u.UpdateWebhook.MaxRequestsPerSecond), deref(u.UpdateWebhook.MaxConcurrent), deref(u.UpdateWebhook.TimeoutSeconds), u.UpdateWebhook.RetryDelays); got != "20 4 30 [1m30s 1h]" {
				t.Errorf("stored %s, want 20 4 30 [1m30s 1h]", got)
			}
			s.MustDo(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {clearMaxRequestsPerSecond: true, clearMaxConcurrent: true, clearTimeoutSeconds: true, clearRetryDelays: true}) {
				maxRequestsPerSecond maxConcurrent timeoutSeconds retryDelays } }`, map[string]any{"id": w.CreateWebhook.ID}, &u)
			if n := u.UpdateWebhook; n.MaxRequestsPerSecond != nil || n.MaxConcurrent != nil || n.TimeoutSeconds != nil || n.RetryDelays != nil {
				t.Errorf("after clearing: %+v, want all unset", n)
			}
		})
	}
}
