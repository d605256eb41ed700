package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket/wsjson"
	"github.com/scoopa/webhooks/internal/testenv"
)

// The partner's side of the authorization matrix: every query, edge,
// filter, mutation, the subscription, the export and the download links,
// for ADMIN, VIEWER, a PARTNER token of webhook A (on A's objects and on
// B's), the same with the manage grant, and a revoked and an expired
// PARTNER token. On B's objects a partner must get exactly the answer for
// an ID that does not exist; what it reads must never name B.

// scopeIDs are the objects a row is run on: A's, B's, or IDs of the same
// types that do not exist ("ghost").
type scopeIDs struct {
	Hook, Folder, File, Call, Attempt, Header, Token, Audit, Upload, HookName string
}

func (x scopeIDs) vars(own scopeIDs) map[string]any {
	return map[string]any{
		"hook": x.Hook, "folder": x.Folder, "file": x.File, "call": x.Call, "attempt": x.Attempt,
		"header": x.Header, "token": x.Token, "audit": x.Audit, "upload": x.Upload, "name": x.HookName,
		"ownHook": own.Hook, "ownFile": own.File,
		"since": "2000-01-01T00:00:00Z", "until": "2100-01-01T00:00:00Z",
		"from": time.Now().Add(-48 * time.Hour).UTC().Format(time.RFC3339), "to": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339),
	}
}

// ghostOf returns IDs of x's types that do not exist (IDs are allotted in
// ranges of 2³² per type).
func ghostOf(x scopeIDs) scopeIDs {
	g := func(id string) string {
		n, err := strconv.Atoi(id)
		if err != nil {
			panic(id)
		}
		return strconv.Itoa(n + 1<<20)
	}
	return scopeIDs{g(x.Hook), g(x.Folder), g(x.File), g(x.Call), g(x.Attempt), g(x.Header), g(x.Token), g(x.Audit), g(x.Upload), "hook-ghost"}
}

// matrix is the fixture: webhooks A (hook-alpha) and B (hook-bravo), each
// with a folder of its own and a file delivered to it, and a folder
// assigned to both with a file delivered to both. Everything of B's is
// named with "bravo".
type matrix struct {
	s                *testenv.Server
	a, b, ghost      scopeIDs
	shared           string // the shared folder
	sharedFile       string
	viewer, partner  string
	manage           string // A's PARTNER token with the manage grant
	revoked, expired string
	aCalls           int // A's calls once the fixture is made
	aFiles, aFolders int
	bDownload        string // the path of B's file's download link
}

