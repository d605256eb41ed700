package graph_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/testenv"
)

// Every API test runs on both backends: PostgreSQL + Redis with a separate
// worker, and the embedded SQLite + miniredis with the worker in-process.
func eachBackend(t *testing.T, overrides map[string]string, f func(t *testing.T, s *testenv.Server)) {
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			f(t, testenv.StartServer(t, kind, overrides))
		})
	}
}

type webhookOut struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	URL                 string `json:"url"`
	Active              bool   `json:"active"`
	AllFolders          bool   `json:"allFolders"`
	Filter              *string
	ValidationStatus    string  `json:"validationStatus"`
	LastValidationError *string `json:"lastValidationError"`
	LastValidatedAt     *string `json:"lastValidatedAt"`
	SigningSecret       *string `json:"signingSecret"`
	Headers             []struct{ Name, Value string }
	Folders             []struct{ ID, Name string }
}

const webhookFields = `id name url active allFolders filter validationStatus lastValidationError lastValidatedAt signingSecret headers { name value } folders { id name }`

func createFolder(t *testing.T, s *testenv.Server, name string) string {
	t.Helper()
	var out struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation($n: String!) { createFolder(input: {name: $n}) { id } }`, map[string]any{"n": name}, &out)
	return out.CreateFolder.ID
}

func createWebhook(t *testing.T, s *testenv.Server, input map[string]any) webhookOut {
	t.Helper()
	var out struct{ CreateWebhook webhookOut }
	s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { `+webhookFields+` } }`, map[string]any{"in": input}, &out)
	return out.CreateWebhook
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		for _, tc := range []struct {
			name, token string
			wantStatus  int
			wantCode    string
		}{
			{"no token", "", http.StatusUnauthorized, "UNAUTHENTICATED"},
			{"unknown token", "scp_" + strings.Repeat("A", 43), http.StatusUnauthorized, "UNAUTHENTICATED"},
			{"malformed token", "hello", http.StatusUnauthorized, "UNAUTHENTICATED"},
			{"admin token", s.Token, http.StatusOK, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.DoAs(t, tc.token, `mutation { createFolder(input: {name: "x"}) { id } }`, nil)
				if r.Status != tc.wantStatus || r.Code() != tc.wantCode {
					t.Errorf("status %d code %q, want %d %q (errors %+v)", r.Status, r.Code(), tc.wantStatus, tc.wantCode, r.Errors)
				}
			})
		}
		// Nothing was executed for the refused requests.
		var out struct{ Folders struct{ TotalCount int } }
		s.MustDo(t, `{ folders { totalCount } }`, nil, &out)
		if out.Folders.TotalCount != 1 {
			t.Errorf("folders = %d, want 1 (only the admin's)", out.Folders.TotalCount)
		}
	})
}

