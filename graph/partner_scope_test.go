package graph_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// partnerFixture is two webhooks, A and B, each in a folder of its own
// with a file delivered to it, and a PARTNER token for A.
type partnerFixture struct {
	hookA, hookB     string
	folderA, folderB string
	fileA, fileB     string
	token            string // A's PARTNER token
}

func newPartnerFixture(t *testing.T, s *testenv.Server, manage bool) partnerFixture {
	t.Helper()
	rc := testenv.NewReceiver(t)
	var f partnerFixture
	for _, x := range []struct {
		name               string
		hook, folder, file *string
	}{
		{"partner-a", &f.hookA, &f.folderA, &f.fileA}, {"partner-b", &f.hookB, &f.folderB, &f.fileB},
	} {
		var folder struct{ CreateFolder struct{ ID string } }
		s.MustDo(t, `mutation($n: String!) { createFolder(input: {name: $n}) { id } }`, map[string]any{"n": x.name}, &folder)
		*x.folder = folder.CreateFolder.ID
		var hook struct{ CreateWebhook struct{ ID string } }
		s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": x.name, "url": rc.URL, "active": true, "folderIDs": []string{*x.folder}}}, &hook)
		*x.hook = hook.CreateWebhook.ID
		r := s.Upload(t, *x.folder, x.name+".txt", "text/plain", []byte(x.name))
		var up struct{ UploadFile struct{ ID string } }
		if err := json.Unmarshal(r.Data, &up); err != nil || len(r.Errors) > 0 {
			t.Fatalf("upload: %v %+v", err, r.Errors)
		}
		*x.file = up.UploadFile.ID
	}
	var tok struct{ CreateApiToken struct{ Secret string } }
	s.MustDo(t, `mutation($in: CreateApiTokenInput!) { createApiToken(input: $in) { secret } }`, map[string]any{"in": map[string]any{
		"name": "partner A", "role": "PARTNER", "webhookIDs": []string{f.hookA}, "manage": manage}}, &tok)
	f.token = tok.CreateApiToken.Secret
	return f
}

