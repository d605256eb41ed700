package graph_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/testenv"
)

type callOut struct {
	ID, Status   string
	AttemptCount int
	Test         bool
	Origin       *string
	Error        *string
	File         *struct{ ID string }
	Attempts     []struct {
		Number         int
		ResponseStatus *int
	}
}

const recoverCallFields = `id status attemptCount test origin error file { id } attempts { number responseStatus }`

// hookCalls returns a webhook's delivery calls, newest first.
func hookCalls(t *testing.T, s *testenv.Server, hook string) []callOut {
	t.Helper()
	var out struct {
		WebhookCalls struct{ Edges []struct{ Node callOut } }
	}
	s.MustDo(t, `query($w: ID!) { webhookCalls(first: 100, where: {hasWebhookWith: [{id: $w}], kind: DELIVERY}) { edges { node { `+recoverCallFields+` } } } }`,
		map[string]any{"w": hook}, &out)
	calls := make([]callOut, len(out.WebhookCalls.Edges))
	for i, e := range out.WebhookCalls.Edges {
		calls[i] = e.Node
	}
	return calls
}

// waitCalls waits until every call of hook is in a status of want (by call
// ID; calls not named may be in any status) and returns the calls by ID.
func waitCalls(t *testing.T, s *testenv.Server, hook string, want map[string]string) map[string]callOut {
	t.Helper()
	var byID map[string]callOut
	testenv.Eventually(t, 30*time.Second, fmt.Sprint("calls ", want), func() bool {
		byID = map[string]callOut{}
		for _, c := range hookCalls(t, s, hook) {
			byID[c.ID] = c
		}
		for id, st := range want {
			if byID[id].Status != st {
				return false
			}
		}
		return true
	})
	return byID
}

func uploadID(t *testing.T, s *testenv.Server, folder, name string) string {
	t.Helper()
	r := s.Upload(t, folder, name, "text/plain", []byte("content of "+name))
	if len(r.Errors) > 0 {
		t.Fatalf("upload %s: %+v", name, r.Errors)
	}
	var up struct{ UploadFile struct{ ID string } }
	_ = json.Unmarshal(r.Data, &up)
	return up.UploadFile.ID
}

// fileOfDelivery is the file_id of a delivery a receiver got.
func fileOfDelivery(t *testing.T, d testenv.Received) string {
	return fmt.Sprint(int64(d.JSON(t)["file_id"].(float64)))
}

// Recovery sends exactly the FAILED calls of the range again, as the same
// calls (same ID, same webhook-id at the receiver), their attempts kept,
// with a fresh retry schedule: a call that had used all its retries is
// retried again after failing once more.
func TestRecoverWebhookCalls(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			clock := testenv.NewClock(time.Now())
			s := testenv.StartServerWith(t, kind, testenv.Options{Clock: clock})
			testRecoverWebhookCalls(t, s, clock)
		})
	}
}