func TestCreateWebhookValidatesAndMasks(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		rc := testenv.NewReceiver(t)
		folder := createFolder(t, s, "Inbox")
		wh := createWebhook(t, s, map[string]any{
			"name": "Partner", "url": rc.URL + "/hook", "filter": ".mov", "folderIDs": []string{folder},
			"headers": []map[string]any{{"name": "X-Api-Key", "value": "very-secret-key-9876"}},
		})
		if wh.ValidationStatus != "VALID" || wh.LastValidatedAt == nil || wh.LastValidationError != nil {
			t.Errorf("validation = %s at %v err %v, want VALID with a time and no error", wh.ValidationStatus, wh.LastValidatedAt, wh.LastValidationError)
		}
		if wh.Active {
			t.Error("a new webhook is active; want inactive unless asked")
		}
		if len(wh.Headers) != 1 || wh.Headers[0].Value != "••••••••9876" {
			t.Errorf("headers = %+v, want the value masked to its last 4 characters", wh.Headers)
		}
		if wh.SigningSecret == nil || !strings.HasPrefix(*wh.SigningSecret, "whsec_") {
			t.Errorf("signingSecret = %v, want a whsec_ secret for admins", wh.SigningSecret)
		}
		if len(wh.Folders) != 1 || wh.Folders[0].ID != folder {
			t.Errorf("folders = %+v, want [%s]", wh.Folders, folder)
		}
		vs := rc.Validations()
		if len(vs) != 1 {
			t.Fatalf("receiver got %d validation calls, want 1", len(vs))
		}
		v := vs[0]
		if got := v.Header.Get("X-Api-Key"); got != "very-secret-key-9876" {
			t.Errorf("validation call X-Api-Key = %q, want the header's value", got)
		}
		var body map[string]any
		_ = json.Unmarshal(v.Body, &body)
		for k, want := range map[string]string{
			"origin": "scoopa - endpoint validation test", "platform": "test", "file_id": "12345",
			"file_name": "test.mov", "file_type": "video/quicktime", "file_size_in_bytes": "1048576",
			"folder_id": "67890", "folder_name": "test-folder",
		} {
			if body[k] != want {
				t.Errorf("validation body %s = %#v, want the string %q", k, body[k], want)
			}
		}
		if err := sender.Verify(*wh.SigningSecret, v.Header.Get("webhook-id"), v.Header.Get("webhook-timestamp"),
			v.Header.Get("webhook-signature"), v.Body, time.Now(), 5*time.Minute); err != nil {
			t.Errorf("validation call signature: %v", err)
		}
		// The sample behind the validation call's link downloads.
		resp, err := http.Get(body["download_url"].(string))
		if err != nil {
			t.Fatal(err)
		}
		sample, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(sample) != 1048576 {
			t.Errorf("sample download: %d, %d bytes; want 200 and 1048576 bytes", resp.StatusCode, len(sample))
		}

		// A receiver that fails makes it INVALID, with the reason.
		rc.ValidateStatus = 500
		var re struct{ RevalidateWebhook webhookOut }
		s.MustDo(t, `mutation($id: ID!) { revalidateWebhook(id: $id) { `+webhookFields+` } }`, map[string]any{"id": wh.ID}, &re)
		if re.RevalidateWebhook.ValidationStatus != "INVALID" || re.RevalidateWebhook.LastValidationError == nil ||
			*re.RevalidateWebhook.LastValidationError != "HTTP 500" {
			t.Errorf("after a 500: %s %v, want INVALID with HTTP 500", re.RevalidateWebhook.ValidationStatus, re.RevalidateWebhook.LastValidationError)
		}

		// Resending the headers without values keeps them; no new validation.
		before := len(rc.Validations())
		var up struct{ UpdateWebhook webhookOut }
		s.MustDo(t, `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { `+webhookFields+` } }`,
			map[string]any{"id": wh.ID, "in": map[string]any{"name": "Renamed", "headers": []map[string]any{{"name": "X-Api-Key"}}, "active": true}}, &up)
		if up.UpdateWebhook.Name != "Renamed" || !up.UpdateWebhook.Active || up.UpdateWebhook.Headers[0].Value != "••••••••9876" {
			t.Errorf("after update: %+v", up.UpdateWebhook)
		}
		if n := len(rc.Validations()); n != before {
			t.Errorf("unchanged url and headers validated again (%d calls, want %d)", n, before)
		}
		// A new URL is validated again.
		rc.ValidateStatus = 200
		s.MustDo(t, `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { `+webhookFields+` } }`,
			map[string]any{"id": wh.ID, "in": map[string]any{"url": rc.URL + "/other"}}, &up)
		if up.UpdateWebhook.ValidationStatus != "VALID" || len(rc.Validations()) != before+1 {
			t.Errorf("new url: %s after %d validations, want VALID after %d", up.UpdateWebhook.ValidationStatus, len(rc.Validations()), before+1)
		}
	})
}

