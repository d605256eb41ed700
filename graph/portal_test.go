package graph_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scoopa/webhooks/graph"
	"github.com/scoopa/webhooks/internal/testenv"
)

const createPortalLink = `mutation($in: CreatePortalLinkInput!) {
  createPortalLink(input: $in) { url expiresAt token { id name role expiresAt } }
}`

type portalLinkOut struct {
	URL       string
	ExpiresAt time.Time
	Token     struct {
		ID, Name, Role string
		ExpiresAt      time.Time
	}
}

// mintPortalLink mints a portal link with the admin token.
func mintPortalLink(t *testing.T, s *testenv.Server, in map[string]any) portalLinkOut {
	t.Helper()
	var out struct{ CreatePortalLink portalLinkOut }
	s.MustDo(t, createPortalLink, map[string]any{"in": in}, &out)
	return out.CreatePortalLink
}

// linkSecret is the secret of a portal link: its fragment.
func linkSecret(t *testing.T, url string) string {
	t.Helper()
	_, secret, ok := strings.Cut(url, "/portal#")
	if !ok {
		t.Fatalf("portal link %q has no /portal# fragment", url)
	}
	return secret
}

// openPortal posts the link's secret to /api/session/portal and returns
// the status, the session cookie if one was set, and the error message.
func openPortal(t *testing.T, s *testenv.Server, secret string) (int, *http.Cookie, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"link": secret})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/session/portal", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "portal-test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct{ Error string }
	_ = json.Unmarshal(b, &e)
	for _, c := range resp.Cookies() {
		if c.Name == graph.SessionCookie {
			return resp.StatusCode, c, e.Error
		}
	}
	return resp.StatusCode, nil, e.Error
}

const portalRefused = "portal link expired, already used or unknown"