func newMatrix(t *testing.T, s *testenv.Server) *matrix {
	t.Helper()
	m := &matrix{s: s}
	rc := testenv.NewReceiver(t)
	// A's first delivery fails for good (A has no retries): a call for
	// the partner to retry.
	rc.SetScript(func(n int, w http.ResponseWriter) int {
		if n == 1 {
			return 500
		}
		return 200
	})
	alpha, bravo := createFolder(t, s, "folder-alpha"), createFolder(t, s, "folder-bravo")
	m.shared = createFolder(t, s, "folder-shared")
	m.a = scopeIDs{Folder: alpha, HookName: "hook-alpha"}
	m.b = scopeIDs{Folder: bravo, HookName: "hook-bravo"}
	m.a.Hook = createWebhook(t, s, map[string]any{"name": "hook-alpha", "url": rc.URL + "/url-alpha", "active": true,
		"folderIDs": []string{alpha, m.shared}, "retryDelays": []string{},
		"headers": []map[string]any{{"name": "X-Alpha", "value": "alpha-value"}}}).ID
	m.b.Hook = createWebhook(t, s, map[string]any{"name": "hook-bravo", "url": rc.URL + "/url-bravo?key=bravo-key", "active": true,
		"folderIDs": []string{bravo, m.shared},
		"headers":   []map[string]any{{"name": "X-Bravo", "value": "bravo-value"}}}).ID
	m.a.File = uploadID(t, s, alpha, "file-alpha.txt")
	testenv.Eventually(t, 30*time.Second, "A's first call to fail", func() bool { return callsOf(t, s, m.a.Hook, "FAILED") == 1 })
	m.b.File = uploadID(t, s, bravo, "file-bravo.txt")
	m.sharedFile = uploadID(t, s, m.shared, "file-shared.txt")
	testenv.Eventually(t, 30*time.Second, "B's two calls to succeed", func() bool { return callsOf(t, s, m.b.Hook, "SUCCEEDED") == 2 })
	testenv.Eventually(t, 30*time.Second, "A's shared call to succeed", func() bool { return callsOf(t, s, m.a.Hook, "SUCCEEDED") == 1 })

	for _, x := range []*scopeIDs{&m.a, &m.b} {
		var out struct {
			Node struct {
				Headers  []struct{ ID string }
				LastCall struct {
					ID       string
					Attempts []struct{ ID string }
				}
			}
			WebhookCalls struct {
				Edges []struct {
					Node struct {
						ID       string
						Attempts []struct{ ID string }
					}
				}
			}
		}
		// The call of the hook's own file: A's failed one, B's delivered one.
		s.MustDo(t, `query($id: ID!, $file: ID!) {
			node(id: $id) { ... on Webhook { headers { id } } }
			webhookCalls(where: {hasWebhookWith: [{id: $id}], hasFileWith: [{id: $file}]}) { edges { node { id attempts { id } } } }
		}`, map[string]any{"id": x.Hook, "file": x.File}, &out)
		x.Header = out.Node.Headers[0].ID
		x.Call = out.WebhookCalls.Edges[0].Node.ID
		x.Attempt = out.WebhookCalls.Edges[0].Node.Attempts[0].ID
	}
	m.viewer = viewerToken(t, s)
	var tokA string
	tokA, m.partner = partnerToken(t, s, "partner-alpha", m.a.Hook, false, "")
	m.a.Token = tokA
	_, m.manage = partnerToken(t, s, "partner-alpha-manage", m.a.Hook, true, "")
	m.b.Token, _ = partnerToken(t, s, "partner-bravo", m.b.Hook, false, "")
	revokedID, revoked := partnerToken(t, s, "partner-alpha-revoked", m.a.Hook, false, "")
	s.MustDo(t, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, map[string]any{"id": revokedID}, nil)
	m.revoked = revoked
	expiresAt := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
	_, m.expired = partnerToken(t, s, "partner-alpha-expired", m.a.Hook, false, expiresAt.UTC().Format(time.RFC3339))

	// An audit entry about B (its creation), and direct uploads into A's
	// and B's folders, for the rows that name them.
	var audit struct {
		AuditLog struct {
			Edges []struct {
				Node struct{ ID, SubjectID string }
			}
		}
	}
	s.MustDo(t, `{ auditLog(first: 100, where: {action: "webhook.create"}) { edges { node { id subjectID } } } }`, nil, &audit)
	for _, e := range audit.AuditLog.Edges {
		switch e.Node.SubjectID {
		case m.a.Hook:
			m.a.Audit = e.Node.ID
		case m.b.Hook:
			m.b.Audit = e.Node.ID
		}
	}
	if m.a.Audit == "" || m.b.Audit == "" {
		t.Fatalf("no audit entries of the webhooks' creation: %+v", audit)
	}
	m.a.Upload, m.b.Upload = createUploadIn(t, s, alpha, "upload-alpha.bin"), createUploadIn(t, s, bravo, "upload-bravo.bin")
	m.ghost = ghostOf(m.b)
	m.bDownload = "/files/" + m.b.File + "/download"

	var counts struct {
		WebhookCalls struct{ TotalCount int }
	}
	s.MustDo(t, `query($id: ID!) { webhookCalls(where: {hasWebhookWith: [{id: $id}]}) { totalCount } }`, map[string]any{"id": m.a.Hook}, &counts)
	m.aCalls, m.aFiles, m.aFolders = counts.WebhookCalls.TotalCount, 2, 2
	if wait := time.Until(expiresAt); wait > 0 {
		time.Sleep(wait + 100*time.Millisecond) // the expired token's expiry passing, not a timed assertion
	}
	return m
}

func createUploadIn(t *testing.T, s *testenv.Server, folder, name string) string {
	t.Helper()
	var out struct{ CreateUpload struct{ ID string } }
	s.MustDo(t, `mutation($f: ID!, $n: String!) { createUpload(folderID: $f, name: $n, size: 10) { id } }`, map[string]any{"f": folder, "n": name}, &out)
	return out.CreateUpload.ID
}

func callsOf(t *testing.T, s *testenv.Server, hook, status string) int {
	t.Helper()
	var out struct{ WebhookCalls struct{ TotalCount int } }
	s.MustDo(t, `query($id: ID!, $st: WebhookCallStatus!) { webhookCalls(where: {hasWebhookWith: [{id: $id}], status: $st, kind: DELIVERY}) { totalCount } }`,
		map[string]any{"id": hook, "st": status}, &out)
	return out.WebhookCalls.TotalCount
}