// TestPartnerSeesOnlyItsWebhooks is the scope's first proof: a PARTNER
// token lists, counts and reaches only its own webhook and what hangs off it.
func TestPartnerSeesOnlyItsWebhooks(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, nil)
			f := newPartnerFixture(t, s, false)
			for _, id := range []string{f.hookB, f.fileB, f.folderB} {
				r := s.DoAs(t, f.token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
				if r.Code() != "NOT_FOUND" || string(r.Data) != `{"node":null}` {
					t.Errorf("node(%s) = %s %s %+v, want null and NOT_FOUND as for an ID that does not exist", id, r.Data, r.Code(), r.Errors)
				}
			}
			r := s.DoAs(t, f.token, `query {
				webhooks { totalCount edges { node { id } } }
				webhookCalls { totalCount }
				files { totalCount edges { node { id } } }
				folders { totalCount edges { node { id name } } }
				viewer { role webhooks { id } manage }
			}`, nil)
			if len(r.Errors) > 0 {
				t.Fatalf("errors: %+v", r.Errors)
			}
			var got struct {
				Webhooks struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
				WebhookCalls struct{ TotalCount int }
				Files        struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
				Folders struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID, Name string } }
				}
				Viewer struct {
					Role     string
					Webhooks []struct{ ID string }
					Manage   bool
				}
			}
			if err := json.Unmarshal(r.Data, &got); err != nil {
				t.Fatal(err)
			}
			if got.Webhooks.TotalCount != 1 || len(got.Webhooks.Edges) != 1 || got.Webhooks.Edges[0].Node.ID != f.hookA {
				t.Errorf("webhooks: %+v, want only A (%s)", got.Webhooks, f.hookA)
			}
			if got.Files.TotalCount != 1 || got.Files.Edges[0].Node.ID != f.fileA {
				t.Errorf("files: %+v, want only A's (%s)", got.Files, f.fileA)
			}
			if got.Folders.TotalCount != 1 || got.Folders.Edges[0].Node.ID != f.folderA {
				t.Errorf("folders: %+v, want only A's (%s)", got.Folders, f.folderA)
			}
			if got.WebhookCalls.TotalCount < 1 {
				t.Errorf("webhookCalls: %+v, want A's", got.WebhookCalls)
			}
			if got.Viewer.Role != "PARTNER" || len(got.Viewer.Webhooks) != 1 || got.Viewer.Webhooks[0].ID != f.hookA || got.Viewer.Manage {
				t.Errorf("viewer %+v", got.Viewer)
			}
			// Mutations: its own webhook's secret rotates, and the partner
			// reads the new one (its receiver checks signatures with it); B's
			// is not found; what is the platform's is refused.
			var rotated struct {
				RotateWebhookSecret struct{ SigningSecret *string }
			}
			if r := s.DoAs(t, f.token, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { id signingSecret } }`, map[string]any{"id": f.hookA}); len(r.Errors) > 0 {
				t.Errorf("rotate A: %+v", r.Errors)
			} else if err := json.Unmarshal(r.Data, &rotated); err != nil || rotated.RotateWebhookSecret.SigningSecret == nil ||
				!strings.HasPrefix(*rotated.RotateWebhookSecret.SigningSecret, "whsec_") {
				t.Errorf("rotate A: %s, want the new whsec_ secret", r.Data)
			}
			if r := s.DoAs(t, f.token, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { id } }`, map[string]any{"id": f.hookB}); r.Code() != "NOT_FOUND" {
				t.Errorf("rotate B: %s %+v, want NOT_FOUND", r.Code(), r.Errors)
			}
			if r := s.DoAs(t, f.token, `mutation($id: ID!) { updateWebhook(id: $id, input: {timeoutSeconds: 5}) { id } }`, map[string]any{"id": f.hookA}); r.Code() != "FORBIDDEN" {
				t.Errorf("update without manage: %s %+v, want FORBIDDEN", r.Code(), r.Errors)
			}
			if r := s.DoAs(t, f.token, `mutation { createFolder(input: {name: "x"}) { id } }`, nil); r.Code() != "FORBIDDEN" {
				t.Errorf("createFolder: %s %+v, want FORBIDDEN", r.Code(), r.Errors)
			}
		})
	}
}

// A PARTNER's subscription that names no webhook gets the updates of its
// own webhooks' calls only: B's, published first (an admin's subscription
// sees them), never reach it.
func TestPartnerSubscriptionSeesOnlyItsCalls(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, nil)
			f := newPartnerFixture(t, s, false)
			const q = `subscription { webhookCallUpdated { status webhookName fileName } }`
			all := subscribe(t, s, s.Token, q)
			mine := subscribe(t, s, f.token, q)
			type update struct{ Status, WebhookName, FileName string }
			next := func(events <-chan json.RawMessage, who string) update {
				t.Helper()
				select {
				case data, ok := <-events:
					if !ok {
						t.Fatalf("%s's subscription ended", who)
					}
					var e struct{ WebhookCallUpdated update }
					if err := json.Unmarshal(data, &e); err != nil {
						t.Fatalf("%s's update %s: %v", who, data, err)
					}
					return e.WebhookCallUpdated
				case <-time.After(time.Minute):
					t.Fatalf("timed out waiting for an update of %s's subscription", who)
				}
				return update{}
			}
			upload := func(folder, name string) {
				t.Helper()
				if r := s.Upload(t, folder, name, "text/plain", []byte(name)); len(r.Errors) > 0 {
					t.Fatalf("upload %s: %+v", name, r.Errors)
				}
			}
			upload(f.folderB, "b2.txt")
			for u := next(all, "the admin"); u != (update{"SUCCEEDED", "partner-b", "b2.txt"}); u = next(all, "the admin") {
			}
			upload(f.folderA, "a2.txt")
			for {
				u := next(mine, "partner A")
				if u.WebhookName != "partner-a" {
					t.Errorf("partner A got an update of %+v", u)
				}
				if u == (update{"SUCCEEDED", "partner-a", "a2.txt"}) {
					break
				}
			}
		})
	}
}