func TestCreateWebhookAgainstDownReceiver(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		rc := testenv.NewReceiver(t)
		url := rc.URL
		rc.Close()
		wh := createWebhook(t, s, map[string]any{"name": "Down", "url": url})
		if wh.ValidationStatus != "INVALID" || wh.LastValidationError == nil || *wh.LastValidationError != "connection refused" {
			t.Errorf("got %s %v, want INVALID connection refused", wh.ValidationStatus, wh.LastValidationError)
		}
	})
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		good := func(change map[string]any) map[string]any {
			in := map[string]any{"name": "ok", "url": "http://127.0.0.1:1/"}
			for k, v := range change {
				in[k] = v
			}
			return in
		}
		hdr := func(name, value string) map[string]any {
			return map[string]any{"headers": []map[string]any{{"name": name, "value": value}}}
		}
		for _, tc := range []struct {
			name      string
			input     map[string]any
			wantField string
		}{
			{"empty name", good(map[string]any{"name": ""}), "name"},
			{"blank name", good(map[string]any{"name": "   "}), "name"},
			{"long name", good(map[string]any{"name": strings.Repeat("n", 256)}), "name"},
			{"relative url", good(map[string]any{"url": "/hook"}), "url"},
			{"ftp url", good(map[string]any{"url": "ftp://example.com/"}), "url"},
			{"url without host", good(map[string]any{"url": "http:///x"}), "url"},
			{"url with credentials", good(map[string]any{"url": "https://u:p@example.com/"}), "url"},
			{"url with CRLF", good(map[string]any{"url": "https://example.com/\r\nX: y"}), "url"},
			{"header name not a token", good(hdr("X Key", "v")), "headers.0.name"},
			{"header name with colon", good(hdr("X-Key:", "v")), "headers.0.name"},
			{"header value with CRLF", good(hdr("X-Key", "a\r\nInjected: 1")), "headers.0.value"},
			{"header value with NUL", good(hdr("X-Key", "a\x00b")), "headers.0.value"},
			{"reserved Host", good(hdr("host", "evil")), "headers.0.name"},
			{"reserved Content-Type", good(hdr("Content-Type", "text/plain")), "headers.0.name"},
			{"reserved webhook-signature", good(hdr("Webhook-Signature", "v1,x")), "headers.0.name"},
			{"reserved Transfer-Encoding", good(hdr("Transfer-Encoding", "chunked")), "headers.0.name"},
			{"unknown folder", good(map[string]any{"folderIDs": []string{"8589939999"}}), "folderIDs"},
			{"filter with newline", good(map[string]any{"filter": "a\nb"}), "filter"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.Do(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": tc.input})
				if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.wantField {
					t.Fatalf("errors %+v, want BAD_USER_INPUT on field %q", r.Errors, tc.wantField)
				}
				if !strings.HasPrefix(r.Errors[0].Message, tc.wantField+":") {
					t.Errorf("message %q does not name the field %q", r.Errors[0].Message, tc.wantField)
				}
			})
		}
		var out struct{ Webhooks struct{ TotalCount int } }
		s.MustDo(t, `{ webhooks { totalCount } }`, nil, &out)
		if out.Webhooks.TotalCount != 0 {
			t.Errorf("%d webhooks written by refused inputs, want 0", out.Webhooks.TotalCount)
		}
		for _, tc := range []struct{ name, query, want string }{
			{"update unknown webhook", `mutation { updateWebhook(id: "12884999999", input: {name: "x"}) { id } }`, "NOT_FOUND"},
			{"delete unknown webhook", `mutation { deleteWebhook(id: "12884999999") }`, "NOT_FOUND"},
			{"revalidate unknown webhook", `mutation { revalidateWebhook(id: "12884999999") { id } }`, "NOT_FOUND"},
			{"retry unknown call", `mutation { retryWebhookCall(id: "17179999999") { id } }`, "NOT_FOUND"},
			{"upload to unknown folder", `mutation { uploadFile(folderID: "8589999999", file: null) { id } }`, ""},
			{"page too large", `{ webhookCalls(first: 101) { totalCount } }`, "BAD_USER_INPUT"},
			{"node of unknown id", `{ node(id: "999") { id } }`, "NOT_FOUND"},
			{"id of the wrong type", `mutation { deleteWebhook(id: "abc") }`, "BAD_USER_INPUT"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.Do(t, tc.query, nil)
				if len(r.Errors) == 0 {
					t.Fatalf("no error, want %s", tc.want)
				}
				if tc.want != "" && r.Code() != tc.want {
					t.Errorf("code %q (%s), want %s", r.Code(), r.Errors[0].Message, tc.want)
				}
				if strings.Contains(r.Errors[0].Message, "sql") || strings.Contains(r.Errors[0].Message, "ent:") {
					t.Errorf("message %q leaks internals", r.Errors[0].Message)
				}
			})
		}
	})
}

