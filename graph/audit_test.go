package graph_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

type auditChange struct {
	Field string
	Old   *string
	New   *string
}

type auditEntry struct {
	ID           string
	At           time.Time
	ActorName    string
	ActorTokenID *string
	ActorRole    string
	Action       string
	SubjectType  string
	SubjectID    string
	SubjectName  string
	Changes      []auditChange
	Raw          string
}

const auditQuery = `query($where: AuditLogFilter, $first: Int, $after: Cursor) {
  auditLog(where: $where, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id at actorName actorTokenID actorRole action subjectType subjectID subjectName clientAddress changes { field old new } } }
  }
}`

// auditLog reads the audit log with where, as the admin token does, and
// returns its entries, newest first, each with its raw JSON.
func auditLog(t *testing.T, s *testenv.Server, where map[string]any) []auditEntry {
	t.Helper()
	r := s.Do(t, auditQuery, map[string]any{"where": where, "first": 500})
	if len(r.Errors) > 0 {
		t.Fatalf("auditLog: %s", errorsOf(r))
	}
	var out struct {
		AuditLog struct {
			Edges []struct{ Node json.RawMessage }
		}
	}
	if err := json.Unmarshal(r.Data, &out); err != nil {
		t.Fatal(err)
	}
	var list []auditEntry
	for _, e := range out.AuditLog.Edges {
		var a auditEntry
		if err := json.Unmarshal(e.Node, &a); err != nil {
			t.Fatal(err)
		}
		a.Raw = string(e.Node)
		list = append(list, a)
	}
	return list
}