func testRecoverWebhookCalls(t *testing.T, s *testenv.Server, clock *testenv.Clock) {
	folder := createFolder(t, s, "F")
	var status atomic.Int64
	rc := testenv.NewReceiver(t)
	rc.SetScript(func(int, http.ResponseWriter) int { return int(status.Load()) })
	hook := createWebhook(t, s, map[string]any{"name": "partner", "url": rc.URL, "folderIDs": []string{folder}, "active": true})
	start := clock.Now()

	// gone: FAILED at its first attempt (410).
	status.Store(410)
	gone := uploadID(t, s, folder, "gone.txt")
	testenv.Eventually(t, 30*time.Second, "gone FAILED", func() bool {
		return len(hookCalls(t, s, hook.ID)) == 1 && hookCalls(t, s, hook.ID)[0].Status == "FAILED"
	})
	// spent: FAILED after every retry (4 attempts).
	status.Store(500)
	spent := uploadID(t, s, folder, "spent.txt")
	for i := range 3 {
		testenv.Eventually(t, 30*time.Second, "spent retrying", func() bool {
			c := hookCalls(t, s, hook.ID)[0]
			return c.Status == "RETRYING" && c.AttemptCount == i+1
		})
		clock.Advance(time.Second)
		s.RunDue(t, 1)
	}
	testenv.Eventually(t, 30*time.Second, "spent FAILED", func() bool { return hookCalls(t, s, hook.ID)[0].Status == "FAILED" })
	// ok: SUCCEEDED.
	status.Store(200)
	uploadID(t, s, folder, "ok.txt")
	testenv.Eventually(t, 30*time.Second, "ok SUCCEEDED", func() bool { return hookCalls(t, s, hook.ID)[0].Status == "SUCCEEDED" })
	// late: FAILED, but after the range.
	clock.Advance(2 * time.Hour)
	status.Store(410)
	uploadID(t, s, folder, "late.txt")
	testenv.Eventually(t, 30*time.Second, "late FAILED", func() bool { return hookCalls(t, s, hook.ID)[0].Status == "FAILED" })

	calls := waitCalls(t, s, hook.ID, nil)
	if len(calls) != 4 {
		t.Fatalf("%d calls, want 4", len(calls))
	}
	callOf := map[string]callOut{} // by file
	for _, c := range calls {
		callOf[c.File.ID] = c
	}
	before := map[string]int{} // deliveries per file before the recovery
	webhookID := map[string]string{}
	for _, d := range rc.Deliveries() {
		f := fileOfDelivery(t, d)
		before[f]++
		webhookID[f] = d.Header.Get("webhook-id")
	}
	vars := map[string]any{"w": hook.ID, "since": start.Add(-time.Minute).Format(time.RFC3339Nano), "until": start.Add(time.Hour).Format(time.RFC3339Nano)}
	var count struct{ RecoverableCallCount int }
	s.MustDo(t, `query($w: ID!, $since: Time!, $until: Time!) { recoverableCallCount(webhookID: $w, since: $since, until: $until) }`, vars, &count)
	if count.RecoverableCallCount != 2 {
		t.Errorf("recoverableCallCount = %d, want 2", count.RecoverableCallCount)
	}

	// Receivers still failing: the recovered calls are retried (a fresh
	// schedule), even spent, which had used every retry.
	status.Store(500)
	// Progress is visible live: each recovered call's move to PENDING is an event.
	events := subscribe(t, s, s.Token, fmt.Sprintf(`subscription { webhookCallUpdated(webhookID: %q, statuses: [PENDING]) { id status } }`, hook.ID))
	var rec struct{ RecoverWebhookCalls int }
	s.MustDo(t, `mutation($w: ID!, $since: Time!, $until: Time!) { recoverWebhookCalls(webhookID: $w, since: $since, until: $until) }`, vars, &rec)
	if rec.RecoverWebhookCalls != 2 {
		t.Fatalf("recoverWebhookCalls = %d, want 2", rec.RecoverWebhookCalls)
	}
	live := map[string]bool{}
	for len(live) < 2 {
		select {
		case e := <-events:
			var d struct{ WebhookCallUpdated struct{ ID, Status string } }
			_ = json.Unmarshal(e, &d)
			live[d.WebhookCallUpdated.ID] = true
		case <-time.After(20 * time.Second):
			t.Fatalf("live events of the recovery: %v, want calls %s and %s", live, callOf[gone].ID, callOf[spent].ID)
		}
	}
	if !live[callOf[gone].ID] || !live[callOf[spent].ID] {
		t.Errorf("live events of the recovery for calls %v, want %s and %s", live, callOf[gone].ID, callOf[spent].ID)
	}
	waitCalls(t, s, hook.ID, map[string]string{callOf[gone].ID: "RETRYING", callOf[spent].ID: "RETRYING"})
	status.Store(200)
	clock.Advance(time.Second)
	s.RunDue(t, 2)
	after := waitCalls(t, s, hook.ID, map[string]string{callOf[gone].ID: "SUCCEEDED", callOf[spent].ID: "SUCCEEDED"})
	if len(after) != 4 {
		t.Errorf("%d calls after the recovery, want the same 4", len(after))
	}
	for file, want := range map[string]int{gone: 3, spent: 6} {
		c := after[callOf[file].ID]
		if c.AttemptCount != want || len(c.Attempts) != want {
			t.Errorf("file %s: %d attempts (%d kept), want %d", file, c.AttemptCount, len(c.Attempts), want)
		}
		for i, a := range c.Attempts {
			if a.Number != i+1 {
				t.Errorf("file %s: attempt %d numbered %d", file, i+1, a.Number)
			}
		}
	}
	// Exactly the recovered calls reached the receiver again, with the
	// webhook-id they had.
	got := map[string]int{}
	for _, d := range rc.Deliveries() {
		f := fileOfDelivery(t, d)
		got[f]++
		if id := d.Header.Get("webhook-id"); id != webhookID[f] {
			t.Errorf("file %s: webhook-id %q, was %q", f, id, webhookID[f])
		}
	}
	for f, n := range before {
		want := n
		if f == gone || f == spent {
			want += 2
		}
		if got[f] != want {
			t.Errorf("file %s: %d deliveries, want %d", f, got[f], want)
		}
	}
	// Nothing left to recover.
	s.MustDo(t, `query($w: ID!, $since: Time!, $until: Time!) { recoverableCallCount(webhookID: $w, since: $since, until: $until) }`, vars, &count)
	if count.RecoverableCallCount != 0 {
		t.Errorf("recoverableCallCount after = %d, want 0", count.RecoverableCallCount)
	}
}