func TestUploadDeliversToMatchingWebhooks(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		inbox, other := createFolder(t, s, "Inbox"), createFolder(t, s, "Other")
		type hook struct {
			name    string
			input   map[string]any
			want    bool
			origin  string
			rc      *testenv.Receiver
			secret  string
			webhook string
		}
		hooks := []*hook{
			{name: "assigned folder", input: map[string]any{"folderIDs": []string{inbox}, "active": true}, want: true, origin: "FOLDER"},
			{name: "all folders", input: map[string]any{"allFolders": true, "active": true}, want: true, origin: "PLATFORM"},
			{name: "filter contained, other case", input: map[string]any{"allFolders": true, "active": true, "filter": "PUSH"}, want: true, origin: "PLATFORM"},
			{name: "filter not contained", input: map[string]any{"allFolders": true, "active": true, "filter": "zzz"}},
			{name: "inactive", input: map[string]any{"folderIDs": []string{inbox}}},
			{name: "other folder", input: map[string]any{"folderIDs": []string{other}, "active": true}},
		}
		for _, h := range hooks {
			h.rc = testenv.NewReceiver(t)
			h.input["name"], h.input["url"] = h.name, h.rc.URL
			wh := createWebhook(t, s, h.input)
			h.secret, h.webhook = *wh.SigningSecret, wh.ID
		}
		content := []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")
		r := s.Upload(t, inbox, "server_push.svg", "image/svg+xml", content)
		if len(r.Errors) > 0 {
			t.Fatalf("upload: %+v", r.Errors)
		}
		var up struct {
			UploadFile struct {
				ID, Name, ContentType, Sha256, DownloadURL string
				SizeBytes                                  int
			}
		}
		_ = json.Unmarshal(r.Data, &up)
		sum := sha256.Sum256(content)
		if up.UploadFile.SizeBytes != len(content) || up.UploadFile.Sha256 != hex.EncodeToString(sum[:]) || up.UploadFile.ContentType != "image/svg+xml" {
			t.Errorf("uploaded file = %+v", up.UploadFile)
		}
		for _, h := range hooks {
			if h.want {
				testenv.Eventually(t, 20*time.Second, h.name+" delivery", func() bool { return len(h.rc.Deliveries()) > 0 })
			}
		}
		s.WaitIdle(t) // every delivery made, a wrong one too
		for _, h := range hooks {
			t.Run(h.name, func(t *testing.T) {
				ds := h.rc.Deliveries()
				if !h.want {
					if len(ds) != 0 {
						t.Fatalf("%d deliveries, want none", len(ds))
					}
					return
				}
				if len(ds) != 1 {
					t.Fatalf("%d deliveries, want 1", len(ds))
				}
				d := ds[0]
				body := d.JSON(t)
				fileID, _ := json.Number(up.UploadFile.ID).Int64()
				folderID, _ := json.Number(inbox).Int64()
				want := map[string]any{
					"origin": "scoopa", "platform": "test", "file_id": float64(fileID), "file_name": "server_push.svg",
					"file_type": "image/svg+xml", "file_size_in_bytes": float64(len(content)), "folder_id": float64(folderID),
					"folder_name": "Inbox",
				}
				for k, v := range want {
					if body[k] != v {
						t.Errorf("payload %s = %#v, want %#v", k, body[k], v)
					}
				}
				if len(body) != 9 {
					t.Errorf("payload has %d fields, want 9: %s", len(body), d.Body)
				}
				if ct := d.Header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
				if ua := d.Header.Get("User-Agent"); !strings.HasPrefix(ua, "scoopa-webhooks/") {
					t.Errorf("User-Agent %q", ua)
				}
				if err := sender.Verify(h.secret, d.Header.Get("webhook-id"), d.Header.Get("webhook-timestamp"), d.Header.Get("webhook-signature"), d.Body, time.Now(), time.Minute); err != nil {
					t.Errorf("signature: %v", err)
				}
				resp, err := http.Get(body["download_url"].(string))
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || string(got) != string(content) || resp.Header.Get("Content-Type") != "image/svg+xml" {
					t.Errorf("download: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), got)
				}
				// The call log shows the call with its snapshot.
				var calls struct {
					WebhookCalls struct {
						TotalCount int
						Edges      []struct {
							Node struct {
								Kind, Status, Origin, TargetURL, WebhookName, FileName, FolderName string
								AttemptCount                                                       int
								Filter                                                             *string
								Attempts                                                           []struct{ Number, ResponseStatus int }
							}
						}
					}
				}
				testenv.Eventually(t, 10*time.Second, "call SUCCEEDED", func() bool {
					s.MustDo(t, `query($w: ID!) { webhookCalls(where: {hasWebhookWith: [{id: $w}], kind: DELIVERY}) { totalCount edges { node {
						kind status origin targetURL webhookName fileName folderName attemptCount filter attempts { number responseStatus } } } } }`,
						map[string]any{"w": h.webhook}, &calls)
					return calls.WebhookCalls.TotalCount == 1 && calls.WebhookCalls.Edges[0].Node.Status == "SUCCEEDED"
				})
				n := calls.WebhookCalls.Edges[0].Node
				if n.Origin != h.origin || n.TargetURL != h.rc.URL || n.WebhookName != h.name || n.FileName != "server_push.svg" ||
					n.FolderName != "Inbox" || n.AttemptCount != 1 || len(n.Attempts) != 1 || n.Attempts[0].ResponseStatus != 200 {
					t.Errorf("call log entry = %+v", n)
				}
			})
		}
	})
}