func (e auditEntry) change(field string) *auditChange {
	for _, c := range e.Changes {
		if c.Field == field {
			return &c
		}
	}
	return nil
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// Every change of a webhook, its folders and the API tokens is in the
// audit log, with its actor, action and fields, and no secret in it: not
// a header value, a URL's query value, the OAuth2 client secret, the
// client key or a token.
func TestAuditLogRecordsChangesWithoutSecrets(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		opsID, ops := createToken(t, s, "ops", "ADMIN")
		folder := createFolder(t, s, "Audited")
		const (
			querySecret  = "query-secret-4f1d9a0c7e"
			querySecret2 = "query-secret-second-88b2"
			headerValue  = "Bearer header-secret-9b7e11"
			headerValue2 = "Bearer header-secret-second-3c"
			oauthSecret2 = "oauth-secret-second-5d2a77"
		)
		certPEM, keyPEM := selfSigned(t, "audited", time.Now().Add(90*24*time.Hour))
		var created struct{ CreateWebhook struct{ ID string } }
		r := s.DoAs(t, ops, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": "Audited", "url": "https://127.0.0.1:1/hook?key=" + querySecret,
			"headers":           []map[string]any{{"name": "Authorization", "value": headerValue}},
			"oauth2":            map[string]any{"tokenURL": "https://127.0.0.1:1/token", "clientID": "scoopa", "clientSecret": oauthClientSecret},
			"clientCertificate": map[string]any{"certificate": certPEM, "key": keyPEM},
		}})
		if len(r.Errors) > 0 {
			t.Fatalf("create: %s", errorsOf(r))
		}
		_ = json.Unmarshal(r.Data, &created)
		id := created.CreateWebhook.ID
		update := func(token string, in map[string]any) *testenv.Response {
			return s.DoAs(t, token, `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { id } }`,
				map[string]any{"id": id, "in": in})
		}
		if r := update(ops, map[string]any{"url": "https://127.0.0.1:1/hook?key=" + querySecret2,
			"headers": []map[string]any{{"name": "Authorization", "value": headerValue2}},
			"oauth2":  map[string]any{"tokenURL": "https://127.0.0.1:1/token", "clientID": "scoopa", "clientSecret": oauthSecret2}}); len(r.Errors) > 0 {
			t.Fatalf("update: %s", errorsOf(r))
		}
		// A failing update (a bad name) writes nothing.
		if r := update(ops, map[string]any{"name": "", "url": "https://127.0.0.1:1/other"}); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("bad update: %s, want BAD_USER_INPUT", errorsOf(r))
		}
		// Nor does one refused inside its transaction (the URL moves to
		// another host keeping the stored header value).
		if r := update(ops, map[string]any{"url": "https://localhost:2/hook"}); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("update to another host: %s, want BAD_USER_INPUT", errorsOf(r))
		}
		if r := update(s.Token, map[string]any{"addFolderIDs": []string{folder}}); len(r.Errors) > 0 {
			t.Fatalf("assign folders: %s", errorsOf(r))
		}
		s.MustDo(t, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { id } }`, map[string]any{"id": id}, nil)
		viewerID, viewer := createToken(t, s, "viewer", "VIEWER")
		s.MustDo(t, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, map[string]any{"id": viewerID}, nil)
		s.MustDo(t, `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": id}, nil)

		all := auditLog(t, s, nil)
		var actions []string
		for _, e := range all {
			actions = append(actions, e.Action)
			for _, secret := range []string{querySecret, querySecret2, headerValue, headerValue2, "header-secret",
				oauthClientSecret, oauthSecret2, keyPEM, strings.Split(strings.TrimSpace(keyPEM), "\n")[1], ops, viewer} {
				if strings.Contains(e.Raw, secret) {
					t.Errorf("entry %s holds the secret %q: %s", e.Action, secret, e.Raw)
				}
			}
		}
		want := []string{"webhook.delete", "token.revoke", "token.create", "webhook.rotate_secret", "webhook.assign_folders",
			"webhook.update", "webhook.create", "folder.create", "token.create"}
		if strings.Join(actions, " ") != strings.Join(want, " ") {
			t.Fatalf("actions %v, want %v", actions, want)
		}
		byAction := map[string]auditEntry{}
		for _, e := range all {
			if _, ok := byAction[e.Action]; !ok {
				byAction[e.Action] = e
			}
		}
		cr := byAction["webhook.create"]
		if cr.ActorName != "ops" || str(cr.ActorTokenID) != opsID || cr.ActorRole != "ADMIN" || cr.SubjectID != id || cr.SubjectName != "Audited" || cr.SubjectType != "Webhook" {
			t.Errorf("create entry %s: want actor ops (%s, ADMIN) on webhook %s", cr.Raw, opsID, id)
		}
		for field, want := range map[string]string{"headers.Authorization": "(set)", "oauth2.clientSecret": "(set)",
			"clientCertificate.key": "(set)", "signingSecret": "(set)", "name": "Audited"} {
			if c := cr.change(field); c == nil || c.Old != nil || str(c.New) != want {
				t.Errorf("create: change of %s %+v, want nil → %q", field, c, want)
			}
		}
		if c := cr.change("url"); c == nil || !strings.HasPrefix(str(c.New), "https://127.0.0.1:1/hook?key=") {
			t.Errorf("create: url change %+v", c)
		}
		up := byAction["webhook.update"]
		if up.ActorName != "ops" {
			t.Errorf("update by %q, want ops", up.ActorName)
		}
		for _, field := range []string{"headers.Authorization", "oauth2.clientSecret"} {
			if c := up.change(field); c == nil || str(c.Old) != "(set)" || str(c.New) != "(changed)" {
				t.Errorf("update: change of %s %+v, want (set) → (changed)", field, c)
			}
		}
		if c := up.change("url"); c == nil || str(c.Old) == str(c.New) {
			t.Errorf("update: url change %+v, want it recorded as changed", c)
		}
		if up.change("name") != nil || up.change("clientCertificate.key") != nil {
			t.Errorf("update records fields it did not change: %s", up.Raw)
		}
		as := byAction["webhook.assign_folders"]
		if c := as.change("folders"); c == nil || c.Old != nil || str(c.New) != folder || as.ActorName != "bootstrap" || as.ActorTokenID != nil {
			t.Errorf("assign folders entry %s: want folders nil → %s by bootstrap", as.Raw, folder)
		}
		if c := byAction["webhook.rotate_secret"].change("signingSecret"); c == nil || str(c.New) != "(changed)" {
			t.Errorf("rotate: %+v", c)
		}
		if e := byAction["token.revoke"]; e.SubjectID != viewerID || e.SubjectName != "viewer" || e.SubjectType != "APIToken" {
			t.Errorf("revoke entry %s", e.Raw)
		}
		if e := byAction["token.create"]; e.SubjectID != viewerID || str(e.change("role").New) != "VIEWER" {
			t.Errorf("token create entry %s", e.Raw)
		}
		if e := byAction["webhook.delete"]; e.SubjectID != id || e.SubjectName != "Audited" {
			t.Errorf("delete entry %s", e.Raw)
		}

		// Filters: by action, by subject, by actor, by time.
		if got := auditLog(t, s, map[string]any{"action": "webhook.update"}); len(got) != 1 || got[0].ID != up.ID {
			t.Errorf("filter by action: %d entries", len(got))
		}
		if got := auditLog(t, s, map[string]any{"subjectID": id}); len(got) != 5 {
			t.Errorf("filter by subject: %d entries, want 5", len(got))
		}
		if got := auditLog(t, s, map[string]any{"actorName": "ops", "subjectID": id}); len(got) != 2 {
			t.Errorf("filter by actor and subject: %d entries, want 2", len(got))
		}
		if got := auditLog(t, s, map[string]any{"since": time.Now().Add(time.Hour).Format(time.RFC3339)}); len(got) != 0 {
			t.Errorf("filter since an hour from now: %d entries", len(got))
		}
		// Pages follow each other, newest first.
		var page struct {
			AuditLog struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct{ Node struct{ ID string } }
			}
		}
		s.MustDo(t, auditQuery, map[string]any{"first": 4}, &page)
		if !page.AuditLog.PageInfo.HasNextPage || len(page.AuditLog.Edges) != 4 || page.AuditLog.Edges[0].Node.ID != all[0].ID {
			t.Fatalf("first page: %+v", page.AuditLog)
		}
		s.MustDo(t, auditQuery, map[string]any{"first": 4, "after": page.AuditLog.PageInfo.EndCursor}, &page)
		if len(page.AuditLog.Edges) != 4 || page.AuditLog.Edges[0].Node.ID != all[4].ID {
			t.Errorf("second page starts at %+v, want %s", page.AuditLog.Edges, all[4].ID)
		}

		// The log is for admins only.
		_, viewer2 := createToken(t, s, "viewer2", "VIEWER")
		if r := s.DoAs(t, viewer2, auditQuery, nil); r.Code() != "FORBIDDEN" {
			t.Errorf("VIEWER reads the audit log: %s, want FORBIDDEN", errorsOf(r))
		}
	})
}