// Bad arguments are refused, naming the problem, and change nothing;
// VIEWER tokens may preview but not recover, redeliver or test.
func TestRecoverValidation(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		folder := createFolder(t, s, "F")
		active := createWebhook(t, s, map[string]any{"name": "a", "url": "http://127.0.0.1:1/", "active": true, "folderIDs": []string{folder}})
		inactive := createWebhook(t, s, map[string]any{"name": "i", "url": "http://127.0.0.1:1/"})
		file := uploadID(t, s, folder, "f.txt")
		now := time.Now()
		at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
		const recoverQ = `mutation($w: ID!, $since: Time!, $until: Time!, $st: [WebhookCallStatus!]) { recoverWebhookCalls(webhookID: $w, since: $since, until: $until, statuses: $st) }`
		const countQ = `query($w: ID!, $since: Time!, $until: Time!, $st: [WebhookCallStatus!]) { recoverableCallCount(webhookID: $w, since: $since, until: $until, statuses: $st) }`
		for _, tc := range []struct {
			name, hook, since, until string
			statuses                 []string
			code, field, msg         string
		}{
			{"succeeded not allowed", active.ID, at(-time.Hour), at(0), []string{"FAILED", "SUCCEEDED"}, "BAD_USER_INPUT", "statuses", "SUCCEEDED calls cannot be recovered: only FAILED and CANCELED"},
			{"pending not allowed", active.ID, at(-time.Hour), at(0), []string{"PENDING"}, "BAD_USER_INPUT", "statuses", "PENDING calls cannot be recovered"},
			{"until before since", active.ID, at(0), at(-time.Hour), nil, "BAD_USER_INPUT", "until", "must be after since"},
			{"empty range", active.ID, at(0), at(0), nil, "BAD_USER_INPUT", "until", "must be after since"},
			{"inactive webhook", inactive.ID, at(-time.Hour), at(0), nil, "BAD_USER_INPUT", "webhookID", "is inactive"},
			{"unknown webhook", "12884999999", at(-time.Hour), at(0), nil, "NOT_FOUND", "", "no webhook with ID 12884999999"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				vars := map[string]any{"w": tc.hook, "since": tc.since, "until": tc.until, "st": tc.statuses}
				for _, q := range []string{recoverQ, countQ} {
					r := s.Do(t, q, vars)
					if r.Code() != tc.code || !strings.Contains(r.Errors[0].Message, tc.msg) {
						t.Errorf("%s: %+v, want %s with %q", firstLine(q), r.Errors, tc.code, tc.msg)
					} else if f, _ := r.Errors[0].Extensions["field"].(string); tc.field != "" && f != tc.field {
						t.Errorf("%s: field %q, want %q", firstLine(q), f, tc.field)
					}
				}
			})
		}

		var tok struct{ CreateAPIToken struct{ Secret string } }
		s.MustDo(t, `mutation { createApiToken(input: {name: "reader", role: VIEWER}) { secret } }`, nil, &tok)
		viewer := tok.CreateAPIToken.Secret
		vars := map[string]any{"w": active.ID, "f": file, "since": at(-time.Hour), "until": at(time.Hour)}
		for _, q := range []string{
			`mutation($w: ID!, $since: Time!, $until: Time!) { recoverWebhookCalls(webhookID: $w, since: $since, until: $until) }`,
			`mutation($f: ID!) { redeliverFile(fileID: $f) { id } }`,
			`mutation($w: ID!, $f: ID!) { sendTestFile(webhookID: $w, fileID: $f) { id } }`,
		} {
			if r := s.DoAs(t, viewer, q, vars); r.Code() != "FORBIDDEN" {
				t.Errorf("%s as viewer: %+v, want FORBIDDEN", firstLine(q), r.Errors)
			}
		}
		if r := s.DoAs(t, viewer, `query($w: ID!, $since: Time!, $until: Time!) { recoverableCallCount(webhookID: $w, since: $since, until: $until) }`, vars); len(r.Errors) > 0 {
			t.Errorf("recoverableCallCount as viewer: %+v", r.Errors)
		}
		// Nothing was sent again: the file's one call, no test call.
		testenv.Eventually(t, 30*time.Second, "the file's call", func() bool { return len(hookCalls(t, s, active.ID)) == 1 })
		if calls := hookCalls(t, s, active.ID); len(calls) != 1 || calls[0].Test {
			t.Errorf("calls after refusals: %+v", calls)
		}
	})
}