// The retries follow the schedule (1s, 1s, 1s in tests) on the server's
// clock: the test moves it past each delay and runs the due retry at once.
func TestRetries(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			clock := testenv.NewClock(time.Now())
			testRetries(t, testenv.StartServerWith(t, kind, testenv.Options{Clock: clock}), clock)
		})
	}
}

func testRetries(t *testing.T, s *testenv.Server, clock *testenv.Clock) {
	folder := createFolder(t, s, "F")
	for _, tc := range []struct {
		name         string
		script       func(n int, w http.ResponseWriter) int
		wantStatus   string
		wantAttempts int
		wantError    string
	}{
		{"500 then 200", func(n int, _ http.ResponseWriter) int { return map[bool]int{true: 500, false: 200}[n == 1] }, "SUCCEEDED", 2, ""},
		{"always 500", func(int, http.ResponseWriter) int { return 500 }, "FAILED", 4, "HTTP 500"},
		{"410 gone is not retried", func(int, http.ResponseWriter) int { return 410 }, "FAILED", 1, "HTTP 410 (gone: not retried)"},
		{"redirect not followed", func(_ int, w http.ResponseWriter) int { w.Header().Set("Location", "/x"); return 302 }, "FAILED", 4, "redirect not followed (302)"},
		{"slow past the timeout", func(n int, _ http.ResponseWriter) int {
			if n == 1 {
				time.Sleep(2500 * time.Millisecond)
			}
			return 200
		}, "SUCCEEDED", 2, ""},
	} {
		// One after the other: each moves the server's clock.
		t.Run(tc.name, func(t *testing.T) {
			rc := testenv.NewReceiver(t)
			rc.SetScript(tc.script)
			wh := createWebhook(t, s, map[string]any{"name": tc.name, "url": rc.URL, "folderIDs": []string{folder}, "active": true, "filter": tc.name})
			if r := s.Upload(t, folder, tc.name+".txt", "text/plain", []byte("x")); len(r.Errors) > 0 {
				t.Fatal(r.Errors)
			}
			var calls struct {
				WebhookCalls struct {
					Edges []struct {
						Node struct {
							Status       string
							AttemptCount int
							Error        *string
							Attempts     []struct {
								Number int
								Error  *string
							}
						}
					}
				}
			}
			for attempts := 0; ; {
				testenv.Eventually(t, 30*time.Second, "the attempt to end", func() bool {
					s.MustDo(t, `query($w: ID!) { webhookCalls(where: {hasWebhookWith: [{id: $w}], kind: DELIVERY}) { edges { node { status attemptCount error attempts { number error } } } } }`,
						map[string]any{"w": wh.ID}, &calls)
					if len(calls.WebhookCalls.Edges) != 1 {
						return false
					}
					n := calls.WebhookCalls.Edges[0].Node
					return n.Status == "SUCCEEDED" || n.Status == "FAILED" || (n.Status == "RETRYING" && n.AttemptCount > attempts)
				})
				n := calls.WebhookCalls.Edges[0].Node
				if n.Status != "RETRYING" {
					break
				}
				if attempts = n.AttemptCount; attempts > 10 {
					t.Fatalf("still retrying after %d attempts", attempts)
				}
				clock.Advance(time.Second)
				s.RunDue(t, 1)
			}
			n := calls.WebhookCalls.Edges[0].Node
			if n.Status != tc.wantStatus || n.AttemptCount != tc.wantAttempts || len(n.Attempts) != tc.wantAttempts {
				t.Errorf("status %s after %d attempts (%d recorded), want %s after %d", n.Status, n.AttemptCount, len(n.Attempts), tc.wantStatus, tc.wantAttempts)
			}
			if tc.wantError != "" && (n.Error == nil || *n.Error != tc.wantError) {
				t.Errorf("error %v, want %q", n.Error, tc.wantError)
			}
			for i, a := range n.Attempts {
				if a.Number != i+1 {
					t.Errorf("attempt %d numbered %d", i+1, a.Number)
				}
			}
			// The same webhook-id on every attempt.
			ds := rc.Deliveries()
			for _, d := range ds {
				if d.Header.Get("webhook-id") != ds[0].Header.Get("webhook-id") {
					t.Errorf("webhook-id changed across attempts: %q vs %q", d.Header.Get("webhook-id"), ds[0].Header.Get("webhook-id"))
				}
			}
		})
	}
}