// TestPortalLinkOpensAPartnerSession: an admin mints a link for webhook A;
// opening it starts a console session of a PARTNER token for A whose
// viewer shows the link's title; the link opens once; the audit log tells
// of the minting and of the session.
func TestPortalLinkOpensAPartnerSession(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, map[string]string{"SCOOPA_PORTAL_TITLE": "Acme deliveries"})
			f := newPartnerFixture(t, s, false)
			before := time.Now()
			link := mintPortalLink(t, s, map[string]any{"webhookIDs": []string{f.hookA}, "title": "  Partner A  ", "name": "Partner A", "manage": true})
			if !strings.HasPrefix(link.URL, s.Env["SCOOPA_PUBLIC_URL"]+"/portal#spl_") {
				t.Errorf("url %q, want %s/portal#spl_...", link.URL, s.Env["SCOOPA_PUBLIC_URL"])
			}
			if d := link.ExpiresAt.Sub(before); d < 23*time.Hour || d > 25*time.Hour {
				t.Errorf("expiresAt %v: %v from now, want 24h by default", link.ExpiresAt, d)
			}
			if link.Token.Role != "PARTNER" || link.Token.Name != "Partner A" {
				t.Errorf("token %+v, want PARTNER named Partner A", link.Token)
			}
			if want := link.ExpiresAt.Add(12 * time.Hour); !link.Token.ExpiresAt.Equal(want) {
				t.Errorf("token expires %v, want the link's expiry + the session max age (%v)", link.Token.ExpiresAt, want)
			}

			status, cookie, _ := openPortal(t, s, linkSecret(t, link.URL))
			if status != http.StatusNoContent || cookie == nil {
				t.Fatalf("open: %d, cookie %v; want 204 and the session cookie", status, cookie)
			}
			if !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
				t.Errorf("cookie %+v, want HttpOnly and SameSite=Strict as sign-in's", cookie)
			}
			code, r := doWithCookie(t, s, cookie, `{ viewer { role tokenName manage portalTitle webhooks { id } } webhooks { totalCount } }`, nil)
			if code != http.StatusOK || len(r.Errors) > 0 {
				t.Fatalf("viewer with the portal cookie: %d %s", code, errorsOf(r))
			}
			var got struct {
				Viewer struct {
					Role, TokenName string
					Manage          bool
					PortalTitle     *string
					Webhooks        []struct{ ID string }
				}
				Webhooks struct{ TotalCount int }
			}
			if err := json.Unmarshal(r.Data, &got); err != nil {
				t.Fatal(err)
			}
			v := got.Viewer
			if v.Role != "PARTNER" || v.TokenName != "Partner A" || !v.Manage || len(v.Webhooks) != 1 || v.Webhooks[0].ID != f.hookA {
				t.Errorf("viewer %+v, want PARTNER Partner A with manage and webhook A (%s)", v, f.hookA)
			}
			if v.PortalTitle == nil || *v.PortalTitle != "Partner A" {
				t.Errorf("portalTitle %v, want the link's title, trimmed", str(v.PortalTitle))
			}
			if got.Webhooks.TotalCount != 1 {
				t.Errorf("webhooks: %d, want only A", got.Webhooks.TotalCount)
			}

			// Once only.
			if status, cookie, msg := openPortal(t, s, linkSecret(t, link.URL)); status != http.StatusUnauthorized || cookie != nil || msg != portalRefused {
				t.Errorf("second opening: %d %v %q, want 401 %q", status, cookie, msg, portalRefused)
			}

			// A link without a title shows SCOOPA_PORTAL_TITLE.
			plain := mintPortalLink(t, s, map[string]any{"webhookIDs": []string{f.hookB}})
			if plain.Token.Name != "Portal link" {
				t.Errorf("token name %q, want the default Portal link", plain.Token.Name)
			}
			_, c2, _ := openPortal(t, s, linkSecret(t, plain.URL))
			if c2 == nil {
				t.Fatal("untitled link did not open")
			}
			_, r = doWithCookie(t, s, c2, `{ viewer { portalTitle manage } }`, nil)
			if string(r.Data) != `{"viewer":{"portalTitle":"Acme deliveries","manage":false}}` {
				t.Errorf("untitled link's viewer: %s %s, want SCOOPA_PORTAL_TITLE and no manage grant", r.Data, errorsOf(r))
			}
			// A PARTNER token used directly sees SCOOPA_PORTAL_TITLE; an
			// ADMIN none.
			if r := s.DoAs(t, f.token, `{ viewer { portalTitle } }`, nil); string(r.Data) != `{"viewer":{"portalTitle":"Acme deliveries"}}` {
				t.Errorf("partner token's portalTitle: %s %s", r.Data, errorsOf(r))
			}
			if r := s.Do(t, `{ viewer { portalTitle } }`, nil); string(r.Data) != `{"viewer":{"portalTitle":null}}` {
				t.Errorf("admin's portalTitle: %s %s", r.Data, errorsOf(r))
			}

			created := auditLog(t, s, map[string]any{"action": "portal_link.create"})
			if len(created) != 2 {
				t.Fatalf("portal_link.create entries: %d, want 2", len(created))
			}
			e := created[1] // oldest last
			if e.SubjectType != "PortalLink" || e.ActorName != "bootstrap" || str(e.change("webhooks").New) != "["+f.hookA+"]" ||
				str(e.change("manage").New) != "true" || e.change("expiresAt") == nil || str(e.change("title").New) != "Partner A" {
				t.Errorf("portal_link.create entry %s", e.Raw)
			}
			started := auditLog(t, s, map[string]any{"action": "session.start", "actorName": "Partner A"})
			if len(started) != 1 || started[0].change("portalLink") == nil || started[0].ActorRole != "PARTNER" {
				t.Errorf("session.start entries of the link: %+v", started)
			}
			if len(auditLog(t, s, map[string]any{"action": "token.create", "actorName": "bootstrap"})) < 3 {
				t.Error("the links' tokens are not in the audit log as token.create")
			}
		})
	}
}

// TestPortalLinkOpensOnce: of openings of one link at once, one wins.
func TestPortalLinkOpensOnce(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, map[string]string{"TEST_NO_WORKER": "1"})
			f := newPartnerFixture(t, s, false)
			secret := linkSecret(t, mintPortalLink(t, s, map[string]any{"webhookIDs": []string{f.hookA}}).URL)
			var (
				wg     sync.WaitGroup
				mu     sync.Mutex
				counts = map[int]int{}
			)
			for range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					status, _, _ := openPortal(t, s, secret)
					mu.Lock()
					counts[status]++
					mu.Unlock()
				}()
			}
			wg.Wait()
			if counts[http.StatusNoContent] != 1 || counts[http.StatusUnauthorized] != 5 {
				t.Errorf("statuses %v, want one 204 and five 401", counts)
			}
		})
	}
}