// redeliverFile sends a file's calls again: by default to every webhook that
// had one, as the same calls; to a webhook without one if it applies to the
// file; never while a call is under way, nor to a webhook that is inactive
// or does not apply.
func TestRedeliverFile(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		folder, other := createFolder(t, s, "F"), createFolder(t, s, "Other")
		var status atomic.Int64
		status.Store(200)
		a, b, later := testenv.NewReceiver(t), testenv.NewReceiver(t), testenv.NewReceiver(t)
		a.SetScript(func(int, http.ResponseWriter) int { return int(status.Load()) })
		hookA := createWebhook(t, s, map[string]any{"name": "a", "url": a.URL, "folderIDs": []string{folder}, "active": true})
		hookB := createWebhook(t, s, map[string]any{"name": "b", "url": b.URL, "allFolders": true, "active": true})
		elsewhere := createWebhook(t, s, map[string]any{"name": "elsewhere", "url": b.URL, "folderIDs": []string{other}, "active": true})
		inactive := createWebhook(t, s, map[string]any{"name": "off", "url": b.URL, "folderIDs": []string{folder}})
		file := uploadID(t, s, folder, "clip.mov")
		first := map[string]callOut{}
		for _, h := range []webhookOut{hookA, hookB} {
			testenv.Eventually(t, 30*time.Second, h.Name+" SUCCEEDED", func() bool {
				c := hookCalls(t, s, h.ID)
				return len(c) == 1 && c[0].Status == "SUCCEEDED"
			})
			first[h.ID] = hookCalls(t, s, h.ID)[0]
		}
		// A webhook created after the file, applying to it.
		hookLater := createWebhook(t, s, map[string]any{"name": "later", "url": later.URL, "folderIDs": []string{folder}, "active": true})

		const q = `mutation($f: ID!, $w: [ID!]) { redeliverFile(fileID: $f, webhookIDs: $w) { id status test } }`
		var out struct{ RedeliverFile []struct{ ID, Status string } }
		s.MustDo(t, q, map[string]any{"f": file}, &out)
		if len(out.RedeliverFile) != 2 {
			t.Fatalf("redeliverFile = %+v, want the 2 calls", out.RedeliverFile)
		}
		for _, c := range out.RedeliverFile {
			if c.ID != first[hookA.ID].ID && c.ID != first[hookB.ID].ID {
				t.Errorf("call %s sent, want the file's calls %s and %s", c.ID, first[hookA.ID].ID, first[hookB.ID].ID)
			}
		}
		for _, h := range []webhookOut{hookA, hookB} {
			got := waitCalls(t, s, h.ID, map[string]string{first[h.ID].ID: "SUCCEEDED"})
			testenv.Eventually(t, 30*time.Second, h.Name+" 2 attempts", func() bool {
				got = waitCalls(t, s, h.ID, nil)
				return got[first[h.ID].ID].AttemptCount == 2 && got[first[h.ID].ID].Status == "SUCCEEDED"
			})
			if len(got) != 1 {
				t.Errorf("%s: %d calls, want its one", h.Name, len(got))
			}
		}
		for name, rc := range map[string]*testenv.Receiver{"a": a, "b": b} {
			ds := rc.Deliveries()
			if len(ds) != 2 || ds[0].Header.Get("webhook-id") != ds[1].Header.Get("webhook-id") {
				t.Errorf("%s: %d deliveries, want 2 with one webhook-id", name, len(ds))
			}
		}

		// Refused: nothing sent.
		for _, tc := range []struct {
			name  string
			hooks []string
			code  string
			msg   string
		}{
			{"does not apply", []string{elsewhere.ID}, "BAD_USER_INPUT", "does not apply to it"},
			{"inactive", []string{inactive.ID}, "BAD_USER_INPUT", "is inactive"},
			{"unknown webhook", []string{hookA.ID, "12884999999"}, "NOT_FOUND", "no webhook with ID 12884999999"},
			{"one bad among good", []string{hookA.ID, elsewhere.ID}, "BAD_USER_INPUT", "does not apply"},
		} {
			if r := s.Do(t, q, map[string]any{"f": file, "w": tc.hooks}); r.Code() != tc.code || !strings.Contains(r.Errors[0].Message, tc.msg) {
				t.Errorf("%s: %+v, want %s with %q", tc.name, r.Errors, tc.code, tc.msg)
			}
		}
		if r := s.Do(t, q, map[string]any{"f": "4294999999"}); r.Code() != "NOT_FOUND" {
			t.Errorf("unknown file: %+v, want NOT_FOUND", r.Errors)
		}
		if n := len(a.Deliveries()); n != 2 {
			t.Errorf("a got %d deliveries after refusals, want 2", n)
		}

		// A webhook without a call for the file, applying to it: a new call.
		s.MustDo(t, q, map[string]any{"f": file, "w": []string{hookLater.ID}}, &out)
		if len(out.RedeliverFile) != 1 {
			t.Fatalf("redeliverFile to a new webhook = %+v", out.RedeliverFile)
		}
		testenv.Eventually(t, 30*time.Second, "later's delivery", func() bool { return len(later.Deliveries()) == 1 })
		if c := waitCalls(t, s, hookLater.ID, map[string]string{out.RedeliverFile[0].ID: "SUCCEEDED"})[out.RedeliverFile[0].ID]; c.Origin == nil || *c.Origin != "FOLDER" || c.Test {
			t.Errorf("later's call: %+v", c)
		}
		if f := fileOfDelivery(t, later.Deliveries()[0]); f != file {
			t.Errorf("later got file %s, want %s", f, file)
		}

		// A call under way is not sent again: the error names it.
		status.Store(500)
		s.MustDo(t, q, map[string]any{"f": file, "w": []string{hookA.ID}}, &out)
		waitCalls(t, s, hookA.ID, map[string]string{first[hookA.ID].ID: "RETRYING"})
		r := s.Do(t, q, map[string]any{"f": file, "w": []string{hookA.ID}})
		if r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "call "+first[hookA.ID].ID) || !strings.Contains(r.Errors[0].Message, "still RETRYING") {
			t.Errorf("while RETRYING: %+v, want BAD_USER_INPUT naming call %s", r.Errors, first[hookA.ID].ID)
		}
	})
}

