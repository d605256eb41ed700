package graph_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/secrets"
	"github.com/scoopa/webhooks/internal/testenv"
)

// Each attempt records the request headers it sent, so the call log shows
// what arrived: the service's own headers as sent (the timestamp and the
// signature differ per attempt) and the webhook's headers with their values
// masked, for admins and viewers alike. On PostgreSQL the attempt is written
// by one raw SQL statement, on SQLite through ent: both store them.
func TestAttemptRecordsRequestHeaders(t *testing.T) {
	t.Parallel()
	const credential = "Bearer tok-0123456789abcdefXYZ9"
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		rc := testenv.NewReceiver(t)
		rc.SetScript(func(n int, _ http.ResponseWriter) int { return map[bool]int{true: 500, false: 200}[n == 1] })
		folder := createFolder(t, s, "Inbox")
		wh := createWebhook(t, s, map[string]any{
			"name": "Partner", "url": rc.URL, "folderIDs": []string{folder}, "active": true,
			"headers": []map[string]any{{"name": "Authorization", "value": credential}, {"name": "X-Tenant", "value": "acme-tenant-42"}},
		})
		if r := s.Upload(t, folder, "clip.mov", "video/quicktime", []byte("x")); len(r.Errors) > 0 {
			t.Fatalf("upload: %+v", r.Errors)
		}
		type header struct{ Name, Value string }
		type attempt struct {
			Number         int
			RequestHeaders []header
		}
		var out struct {
			WebhookCalls struct {
				Edges []struct {
					Node struct {
						Kind, Status string
						Attempts     []attempt
					}
				}
			}
		}
		const q = `query($w: ID!) { webhookCalls(where: {hasWebhookWith: [{id: $w}]}, orderBy: {field: CREATED_AT, direction: ASC}) {
			edges { node { kind status attempts { number requestHeaders { name value } } } } } }`
		testenv.Eventually(t, 30*time.Second, "delivery to succeed on its second attempt", func() bool {
			s.MustDo(t, q, map[string]any{"w": wh.ID}, &out)
			for _, e := range out.WebhookCalls.Edges {
				if e.Node.Kind == "DELIVERY" && e.Node.Status == "SUCCEEDED" {
					return true
				}
			}
			return false
		})
		var validation, delivery []attempt
		for _, e := range out.WebhookCalls.Edges {
			if e.Node.Kind == "DELIVERY" {
				delivery = e.Node.Attempts
			} else {
				validation = e.Node.Attempts
			}
		}
		check := func(t *testing.T, what string, got attempt, sent testenv.Received) {
			t.Helper()
			want := []header{
				{"Content-Type", "application/json"},
				{"User-Agent", sent.Header.Get("User-Agent")},
				{"webhook-id", sent.Header.Get("webhook-id")},
				{"webhook-timestamp", sent.Header.Get("webhook-timestamp")},
				{"webhook-signature", sent.Header.Get("webhook-signature")},
				{"Authorization", secrets.Mask(credential)},
				{"X-Tenant", secrets.Mask("acme-tenant-42")},
			}
			if sent.Header.Get("Authorization") != credential || !strings.HasPrefix(sent.Header.Get("User-Agent"), "scoopa-webhooks/") {
				t.Fatalf("%s: the receiver got Authorization %q, User-Agent %q", what, sent.Header.Get("Authorization"), sent.Header.Get("User-Agent"))
			}
			if len(got.RequestHeaders) != len(want) {
				t.Fatalf("%s: request headers %+v, want %+v", what, got.RequestHeaders, want)
			}
			for i := range want {
				if got.RequestHeaders[i] != want[i] {
					t.Errorf("%s: request header %d = %+v, want %+v", what, i, got.RequestHeaders[i], want[i])
				}
			}
		}
		if len(validation) != 1 || len(rc.Validations()) != 1 {
			t.Fatalf("validation: %d attempts recorded, %d received; want 1 and 1", len(validation), len(rc.Validations()))
		}
		check(t, "validation", validation[0], rc.Validations()[0])
		ds := rc.Deliveries()
		if len(delivery) != 2 || len(ds) != 2 {
			t.Fatalf("delivery: %d attempts recorded, %d received; want 2 and 2", len(delivery), len(ds))
		}
		for i, a := range delivery {
			check(t, "delivery attempt "+string(rune('1'+i)), a, ds[a.Number-1])
		}
		if delivery[0].RequestHeaders[4] == delivery[1].RequestHeaders[4] {
			t.Errorf("both attempts show the signature %q; each attempt signs anew", delivery[0].RequestHeaders[4].Value)
		}

		// Nobody reads the credential back: not an admin, not a viewer.
		var tok struct{ CreateAPIToken struct{ Secret string } }
		s.MustDo(t, `mutation { createApiToken(input: {name: "reader", role: VIEWER}) { secret } }`, nil, &tok)
		for who, token := range map[string]string{"admin": s.Token, "viewer": tok.CreateAPIToken.Secret} {
			r := s.DoAs(t, token, q, map[string]any{"w": wh.ID})
			if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"requestHeaders"`) {
				t.Fatalf("%s: %s %+v", who, r.Data, r.Errors)
			}
			for _, secret := range []string{credential, "0123456789abcdef", "acme-tenant"} {
				if strings.Contains(string(r.Data), secret) {
					t.Errorf("%s reads %q in the call log: %s", who, secret, r.Data)
				}
			}
		}
	})
}