// partnerToken creates a PARTNER token of one webhook and returns its ID
// and secret.
func partnerToken(t *testing.T, s *testenv.Server, name, hook string, manage bool, expires string) (id, secret string) {
	t.Helper()
	in := map[string]any{"name": name, "role": "PARTNER", "webhookIDs": []string{hook}, "manage": manage}
	if expires != "" {
		in["expiresAt"] = expires
	}
	var out struct {
		CreateAPIToken struct {
			Secret string
			Token  struct{ ID string }
		}
	}
	s.MustDo(t, `mutation($in: CreateApiTokenInput!) { createApiToken(input: $in) { secret token { id } } }`, map[string]any{"in": in}, &out)
	return out.CreateAPIToken.Token.ID, out.CreateAPIToken.Secret
}

// do runs a row's operation: a GraphQL request, or the multipart upload.
func (m *matrix) do(t *testing.T, token, query string, x scopeIDs) *testenv.Response {
	t.Helper()
	if query == "upload" {
		return m.s.UploadAs(t, token, x.Folder, "uploaded.txt", "text/plain", []byte("u"))
	}
	return m.s.DoAs(t, token, query, x.vars(m.a))
}

// normalized is a response with the IDs of x written as their names, so
// that the answers for B's objects and for missing ones compare equal.
func normalized(r *testenv.Response, x scopeIDs) string {
	b, _ := json.Marshal(struct {
		Status int
		Data   json.RawMessage
		Errors any
	}{r.Status, r.Data, r.Errors})
	names := map[string]string{}
	for name, id := range map[string]string{"hook": x.Hook, "folder": x.Folder, "file": x.File, "call": x.Call, "attempt": x.Attempt,
		"header": x.Header, "token": x.Token, "audit": x.Audit, "upload": x.Upload} {
		names[id] = "<" + name + ">"
	}
	return wholeNumber.ReplaceAllStringFunc(string(b), func(n string) string {
		if name, ok := names[n]; ok {
			return name
		}
		return n
	})
}

var wholeNumber = regexp.MustCompile(`\b\d+\b`)

// leaks returns what of B's a partner's answer holds.
func (m *matrix) leaks(body string, ids bool) []string {
	var found []string
	for _, s := range []string{"bravo", m.bDownload} {
		if strings.Contains(body, s) {
			found = append(found, s)
		}
	}
	if ids {
		for _, id := range []string{m.b.Hook, m.b.Folder, m.b.File, m.b.Call, m.b.Attempt, m.b.Header, m.b.Token} {
			if strings.Contains(body, `"`+id+`"`) {
				found = append(found, "ID "+id)
			}
		}
	}
	return found
}

func codeOf(r *testenv.Response) string {
	if len(r.Errors) == 0 {
		return ""
	}
	if c := r.Code(); c != "" {
		return c
	}
	return "ERROR " + r.Errors[0].Message
}

// skip marks a principal a row is not run for (as it is for another).
const skip = "-"

type matrixRow struct {
	name, query string
	// The code each principal gets on its own objects ("" for none); the
	// admin and the viewer run reads on B's objects, mutations on missing
	// ones (the admin) or A's (the viewer).
	admin, viewer, partner, manage string
}