// sendTestFile delivers a file for real (payload, link, signature) to one
// webhook, inactive and not assigned to the file's folder, as a call marked
// test, attempted once and never retried.
func TestSendTestFile(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		folder := createFolder(t, s, "Inbox")
		content := []byte("a real file")
		r := s.Upload(t, folder, "real.mov", "video/quicktime", content)
		var up struct{ UploadFile struct{ ID string } }
		_ = json.Unmarshal(r.Data, &up)
		file := up.UploadFile.ID
		var status atomic.Int64
		status.Store(200)
		rc := testenv.NewReceiver(t)
		rc.SetScript(func(int, http.ResponseWriter) int { return int(status.Load()) })
		hook := createWebhook(t, s, map[string]any{"name": "integrator", "url": rc.URL, "filter": ".pdf"})

		const q = `mutation($w: ID!, $f: ID!) { sendTestFile(webhookID: $w, fileID: $f) { id status test kind } }`
		events := subscribe(t, s, s.Token, fmt.Sprintf(`subscription { webhookCallUpdated(webhookID: %q) { id status test } }`, hook.ID))
		var out struct {
			SendTestFile struct {
				ID, Status, Kind string
				Test             bool
			}
		}
		s.MustDo(t, q, map[string]any{"w": hook.ID, "f": file}, &out)
		if c := out.SendTestFile; !c.Test || c.Kind != "DELIVERY" || c.Status != "PENDING" {
			t.Errorf("sendTestFile = %+v, want a PENDING DELIVERY test call", c)
		}
		// The console follows the call live.
		if got := statuses(t, events, 20*time.Second); strings.Join(got, ",") != "PENDING,RUNNING,SUCCEEDED" {
			t.Errorf("live statuses of the test call %v, want PENDING, RUNNING, SUCCEEDED", got)
		}
		testenv.Eventually(t, 30*time.Second, "the test delivery", func() bool { return len(rc.Deliveries()) == 1 })
		d := rc.Deliveries()[0]
		body := d.JSON(t)
		if len(body) != 9 || body["origin"] != "scoopa" || body["file_name"] != "real.mov" || body["file_type"] != "video/quicktime" ||
			body["folder_name"] != "Inbox" || body["file_size_in_bytes"] != float64(len(content)) || fileOfDelivery(t, d) != file {
			t.Errorf("test payload = %s", d.Body)
		}
		if err := sender.Verify(*hook.SigningSecret, d.Header.Get("webhook-id"), d.Header.Get("webhook-timestamp"), d.Header.Get("webhook-signature"), d.Body, time.Now(), time.Minute); err != nil {
			t.Errorf("signature: %v", err)
		}
		if h := d.Header.Get("scoopa-test"); h != "true" {
			t.Errorf("scoopa-test header %q, want true", h)
		}
		resp, err := http.Get(body["download_url"].(string))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("download_url: %d", resp.StatusCode)
		}
		c := waitCalls(t, s, hook.ID, map[string]string{out.SendTestFile.ID: "SUCCEEDED"})[out.SendTestFile.ID]
		if !c.Test || c.Origin != nil {
			t.Errorf("test call = %+v, want test and no origin (the webhook is not on the file's folder)", c)
		}

		// A failure is final at once: no retry.
		status.Store(500)
		s.MustDo(t, q, map[string]any{"w": hook.ID, "f": file}, &out)
		c = waitCalls(t, s, hook.ID, map[string]string{out.SendTestFile.ID: "FAILED"})[out.SendTestFile.ID]
		if c.AttemptCount != 1 || c.Error == nil || *c.Error != "HTTP 500" {
			t.Errorf("failed test call = %+v, want FAILED after 1 attempt with HTTP 500", c)
		}
		// The log filters on test.
		var tests struct{ WebhookCalls struct{ TotalCount int } }
		s.MustDo(t, `{ webhookCalls(where: {test: true}) { totalCount } }`, nil, &tests)
		if tests.WebhookCalls.TotalCount != 2 {
			t.Errorf("test calls = %d, want 2", tests.WebhookCalls.TotalCount)
		}
		s.MustDo(t, `{ webhookCalls(where: {test: false, kind: DELIVERY}) { totalCount } }`, nil, &tests)
		if tests.WebhookCalls.TotalCount != 0 {
			t.Errorf("calls not tests = %d, want 0 (the webhook matched no upload)", tests.WebhookCalls.TotalCount)
		}
		// Unknown IDs.
		for _, vars := range []map[string]any{{"w": "12884999999", "f": file}, {"w": hook.ID, "f": "4294999999"}} {
			if r := s.Do(t, q, vars); r.Code() != "NOT_FOUND" {
				t.Errorf("%v: %+v, want NOT_FOUND", vars, r.Errors)
			}
		}
	})
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i > 0 {
		return s[:i]
	}
	return s
}