// Sending calls again is in the audit log too: a test file, a retry, a
// file sent again.
func TestAuditLogRecordsCallsSentAgain(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		folder := createFolder(t, s, "Inbox")
		r := s.Upload(t, folder, "real.mov", "video/quicktime", []byte("a file"))
		var up struct{ UploadFile struct{ ID string } }
		_ = json.Unmarshal(r.Data, &up)
		file := up.UploadFile.ID
		rc := testenv.NewReceiver(t)
		rc.SetScript(func(int, http.ResponseWriter) int { return 500 })
		hook := createWebhook(t, s, map[string]any{"name": "integrator", "url": rc.URL, "active": true, "folderIDs": []string{folder}})

		var test struct{ SendTestFile struct{ ID string } }
		s.MustDo(t, `mutation($w: ID!, $f: ID!) { sendTestFile(webhookID: $w, fileID: $f) { id } }`, map[string]any{"w": hook.ID, "f": file}, &test)
		call := test.SendTestFile.ID
		testenv.Eventually(t, 30*time.Second, "the test call to fail", func() bool {
			var out struct{ Node struct{ Status string } }
			s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on WebhookCall { status } } }`, map[string]any{"id": call}, &out)
			return out.Node.Status == "FAILED"
		})
		s.MustDo(t, `mutation($id: ID!) { retryWebhookCall(id: $id) { id } }`, map[string]any{"id": call}, nil)
		s.MustDo(t, `mutation($f: ID!, $w: [ID!]) { redeliverFile(fileID: $f, webhookIDs: $w) { id } }`, map[string]any{"f": file, "w": []string{hook.ID}}, nil)

		got := map[string]auditEntry{}
		for _, e := range auditLog(t, s, nil) {
			got[e.Action] = e
		}
		if e, ok := got["webhook.send_test_file"]; !ok || e.SubjectID != hook.ID || str(e.change("calls").New) != call {
			t.Errorf("test file entry %+v, want webhook %s, call %s", e, hook.ID, call)
		}
		if e, ok := got["call.retry"]; !ok || e.SubjectID != call || str(e.change("status").Old) != "FAILED" || str(e.change("status").New) != "PENDING" {
			t.Errorf("retry entry %+v, want call %s FAILED → PENDING", e, call)
		}
		if e, ok := got["file.redeliver"]; !ok || e.SubjectID != file || e.SubjectName != "real.mov" || e.change("calls") == nil {
			t.Errorf("redeliver entry %+v, want file %s", e, file)
		}
	})
}

// Ending a console session is in the audit log: by an admin, and by
// signing out (the session's own token).
func TestAuditLogRecordsSessions(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		_, viewer := createToken(t, s, "viewer", "VIEWER")
		a := signIn(t, s, viewer)
		signIn(t, s, viewer)
		var list struct{ Sessions []struct{ ID string } }
		s.MustDo(t, `{ sessions { id } }`, nil, &list)
		if len(list.Sessions) != 2 {
			t.Fatalf("%d sessions, want 2", len(list.Sessions))
		}
		signOut(t, s, a)
		s.MustDo(t, `{ sessions { id } }`, nil, &list)
		ended := list.Sessions[0].ID
		s.MustDo(t, `mutation($id: ID!) { endSession(id: $id) { id } }`, map[string]any{"id": ended}, nil)
		got := auditLog(t, s, map[string]any{"action": "session.end"})
		if len(got) != 2 {
			t.Fatalf("%d session.end entries, want 2", len(got))
		}
		if e := got[0]; e.SubjectID != ended || e.ActorName != "bootstrap" || str(e.change("endedReason").New) != "ENDED_BY_ADMIN" {
			t.Errorf("end by admin: %s", e.Raw)
		}
		if e := got[1]; e.ActorName != "viewer" || e.ActorRole != "VIEWER" || str(e.change("endedReason").New) != "SIGNED_OUT" {
			t.Errorf("sign-out: %s", e.Raw)
		}
		// Each sign-in is recorded with its session, the token its actor,
		// from the address it came from, never with the token itself.
		starts := auditLog(t, s, map[string]any{"action": "session.start"})
		if len(starts) != 2 {
			t.Fatalf("%d session.start entries, want 2", len(starts))
		}
		for _, e := range starts {
			if e.ActorName != "viewer" || e.ActorRole != "VIEWER" || e.ActorTokenID == nil || e.SubjectType != "Session" ||
				!strings.Contains(e.Raw, `"clientAddress":"127.0.0.1"`) || e.change("expiresAt") == nil || strings.Contains(e.Raw, viewer) {
				t.Errorf("sign-in: %s", e.Raw)
			}
		}
	})
}