func TestViewerCannotChangeAnything(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		var tok struct {
			CreateAPIToken struct {
				Secret string
				Token  struct{ ID, Role, Prefix string }
			}
		}
		s.MustDo(t, `mutation { createApiToken(input: {name: "reader", role: VIEWER}) { secret token { id role prefix } } }`, nil, &tok)
		viewer := tok.CreateAPIToken.Secret
		if !strings.HasPrefix(viewer, auth.TokenPrefix) || !strings.HasPrefix(viewer, tok.CreateAPIToken.Token.Prefix) {
			t.Fatalf("token %q, prefix %q", viewer, tok.CreateAPIToken.Token.Prefix)
		}
		createWebhook(t, s, map[string]any{"name": "w", "url": "http://127.0.0.1:1/"})
		r := s.DoAs(t, viewer, `{ webhooks { edges { node { name signingSecret } } } viewer { role tokenName } }`, nil)
		if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"signingSecret":null`) || !strings.Contains(string(r.Data), `"role":"VIEWER"`) {
			t.Errorf("viewer read: %s %+v", r.Data, r.Errors)
		}
		for _, q := range []string{
			`mutation { createFolder(input: {name: "x"}) { id } }`,
			`mutation { createApiToken(input: {name: "x", role: ADMIN}) { secret } }`,
		} {
			if r := s.DoAs(t, viewer, q, nil); r.Code() != "FORBIDDEN" {
				t.Errorf("%s as viewer: %+v, want FORBIDDEN", q, r.Errors)
			}
		}
		if r := s.DoAs(t, viewer, `{ apiTokens { id } }`, nil); r.Code() != "FORBIDDEN" {
			t.Errorf("apiTokens as viewer: %+v, want FORBIDDEN", r.Errors)
		}
		// Revoked: refused everywhere.
		s.MustDo(t, `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`, map[string]any{"id": tok.CreateAPIToken.Token.ID}, nil)
		if r := s.DoAs(t, viewer, `{ viewer { role } }`, nil); r.Status != 401 || r.Code() != "UNAUTHENTICATED" {
			t.Errorf("revoked token: %d %+v, want 401 UNAUTHENTICATED", r.Status, r.Errors)
		}
	})
}

func TestDownloadLinks(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		folder := createFolder(t, s, "F")
		content := []byte("0123456789abcdef")
		r := s.Upload(t, folder, "doc.bin", "application/octet-stream", content)
		var up struct{ UploadFile struct{ DownloadURL string } }
		_ = json.Unmarshal(r.Data, &up)
		link := up.UploadFile.DownloadURL
		get := func(u string, hdr map[string]string) (int, string) {
			req, _ := http.NewRequest(http.MethodGet, strings.Replace(u, "http://localhost:8080", s.URL, 1), nil)
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		for _, tc := range []struct {
			name       string
			url        string
			hdr        map[string]string
			wantStatus int
			wantBody   string
		}{
			{"valid", link, nil, 200, string(content)},
			{"range", link, map[string]string{"Range": "bytes=2-5"}, 206, "2345"},
			{"tampered signature", strings.Replace(link, "signature=", "signature=x", 1), nil, 403, ""},
			{"tampered expiry", strings.Replace(link, "expires=", "expires=1", 1), nil, 403, ""},
			{"other file", strings.Replace(link, "/files/", "/files/1", 1), nil, 403, ""},
			{"no signature", strings.Split(link, "?")[0], nil, 403, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st, body := get(tc.url, tc.hdr)
				if st != tc.wantStatus || (tc.wantBody != "" && body != tc.wantBody) || (st == 403 && strings.Contains(body, string(content))) {
					t.Errorf("%d %q, want %d %q", st, body, tc.wantStatus, tc.wantBody)
				}
			})
		}
		// An expired link, signed with the server's own key.
		key := s.Env["SCOOPA_SECRET_KEY"]
		if key == "" {
			b, _ := readFile(testenv.DataFile(s.Env, "secret.key"))
			key = strings.TrimSpace(b)
		}
		expired := files.NewLinkSigner([]byte(key), s.URL).DownloadURL(strings.Split(strings.Split(link, "/files/")[1], "/")[0], time.Now().Add(-time.Second))
		if st, _ := get(expired, nil); st != 403 {
			t.Errorf("expired link: %d, want 403", st)
		}
		fresh := files.NewLinkSigner([]byte(key), s.URL).DownloadURL(strings.Split(strings.Split(link, "/files/")[1], "/")[0], time.Now().Add(time.Minute))
		if st, _ := get(fresh, nil); st != 200 {
			t.Errorf("fresh link signed with the server key: %d, want 200 (the expired check would prove nothing)", st)
		}
		// A good link to a file that is not there: 404.
		gone := files.NewLinkSigner([]byte(key), s.URL).DownloadURL("1", time.Now().Add(time.Minute))
		if st, _ := get(gone, nil); st != 404 {
			t.Errorf("signed link to no file: %d, want 404", st)
		}
		// HEAD answers the length without the bytes.
		resp, err := http.Head(strings.Replace(link, "http://localhost:8080", s.URL, 1))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.ContentLength != int64(len(content)) {
			t.Errorf("HEAD: %d, length %d; want 200, %d", resp.StatusCode, resp.ContentLength, len(content))
		}
	})
}

func readFile(p string) (string, error) {
	b, err := os.ReadFile(p)
	return string(b), err
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		rc := testenv.NewReceiver(t)
		folder := createFolder(t, s, "m")
		createWebhook(t, s, map[string]any{"name": "m", "url": rc.URL, "folderIDs": []string{folder}, "active": true})
		s.Upload(t, folder, "m.txt", "text/plain", []byte("m"))
		scrape := func() string {
			resp, err := http.Get(s.URL + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return string(b)
		}
		testenv.Eventually(t, 20*time.Second, "the delivery recorded", func() bool {
			return len(rc.Deliveries()) == 1 && callCount(t, s, "SUCCEEDED") == 1
		})
		b := scrape()
		want := []string{
			`scoopa_http_requests_total{code="200",route="/graphql"}`,
			`scoopa_graphql_operations_total{errors="false",type="mutation"}`,
			`scoopa_queue_tasks{state="pending"}`,
			`scoopa_calls_waiting{status="RETRYING"} 0`,
			`scoopa_subscriptions 0`,
			`scoopa_call_attempts_total{kind="VALIDATION",outcome="SUCCEEDED"} 1`,
			`scoopa_delivery_calls_created_total 1`,
		}
		if s.Kind == testenv.Embedded { // the worker runs in the server here
			want = append(want, `scoopa_call_attempts_total{kind="DELIVERY",outcome="SUCCEEDED"} 1`, `scoopa_call_attempt_duration_seconds_bucket{kind="DELIVERY"`)
		}
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				t.Errorf("/metrics lacks %s", w)
			}
		}
	})
}

// pageInfo is right whether or not totalCount is asked for (it is computed
// without counting when it is not).
func TestPagination(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		for i := range 5 {
			createFolder(t, s, fmt.Sprintf("f%d", i))
		}
		type page struct {
			Folders struct {
				TotalCount int
				Edges      []struct{ Node struct{ Name string } }
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		for _, count := range []string{"", "totalCount"} {
			var names []string
			after := any(nil)
			for range 10 {
				var p page
				s.MustDo(t, `query($a: Cursor) { folders(first: 2, after: $a, orderBy: {field: NAME}) { `+count+` edges { node { name } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"a": after}, &p)
				for _, e := range p.Folders.Edges {
					names = append(names, e.Node.Name)
				}
				if count != "" && p.Folders.TotalCount != 5 {
					t.Errorf("totalCount %d, want 5", p.Folders.TotalCount)
				}
				if !p.Folders.PageInfo.HasNextPage {
					break
				}
				after = p.Folders.PageInfo.EndCursor
			}
			if got := strings.Join(names, ","); got != "f0,f1,f2,f3,f4" {
				t.Errorf("with %q: pages gave %s, want f0..f4 once each", count, got)
			}
		}
	})
}