// TestPortalLinkExpires: a link past its expiry does not open, with the
// same answer as an unknown or malformed one.
func TestPortalLinkExpires(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			clock := testenv.NewClock(time.Now())
			s := testenv.StartServerWith(t, kind, testenv.Options{Clock: clock, Env: map[string]string{"TEST_NO_WORKER": "1"}})
			var hook struct{ CreateWebhook struct{ ID string } }
			s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"name": "h", "url": testenv.NewReceiver(t).URL}}, &hook)
			link := mintPortalLink(t, s, map[string]any{"webhookIDs": []string{hook.CreateWebhook.ID}, "validFor": "10m"})
			if !link.ExpiresAt.Equal(clock.Now().Truncate(time.Microsecond).Add(10 * time.Minute)) {
				t.Errorf("expiresAt %v, want 10m from %v", link.ExpiresAt, clock.Now())
			}
			clock.Advance(10*time.Minute + time.Second)
			for name, secret := range map[string]string{
				"expired":   linkSecret(t, link.URL),
				"unknown":   "spl_" + strings.Repeat("A", 43),
				"malformed": "spl_nope",
				"a token":   s.Token,
			} {
				if status, cookie, msg := openPortal(t, s, secret); status != http.StatusUnauthorized || cookie != nil || msg != portalRefused {
					t.Errorf("%s: %d %v %q, want 401 %q", name, status, cookie, msg, portalRefused)
				}
			}
		})
	}
}

// TestCreatePortalLinkRefusals: only an ADMIN mints links, and bad input
// is refused naming its field.
func TestCreatePortalLinkRefusals(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, map[string]string{"TEST_NO_WORKER": "1"})
			var hook struct{ CreateWebhook struct{ ID string } }
			s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"name": "h", "url": testenv.NewReceiver(t).URL}}, &hook)
			id := hook.CreateWebhook.ID
			var viewer, partner struct{ CreateApiToken struct{ Secret string } }
			s.MustDo(t, `mutation { createApiToken(input: {name: "v", role: VIEWER}) { secret } }`, nil, &viewer)
			s.MustDo(t, `mutation($id: ID!) { createApiToken(input: {name: "p", role: PARTNER, webhookIDs: [$id], manage: true}) { secret } }`,
				map[string]any{"id": id}, &partner)
			for name, token := range map[string]string{"VIEWER": viewer.CreateApiToken.Secret, "PARTNER": partner.CreateApiToken.Secret} {
				r := s.DoAs(t, token, createPortalLink, map[string]any{"in": map[string]any{"webhookIDs": []string{id}}})
				if r.Code() != "FORBIDDEN" || string(r.Data) != "null" {
					t.Errorf("%s mints a link: %s %s, want FORBIDDEN", name, r.Data, errorsOf(r))
				}
			}
			for _, c := range []struct {
				name, field string
				in          map[string]any
			}{
				{"validFor 25h", "validFor", map[string]any{"webhookIDs": []string{id}, "validFor": "25h"}},
				{"validFor 0", "validFor", map[string]any{"webhookIDs": []string{id}, "validFor": "0s"}},
				{"validFor negative", "validFor", map[string]any{"webhookIDs": []string{id}, "validFor": "-1m"}},
				{"validFor junk", "validFor", map[string]any{"webhookIDs": []string{id}, "validFor": "tomorrow"}},
				{"no webhooks", "webhookIDs", map[string]any{"webhookIDs": []string{}}},
				{"unknown webhook", "webhookIDs", map[string]any{"webhookIDs": []string{id, "999999"}}},
				{"long title", "title", map[string]any{"webhookIDs": []string{id}, "title": strings.Repeat("é", 121)}},
				{"title with a newline", "title", map[string]any{"webhookIDs": []string{id}, "title": "a\nb"}},
				{"empty name", "name", map[string]any{"webhookIDs": []string{id}, "name": " "}},
			} {
				r := s.Do(t, createPortalLink, map[string]any{"in": c.in})
				if r.Code() != "BAD_USER_INPUT" || len(r.Errors) == 0 || r.Errors[0].Extensions["field"] != c.field {
					t.Errorf("%s: %s, want BAD_USER_INPUT naming %s", c.name, errorsOf(r), c.field)
				}
			}
			// A title of 120 characters of several bytes each is fine.
			mintPortalLink(t, s, map[string]any{"webhookIDs": []string{id}, "title": strings.Repeat("é", 120), "validFor": "1s"})
			if n := len(auditLog(t, s, map[string]any{"action": "portal_link.create"})); n != 1 {
				t.Errorf("portal_link.create entries: %d, want only the one link minted", n)
			}
		})
	}
}