// Reads: every query and every edge that reaches other objects, with the
// filters that cross edges.
var matrixReads = []matrixRow{
	{name: "node webhook", query: `query($hook: ID!) { node(id: $hook) { id ... on Webhook { name url filter headers { id name value } signingSecret
		folders { id name files { totalCount edges { node { name } } } webhooks { name } }
		lastCall { id webhookName fileName folderName } deliveries: lastCall(kind: DELIVERY) { id fileName }
		callStats24h { pending succeeded failed } validation: callStats24h(kind: VALIDATION) { succeeded }
		recentStats { succeeded failed retrying } activity inactiveReason } } }`},
	{name: "node folder", query: `query($folder: ID!) { node(id: $folder) { id ... on Folder { name webhooks { id name lastCall { fileName } }
		files { totalCount edges { node { id name callCount downloadURL } } } } } }`},
	{name: "node file", query: `query($file: ID!) { node(id: $file) { id ... on File { name downloadURL callCount folder { name webhooks { name } } } } }`},
	{name: "node call", query: `query($call: ID!) { node(id: $call) { id ... on WebhookCall { webhookName fileName folderName targetURL payload status
		webhook { id name } file { id name downloadURL } folder { id name webhooks { name } } attempts { id number responseStatus responseBody } } } }`},
	{name: "node attempt", query: `query($attempt: ID!) { node(id: $attempt) { id ... on WebhookCallAttempt { number responseStatus error } } }`},
	{name: "node header", query: `query($header: ID!) { node(id: $header) { id ... on WebhookHeader { name value } } }`},
	{name: "node token", query: `query($token: ID!) { node(id: $token) { id ... on APIToken { name role } } }`, viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: skip},
	{name: "node audit entry", query: `query($audit: ID!) { node(id: $audit) { id } }`, admin: "NOT_FOUND", viewer: "NOT_FOUND", partner: "NOT_FOUND", manage: skip},
	{name: "node upload", query: `query($upload: ID!) { node(id: $upload) { id } }`, admin: "NOT_FOUND", viewer: "NOT_FOUND", partner: "NOT_FOUND", manage: skip},
	{name: "nodes", query: `query($hook: ID!, $folder: ID!, $file: ID!, $call: ID!, $attempt: ID!, $header: ID!) {
		nodes(ids: [$hook, $folder, $file, $call, $attempt, $header]) { id } }`},
	{name: "webhooks by id", query: `query($hook: ID!) { webhooks(where: {id: $hook}) { totalCount edges { node { id name } } } }`},
	{name: "webhooks by name", query: `query($name: String!) { webhooks(where: {name: $name}) { totalCount } }`},
	{name: "webhooks search", query: `query($name: String!) { webhooks(where: {search: $name}) { totalCount } }`},
	{name: "webhooks with folder", query: `query($folder: ID!) { webhooks(where: {hasFoldersWith: [{id: $folder}]}) { totalCount edges { node { name } } } }`},
	{name: "webhooks whose folder has", query: `query($name: String!) { webhooks(where: {hasFoldersWith: [{hasWebhooksWith: [{name: $name}]}]}) { totalCount } }`},
	{name: "webhooks whose folder has not", query: `query($name: String!) { webhooks(where: {hasFoldersWith: [{not: {hasWebhooksWith: [{name: $name}]}}]}) { totalCount } }`},
	{name: "folders by id", query: `query($folder: ID!) { folders(where: {id: $folder}) { totalCount edges { node { name } } } }`},
	{name: "folders with webhook", query: `query($hook: ID!) { folders(where: {hasWebhooksWith: [{id: $hook}]}) { totalCount } }`},
	{name: "folders with webhook named", query: `query($name: String!) { folders(where: {or: [{hasWebhooksWith: [{name: $name}]}, {hasWebhooksWith: [{search: $name}]}]}) { totalCount } }`},
	{name: "folders with another webhook", query: `query($ownHook: ID!) { folders(where: {hasWebhooksWith: [{idNEQ: $ownHook}]}) { totalCount } }`},
	{name: "folders with webhooks", query: `query { yes: folders(where: {hasWebhooks: true}) { totalCount } no: folders(where: {hasWebhooks: false}) { totalCount } }`},
	{name: "folders with file", query: `query($file: ID!) { folders(where: {hasFilesWith: [{id: $file}]}) { totalCount } }`},
	{name: "folders search", query: `query($name: String!) { folders(where: {search: $name}) { totalCount } }`},
	{name: "folder's files filtered", query: `query($name: String!) { folders(first: 10) { edges { node { files(first: 10, where: {hasFolderWith: [{hasWebhooksWith: [{name: $name}]}]}) { totalCount } } } } }`},
	{name: "files by id", query: `query($file: ID!) { files(where: {id: $file}) { totalCount edges { node { name } } } }`},
	{name: "files in folder", query: `query($folder: ID!) { files(where: {hasFolderWith: [{id: $folder}]}) { totalCount } }`},
	{name: "files of webhook", query: `query($hook: ID!) { files(where: {hasFolderWith: [{hasWebhooksWith: [{id: $hook}]}]}) { totalCount } }`},
	{name: "calls of webhook", query: `query($hook: ID!) { webhookCalls(where: {hasWebhookWith: [{id: $hook}]}) { totalCount edges { node { id webhookName } } } }`},
	{name: "calls by webhookID", query: `query($hook: ID!) { webhookCalls(where: {webhookID: $hook}) { totalCount } }`},
	{name: "calls by name", query: `query($name: String!) { webhookCalls(where: {webhookName: $name}) { totalCount } }`},
	{name: "calls of file", query: `query($file: ID!) { webhookCalls(where: {hasFileWith: [{id: $file}]}) { totalCount } }`},
	{name: "calls in folder", query: `query($folder: ID!) { webhookCalls(where: {hasFolderWith: [{id: $folder}]}) { totalCount } }`},
	{name: "calls whose folder has", query: `query($name: String!) { webhookCalls(where: {hasFolderWith: [{hasWebhooksWith: [{name: $name}]}]}) { totalCount } }`},
	{name: "calls whose file's folder has", query: `query($hook: ID!) { webhookCalls(where: {hasFileWith: [{hasFolderWith: [{hasWebhooksWith: [{id: $hook}]}]}]}) { totalCount } }`},
	{name: "webhookStats", query: `query($hook: ID!, $from: Time!, $to: Time!) { webhookStats(id: $hook, from: $from, to: $to, bucket: "DAY") {
		total { succeeded failed retrying } successRate errors { kind count } } }`},
	{name: "recoverableCallCount", query: `query($hook: ID!, $since: Time!, $until: Time!) { recoverableCallCount(webhookID: $hook, since: $since, until: $until, statuses: [FAILED, CANCELED]) }`},
	{name: "viewer", query: `{ viewer { role tokenName manage webhooks { id name } } }`},
	{name: "uploadOptions", query: `{ uploadOptions { direct maxUploadBytes } }`},
	{name: "apiTokens", query: `{ apiTokens { id name } }`, viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: skip},
	{name: "sessions", query: `{ sessions { id } }`, viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: skip},
	{name: "auditLog", query: `{ auditLog { totalCount edges { node { subjectName } } } }`, viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: skip},
}