func callCount(t *testing.T, s *testenv.Server, status string) int {
	var r struct{ WebhookCalls struct{ TotalCount int } }
	s.MustDo(t, `query($s: WebhookCallStatus!) { webhookCalls(where: {kind: DELIVERY, status: $s}) { totalCount } }`, map[string]any{"s": status}, &r)
	return r.WebhookCalls.TotalCount
}

// uploadFile answers how many webhooks the new file called: none for a
// folder without webhooks, one per matching active webhook otherwise.
func TestUploadFileCallCount(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		empty, inbox := createFolder(t, s, "Empty"), createFolder(t, s, "Inbox")
		rc := testenv.NewReceiver(t)
		for i, in := range []map[string]any{
			{"folderIDs": []string{inbox}, "active": true},
			{"folderIDs": []string{inbox}, "active": true, "filter": ".mov"},
			{"folderIDs": []string{inbox}, "active": true, "filter": "zzz"},
			{"folderIDs": []string{inbox}},
		} {
			in["name"], in["url"] = fmt.Sprintf("hook %d", i), rc.URL
			createWebhook(t, s, in)
		}
		upload := func(folder, name string) int {
			t.Helper()
			r := s.UploadWith(t, folder, name, "video/quicktime", []byte("x"), "callCount")
			if len(r.Errors) > 0 {
				t.Fatalf("upload: %+v", r.Errors)
			}
			var up struct{ UploadFile struct{ CallCount *int } }
			if err := json.Unmarshal(r.Data, &up); err != nil || up.UploadFile.CallCount == nil {
				t.Fatalf("upload answer %s: %v", r.Data, err)
			}
			return *up.UploadFile.CallCount
		}
		for _, tc := range []struct {
			name, folder, file string
			want               int
		}{
			{"folder without webhooks", empty, "clip.mov", 0},
			{"two of four webhooks match", inbox, "clip.mov", 2},
			{"filter leaves one", inbox, "photo.jpg", 1},
		} {
			if got := upload(tc.folder, tc.file); got != tc.want {
				t.Errorf("%s: callCount = %d, want %d", tc.name, got, tc.want)
			}
		}
	})
}