// TestConsoleFraming: with SCOOPA_FRAME_ANCESTORS the console's CSP names
// those origins as frame-ancestors and X-Frame-Options (which cannot name
// them) is not sent; on an https public URL the session cookie is
// SameSite=None, so that it works in the frame. Without it the console
// may not be framed (TestConsoleSecurityHeaders).
func TestConsoleFraming(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, publicURL string
		sameSite        http.SameSite
		secure          bool
	}{
		{"https", "https://webhooks.example.com", http.SameSiteNoneMode, true},
		{"http", "", http.SameSiteStrictMode, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"TEST_NO_WORKER": "1", "SCOOPA_FRAME_ANCESTORS": "https://portal.example.com  http://localhost:3000"}
			if tc.publicURL != "" {
				env["SCOOPA_PUBLIC_URL"] = tc.publicURL
			}
			s := testenv.StartServer(t, testenv.Embedded, env)
			for _, path := range []string{"/portal", "/webhooks"} {
				resp, err := http.Get(s.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				csp := resp.Header.Get("Content-Security-Policy")
				if !strings.Contains(csp, "; frame-ancestors https://portal.example.com http://localhost:3000;") || strings.Contains(csp, "frame-ancestors 'none'") {
					t.Errorf("%s: CSP %q, want frame-ancestors https://portal.example.com http://localhost:3000", path, csp)
				}
				if xfo := resp.Header.Values("X-Frame-Options"); len(xfo) > 0 {
					t.Errorf("%s: X-Frame-Options %q, want none (it would forbid the frame)", path, xfo)
				}
			}
			r, err := http.Post(s.URL+"/api/session", "application/json", strings.NewReader(`{"token":"`+s.Token+`"}`))
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			cookies := r.Cookies()
			if len(cookies) != 1 || cookies[0].SameSite != tc.sameSite || cookies[0].Secure != tc.secure ||
				cookies[0].Partitioned != tc.secure || !cookies[0].HttpOnly {
				t.Fatalf("sign-in cookie %+v, want SameSite %v, Secure and Partitioned %v, HttpOnly", cookies, tc.sameSite, tc.secure)
			}
			if code := cookieStatus(t, s, cookies[0]); code != http.StatusOK {
				t.Errorf("the cookie does not authenticate: %d", code)
			}
		})
	}
}

// TestPortalLinkFailuresThrottled: links that do not open count as failed
// sign-ins of the address; past the limit even a good link gets 429.
func TestPortalLinkFailuresThrottled(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, map[string]string{"TEST_NO_WORKER": "1", "SCOOPA_AUTH_FAILURE_LIMIT": "3", "SCOOPA_AUTH_FAILURE_WINDOW": "1h"})
			var hook struct{ CreateWebhook struct{ ID string } }
			s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"name": "h", "url": testenv.NewReceiver(t).URL}}, &hook)
			good := linkSecret(t, mintPortalLink(t, s, map[string]any{"webhookIDs": []string{hook.CreateWebhook.ID}}).URL)
			for i := range 3 {
				if status, _, _ := openPortal(t, s, "spl_"+strings.Repeat(string(rune('A'+i)), 43)); status != http.StatusUnauthorized {
					t.Fatalf("guess %d: %d, want 401", i, status)
				}
			}
			if status, cookie, msg := openPortal(t, s, good); status != http.StatusTooManyRequests || cookie != nil {
				t.Errorf("good link after 3 failures: %d %q, want 429", status, msg)
			}
		})
	}
}