// Mutations, in the order they run (the partner's own calls change
// state: the retry comes before the recovery).
var matrixMutations = []matrixRow{
	{name: "retryWebhookCall", query: `mutation($call: ID!) { retryWebhookCall(id: $call) { id status webhookName } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", manage: skip},
	{name: "recoverWebhookCalls", query: `mutation($hook: ID!, $since: Time!, $until: Time!) { recoverWebhookCalls(webhookID: $hook, since: $since, until: $until) }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", manage: skip},
	{name: "sendTestFile", query: `mutation($hook: ID!, $file: ID!) { sendTestFile(webhookID: $hook, fileID: $file) { id webhookName fileName } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", manage: skip},
	{name: "sendTestFile of another's file", query: `mutation($ownHook: ID!, $file: ID!) { sendTestFile(webhookID: $ownHook, fileID: $file) { id fileName } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", manage: skip},
	{name: "sendTestFile to another's webhook", query: `mutation($hook: ID!, $ownFile: ID!) { sendTestFile(webhookID: $hook, fileID: $ownFile) { id webhookName } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", manage: skip},
	{name: "rotateWebhookSecret", query: `mutation($hook: ID!) { rotateWebhookSecret(id: $hook) { id name } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN"},
	{name: "updateWebhook", query: `mutation($hook: ID!) { updateWebhook(id: $hook, input: {timeoutSeconds: 5}) { id name timeoutSeconds } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN"},
	{name: "updateWebhook name", query: `mutation($hook: ID!) { updateWebhook(id: $hook, input: {name: "renamed"}) { id } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "revalidateWebhook", query: `mutation($hook: ID!) { revalidateWebhook(id: $hook) { id validationStatus } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN"},
	{name: "redeliverFile", query: `mutation($file: ID!) { redeliverFile(fileID: $file) { id } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "deleteWebhook", query: `mutation($hook: ID!) { deleteWebhook(id: $hook) }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "createWebhook", query: `mutation($name: String!) { createWebhook(input: {name: $name, url: "http://127.0.0.1:1/"}) { id } }`, admin: skip, viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "createFolder", query: `mutation($name: String!) { createFolder(input: {name: $name}) { id } }`, viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "uploadFile (multipart)", query: "upload", admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "createUpload", query: `mutation($folder: ID!) { createUpload(folderID: $folder, name: "x.bin", size: 10) { id parts { url } } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "uploadParts", query: `mutation($upload: ID!) { uploadParts(id: $upload) { id parts { url } } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "completeUpload", query: `mutation($upload: ID!) { completeUpload(id: $upload) { id } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "abortUpload", query: `mutation($upload: ID!) { abortUpload(id: $upload) { id } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "createApiToken", query: `mutation($hook: ID!) { createApiToken(input: {name: "x", role: PARTNER, webhookIDs: [$hook]}) { token { id } } }`, admin: "BAD_USER_INPUT", viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "revokeApiToken", query: `mutation($token: ID!) { revokeApiToken(id: $token) { id } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
	{name: "endSession", query: `mutation($token: ID!) { endSession(id: $token) { id } }`, admin: "NOT_FOUND", viewer: "FORBIDDEN", partner: "FORBIDDEN", manage: "FORBIDDEN"},
}

func TestPartnerAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, map[string]string{
				// The revoked and expired tokens fail every row: no throttling.
				"SCOOPA_DIRECT_UPLOADS": "on", "SCOOPA_AUTH_FAILURE_LIMIT": "0"})
			m := newMatrix(t, s)
			// Reads and the counts first, while nothing changes them.
			t.Run("reads", func(t *testing.T) {
				for _, row := range matrixReads {
					t.Run(row.name, func(t *testing.T) {
						t.Parallel()
						m.run(t, row, false)
					})
				}
			})
			t.Run("counts", m.counts)
			t.Run("export", m.export)
			t.Run("downloads", m.downloads)
			t.Run("mutations", func(t *testing.T) {
				for _, row := range matrixMutations {
					t.Run(row.name, func(t *testing.T) { m.run(t, row, true) })
				}
			})
			t.Run("subscription", m.subscription)
		})
	}
}

// run checks one row for every principal.
func (m *matrix) run(t *testing.T, row matrixRow, mutation bool) {
	check := func(who, token string, x scopeIDs, want string) *testenv.Response {
		t.Helper()
		r := m.do(t, token, row.query, x)
		if got := codeOf(r); got != want {
			t.Errorf("%s: got %q %s, want %q", who, got, errorsOf(r), orOK(want))
		}
		return r
	}
	// ADMIN: everything (mutations on missing objects: authorised, then
	// not found). VIEWER: every read, no mutation.
	if row.admin != skip {
		if mutation {
			check("ADMIN", m.s.Token, m.ghost, row.admin)
		} else {
			check("ADMIN", m.s.Token, m.b, row.admin)
		}
	}
	if mutation {
		check("VIEWER", m.viewer, m.a, row.viewer)
	} else {
		check("VIEWER", m.viewer, m.b, row.viewer)
	}
	// A partner on its own objects, and on B's: the answer for objects
	// that do not exist, never a word of B's.
	for _, p := range []struct{ who, token, want string }{
		{"PARTNER", m.partner, row.partner}, {"PARTNER with manage", m.manage, row.manage},
	} {
		if p.want != skip {
			r := check(p.who+" on A", p.token, m.a, p.want)
			if l := m.leaks(string(r.Data)+errorsOf(r), true); len(l) > 0 {
				t.Errorf("%s on A: the answer holds B's %v: %s %s", p.who, l, r.Data, errorsOf(r))
			}
		}
		onB, onGhost := m.do(t, p.token, row.query, m.b), m.do(t, p.token, row.query, m.ghost)
		if b, g := normalized(onB, m.b), normalized(onGhost, m.ghost); b != g {
			t.Errorf("%s on B's objects answers otherwise than on missing ones:\n B:       %s\n missing: %s", p.who, b, g)
		}
		if l := m.leaks(string(onB.Data)+errorsOf(onB), false); len(l) > 0 {
			t.Errorf("%s on B: the answer holds B's %v: %s %s", p.who, l, onB.Data, errorsOf(onB))
		}
	}
	// A revoked or expired PARTNER token: nothing.
	for who, token := range map[string]string{"revoked PARTNER": m.revoked, "expired PARTNER": m.expired} {
		if r := m.do(t, token, row.query, m.a); r.Code() != "UNAUTHENTICATED" || r.Status != http.StatusUnauthorized {
			t.Errorf("%s: %d %s %s, want 401 UNAUTHENTICATED", who, r.Status, r.Data, errorsOf(r))
		}
	}
}

func orOK(code string) string {
	if code == "" {
		return "no error"
	}
	return code
}

// counts: the partner's lists and totals are A's, and so are the totals
// under each of A's objects.
func (m *matrix) counts(t *testing.T) {
	r := m.s.DoAs(t, m.partner, `query($file: ID!, $folder: ID!, $hook: ID!) {
		webhooks { totalCount edges { node { id folders { id } } } }
		webhookCalls(first: 100) { totalCount edges { node { webhookName } } }
		files(first: 10) { totalCount edges { node { name callCount } } }
		folders(first: 10) { totalCount edges { node { name webhooks { name } files(first: 10) { totalCount } } } }
		shared: node(id: $folder) { ... on Folder { webhooks { id } files { totalCount } } }
		otherHooks: folders(where: {hasWebhooksWith: [{idNEQ: $hook}]}) { totalCount }
		noHooks: folders(where: {hasWebhooks: false}) { totalCount }
		otherCalls: webhookCalls(where: {hasFolderWith: [{hasWebhooksWith: [{idNEQ: $hook}]}]}) { totalCount }
		sharedFile: node(id: $file) { ... on File { callCount } }
	}`, map[string]any{"file": m.sharedFile, "folder": m.shared, "hook": m.a.Hook})
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", errorsOf(r))
	}
	if l := m.leaks(string(r.Data), true); len(l) > 0 {
		t.Errorf("the partner's lists hold B's %v: %s", l, r.Data)
	}
	var got struct {
		Webhooks     struct{ TotalCount int }
		WebhookCalls struct {
			TotalCount int
			Edges      []struct{ Node struct{ WebhookName string } }
		}
		Files   struct{ TotalCount int }
		Folders struct{ TotalCount int }
		Shared  struct {
			Webhooks []struct{ ID string }
			Files    struct{ TotalCount int }
		}
		SharedFile struct{ CallCount int }
		OtherHooks struct{ TotalCount int }
		NoHooks    struct{ TotalCount int }
		OtherCalls struct{ TotalCount int }
	}
	if err := json.Unmarshal(r.Data, &got); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"webhooks.totalCount", got.Webhooks.TotalCount, 1},
		{"webhookCalls.totalCount", got.WebhookCalls.TotalCount, m.aCalls},
		{"webhookCalls edges", len(got.WebhookCalls.Edges), m.aCalls},
		{"files.totalCount", got.Files.TotalCount, m.aFiles},
		{"folders.totalCount", got.Folders.TotalCount, m.aFolders},
		{"the shared folder's webhooks", len(got.Shared.Webhooks), 1},
		{"the shared folder's files", got.Shared.Files.TotalCount, 1},
		{"the shared file's callCount", got.SharedFile.CallCount, 1},
		{"folders with a webhook other than A", got.OtherHooks.TotalCount, 0},
		{"folders without webhooks", got.NoHooks.TotalCount, 0},
		{"calls in folders of a webhook other than A", got.OtherCalls.TotalCount, 0},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want A's %d", c.what, c.got, c.want)
		}
	}
}

// export: the call log export holds A's calls only, and a filter naming
// B's objects answers as one naming missing ones.
func (m *matrix) export(t *testing.T) {
	for _, file := range []string{"calls.csv", "calls.ndjson"} {
		r := getExport(t, m.s, m.partner, file, nil)
		lines := strings.Count(strings.TrimSpace(r.body), "\n") + 1
		if file == "calls.csv" {
			lines-- // the header
		}
		if r.status != 200 || lines != m.aCalls {
			t.Errorf("%s: %d, %d rows, want 200 and A's %d:\n%s", file, r.status, lines, m.aCalls, r.body)
		}
		if l := m.leaks(r.body, true); len(l) > 0 {
			t.Errorf("%s holds B's %v:\n%s", file, l, r.body)
		}
		for _, where := range []string{
			`{"hasWebhookWith": [{"id": "%[1]s"}]}`,
			`{"webhookID": "%[1]s"}`,
			`{"hasFolderWith": [{"hasWebhooksWith": [{"id": "%[1]s"}]}]}`,
			`{"hasFileWith": [{"hasFolderWith": [{"hasWebhooksWith": [{"name": "%[2]s"}]}]}]}`,
			`{"hasFolderWith": [{"id": "%[3]s"}]}`,
		} {
			onB := getExport(t, m.s, m.partner, file, url.Values{"where": {fmt.Sprintf(where, m.b.Hook, m.b.HookName, m.b.Folder)}})
			onGhost := getExport(t, m.s, m.partner, file, url.Values{"where": {fmt.Sprintf(where, m.ghost.Hook, m.ghost.HookName, m.ghost.Folder)}})
			if onB.status != onGhost.status || onB.body != onGhost.body {
				t.Errorf("%s where %s: B's answer %d %q, a missing one's %d %q", file, where, onB.status, onB.body, onGhost.status, onGhost.body)
			}
		}
		for who, token := range map[string]string{"revoked": m.revoked, "expired": m.expired} {
			if r := getExport(t, m.s, token, file, nil); r.status != http.StatusUnauthorized {
				t.Errorf("%s %s: %d, want 401", who, file, r.status)
			}
		}
		if r := getExport(t, m.s, m.viewer, file, nil); r.status != 200 || !strings.Contains(r.body, "hook-bravo") {
			t.Errorf("viewer %s: %d, without B's calls:\n%s", file, r.status, r.body)
		}
	}
}

// downloads: a partner gets working links to the files its calls
// delivered, and none to others (the link is signed, not authenticated:
// whoever has it downloads, so what matters is that a partner never gets
// B's).
func (m *matrix) downloads(t *testing.T) {
	var out struct {
		Node struct{ DownloadURL string }
	}
	r := m.s.DoAs(t, m.partner, `query($file: ID!) { node(id: $file) { ... on File { downloadURL } } }`, map[string]any{"file": m.a.File})
	if err := json.Unmarshal(r.Data, &out); err != nil || len(r.Errors) > 0 {
		t.Fatalf("A's file: %s %s", r.Data, errorsOf(r))
	}
	resp, body := fetch(t, out.Node.DownloadURL, nil)
	if resp.StatusCode != 200 || string(body) != "content of file-alpha.txt" {
		t.Errorf("A's file's link: %d %q", resp.StatusCode, body)
	}
	// Every way to a link: files, calls' files and payloads, folders' files.
	r = m.s.DoAs(t, m.partner, `{
		files(first: 10) { edges { node { downloadURL } } }
		webhookCalls(first: 10) { edges { node { payload file { downloadURL } attempts { responseBody } } } }
		folders(first: 10) { edges { node { files(first: 10) { edges { node { downloadURL } } } } } }
	}`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", errorsOf(r))
	}
	if l := m.leaks(strings.ReplaceAll(string(r.Data), `\/`, `/`), true); len(l) > 0 {
		t.Errorf("the partner's reads hold B's %v: %s", l, r.Data)
	}
}

// subscription: a partner's subscription, with no filter or with B's
// webhook, gets A's calls only.
func (m *matrix) subscription(t *testing.T) {
	// With the call's edges, each event is read again for the subscriber
	// (through its scope); without, the event's snapshot is all it gets.
	const (
		flat  = `id webhookName fileName folderName targetURL payload status`
		edges = flat + ` webhook { id name } file { name } folder { name webhooks { name } } attempts { number }`
	)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, local := dialGraphQLWSFrom(ctx, t, m.s)
	if ack, err := initSocket(ctx, t, c, m.partner); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("no connection_ack: %+v %v", ack, err)
	}
	ws := &wsConn{t: t, c: c, ctx: ctx}
	subscribeOn := func(id, args, fields string) {
		payload, _ := json.Marshal(map[string]any{"query": `subscription { webhookCallUpdated` + args + ` { ` + fields + ` } }`})
		if err := wsjson.Write(ctx, ws.c, wsMsg{ID: id, Type: "subscribe", Payload: payload}); err != nil {
			t.Fatal(err)
		}
	}
	onB := `(webhookID: "` + m.b.Hook + `")`
	subscribeOn("all", "", flat)
	subscribeOn("all with edges", "", edges)
	subscribeOn("B's", onB, flat)
	subscribeOn("B's with edges", onB, edges)
	testenv.Eventually(t, 20*time.Second, "the subscriptions to be in place", func() bool {
		return m.s.Sockets().Subscribed(local) == 4
	})
	admin := subscribe(t, m.s, m.s.Token, `subscription($id: ID) { webhookCallUpdated(webhookID: $id) { id status } }`)
	// B's test call first, to its end, then A's.
	var b struct{ SendTestFile struct{ ID string } }
	m.s.MustDo(t, `mutation($h: ID!, $f: ID!) { sendTestFile(webhookID: $h, fileID: $f) { id } }`, map[string]any{"h": m.b.Hook, "f": m.b.File}, &b)
	for done := false; !done; {
		select {
		case e := <-admin:
			done = strings.Contains(string(e), b.SendTestFile.ID) && strings.Contains(string(e), "SUCCEEDED")
		case <-ctx.Done():
			t.Fatal("B's test call did not succeed")
		}
	}
	var a struct{ SendTestFile struct{ ID string } }
	if r := m.s.DoAs(t, m.partner, `mutation($h: ID!, $f: ID!) { sendTestFile(webhookID: $h, fileID: $f) { id } }`, map[string]any{"h": m.a.Hook, "f": m.a.File}); len(r.Errors) > 0 {
		t.Fatalf("A's test call: %s", errorsOf(r))
	} else {
		_ = json.Unmarshal(r.Data, &a)
	}
	// Until both subscriptions of every call saw A's test call succeed.
	for waiting := map[string]bool{"all": true, "all with edges": true}; len(waiting) > 0; {
		msg, err := ws.next(ctx)
		if err != nil {
			t.Fatalf("the partner's subscriptions ended before A's test call succeeded: %v", err)
		}
		if msg.Type != "next" {
			t.Fatalf("subscription %q: %s %s", msg.ID, msg.Type, msg.Payload)
		}
		if strings.HasPrefix(msg.ID, "B's") || strings.Contains(string(msg.Payload), "bravo") || strings.Contains(string(msg.Payload), `"`+b.SendTestFile.ID+`"`) {
			t.Fatalf("the partner's subscription %q got B's call: %s", msg.ID, msg.Payload)
		}
		if strings.Contains(string(msg.Payload), a.SendTestFile.ID) && strings.Contains(string(msg.Payload), "SUCCEEDED") {
			delete(waiting, msg.ID)
		}
	}
}
