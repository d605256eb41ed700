package graph_test

import (
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// A webhook with neither folders nor all folders is not active, whatever
// its switch says, and says why; no upload calls it. The list (folders
// loaded with the page or not) and a single webhook agree.
func TestWebhookActivity(t *testing.T) {
	t.Parallel()
	eachBackend(t, map[string]string{"TEST_NO_WORKER": "1"}, func(t *testing.T, s *testenv.Server) {
		folder := createFolder(t, s, "inbox")
		url := "http://127.0.0.1:1/hook"
		type want struct{ activity, reason string }
		hooks := []struct {
			in   map[string]any
			want want
		}{
			{map[string]any{"name": "new"}, want{"NO_FOLDERS", "no folders assigned, and switched off"}},
			{map[string]any{"name": "on-no-folders", "active": true}, want{"NO_FOLDERS", "no folders assigned"}},
			{map[string]any{"name": "on-folder", "active": true, "folderIDs": []string{folder}}, want{"ACTIVE", ""}},
			{map[string]any{"name": "off-all", "allFolders": true}, want{"INACTIVE", "switched off"}},
			{map[string]any{"name": "on-all", "active": true, "allFolders": true}, want{"ACTIVE", ""}},
		}
		ids := map[string]want{}
		for _, h := range hooks {
			h.in["url"] = url
			ids[createWebhook(t, s, h.in).ID] = h.want
		}
		type node struct {
			ID             string
			Activity       string
			InactiveReason *string
		}
		check := func(what string, got node) {
			t.Helper()
			w := ids[got.ID]
			reason := ""
			if got.InactiveReason != nil {
				reason = *got.InactiveReason
			}
			if got.Activity != w.activity || reason != w.reason {
				t.Errorf("%s: webhook %s: activity %s (%q), want %s (%q)", what, got.ID, got.Activity, reason, w.activity, w.reason)
			}
		}
		for what, q := range map[string]string{
			"list":              `{ webhooks(first: 10) { edges { node { id activity inactiveReason } } } }`,
			"list with folders": `{ webhooks(first: 10) { edges { node { id activity inactiveReason folders { id } } } } }`,
		} {
			var out struct {
				Webhooks struct{ Edges []struct{ Node node } }
			}
			s.MustDo(t, q, nil, &out)
			if len(out.Webhooks.Edges) != len(hooks) {
				t.Fatalf("%s: %d webhooks, want %d", what, len(out.Webhooks.Edges), len(hooks))
			}
			for _, e := range out.Webhooks.Edges {
				check(what, e.Node)
			}
		}
		for id := range ids {
			var out struct{ Node node }
			s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Webhook { id activity inactiveReason } } }`, map[string]any{"id": id}, &out)
			check("node", out.Node)
		}

		// Only the two active webhooks are called for a new file.
		if r := s.Upload(t, folder, "clip.mov", "video/quicktime", []byte("x")); len(r.Errors) > 0 {
			t.Fatalf("upload: %+v", r.Errors)
		}
		var files struct {
			Files struct {
				Edges []struct{ Node struct{ CallCount int } }
			}
		}
		s.MustDo(t, `{ files(first: 1) { edges { node { callCount } } } }`, nil, &files)
		if n := files.Files.Edges[0].Node.CallCount; n != 2 {
			t.Errorf("the upload made %d calls, want 2 (the ACTIVE webhooks)", n)
		}

		// Assigning a folder makes the switched-on webhook active.
		var id string
		for i, w := range ids {
			if w.reason == "no folders assigned" {
				id = i
			}
		}
		var upd struct{ UpdateWebhook node }
		s.MustDo(t, `mutation($id: ID!, $f: ID!) { updateWebhook(id: $id, input: {addFolderIDs: [$f]}) { id activity inactiveReason } }`,
			map[string]any{"id": id, "f": folder}, &upd)
		ids[id] = want{"ACTIVE", ""}
		check("after assigning a folder", upd.UpdateWebhook)
	})
}