// Webhook.lastCall and callStats24h tell deliveries and validations apart
// when asked for one kind, and keep their old answers without the argument.
func TestWebhookLastCallAndStatsByKind(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		inbox := createFolder(t, s, "Inbox")
		rc := testenv.NewReceiver(t)
		wh := createWebhook(t, s, map[string]any{"name": "P", "url": rc.URL, "folderIDs": []string{inbox}, "active": true})
		if r := s.Upload(t, inbox, "clip.mov", "video/quicktime", []byte("x")); len(r.Errors) > 0 {
			t.Fatalf("upload: %+v", r.Errors)
		}
		type call struct{ Kind, Status string }
		type stats struct{ Succeeded, Pending, Running, Retrying, Failed, Canceled int }
		var out struct {
			Node struct {
				LastCall, LastDelivery, LastValidation *call
				CallStats24h, Deliveries, Validations  stats
			}
		}
		// Wait until nothing changes any more: the fields of one answer are
		// read one after the other, not as one snapshot.
		testenv.Eventually(t, 20*time.Second, "the delivery to succeed", func() bool {
			return callCount(t, s, "SUCCEEDED") == 1
		})
		s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Webhook {
			lastCall { kind status }
			lastDelivery: lastCall(kind: DELIVERY) { kind status }
			lastValidation: lastCall(kind: VALIDATION) { kind status }
			callStats24h { succeeded pending running retrying failed canceled }
			deliveries: callStats24h(kind: DELIVERY) { succeeded pending running retrying failed canceled }
			validations: callStats24h(kind: VALIDATION) { succeeded pending running retrying failed canceled } } } }`,
			map[string]any{"id": wh.ID}, &out)
		if out.Node.LastDelivery == nil {
			t.Fatal("lastCall(kind: DELIVERY) = null after a delivery")
		}
		n := out.Node
		if n.LastDelivery.Kind != "DELIVERY" {
			t.Errorf("lastCall(kind: DELIVERY) = %+v", n.LastDelivery)
		}
		if n.LastValidation == nil || *n.LastValidation != (call{"VALIDATION", "SUCCEEDED"}) {
			t.Errorf("lastCall(kind: VALIDATION) = %+v, want the validation made on creation", n.LastValidation)
		}
		if n.LastCall == nil || *n.LastCall != *n.LastDelivery {
			t.Errorf("lastCall = %+v, want the newest call of either kind (the delivery)", n.LastCall)
		}
		if want := (stats{Succeeded: 1}); n.CallStats24h != want || n.Deliveries != want {
			t.Errorf("callStats24h = %+v, callStats24h(kind: DELIVERY) = %+v, want %+v", n.CallStats24h, n.Deliveries, want)
		}
		if want := (stats{Succeeded: 1}); n.Validations != want {
			t.Errorf("callStats24h(kind: VALIDATION) = %+v, want %+v", n.Validations, want)
		}
	})
}
