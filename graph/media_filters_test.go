package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// mediaFile is a file a media team uploads: its name, type and size.
type mediaFile struct {
	name, typ string
	size      int
}

func uploadMedia(t *testing.T, s *testenv.Server, folder string, files []mediaFile) {
	t.Helper()
	for _, f := range files {
		if r := s.Upload(t, folder, f.name, f.typ, []byte(strings.Repeat("x", f.size))); len(r.Errors) > 0 {
			t.Fatalf("upload %s: %+v", f.name, r.Errors)
		}
	}
}

type mediaCall struct {
	FileName string
	Filter   *string
	Filters  *string
}

// deliveryCalls are the delivery calls of webhook id.
func deliveryCalls(t *testing.T, s *testenv.Server, id string) []mediaCall {
	t.Helper()
	var out struct {
		WebhookCalls struct{ Edges []struct{ Node mediaCall } }
	}
	s.MustDo(t, `query($id: ID!) { webhookCalls(first: 100, where: {kind: DELIVERY, webhookID: $id}) { edges { node { fileName filter filters } } } }`,
		map[string]any{"id": id}, &out)
	var calls []mediaCall
	for _, e := range out.WebhookCalls.Edges {
		calls = append(calls, e.Node)
	}
	return calls
}

func callNames(calls []mediaCall) []string {
	var names []string
	for _, c := range calls {
		names = append(names, c.FileName)
	}
	slices.Sort(names)
	return names
}

// Each media filter picks the files it names, and a call records the
// filters in force.
func TestMediaFiltersDispatch(t *testing.T) {
	t.Parallel()
	eachBackend(t, map[string]string{"TEST_NO_WORKER": "1"}, func(t *testing.T, s *testenv.Server) {
		folder := createFolder(t, s, "media")
		hooks := []struct {
			name  string
			input map[string]any
			want  []string
			descr string
		}{
			{"plain", map[string]any{}, []string{"CLIP_02.MP4", "clip_01.mp4", "clip_1.mp4", "interview.mov", "notes.pdf", "poster.png", "still.jpg"}, ""},
			{"types", map[string]any{"contentTypes": []string{"video/*", "Image/PNG"}},
				[]string{"CLIP_02.MP4", "clip_01.mp4", "clip_1.mp4", "interview.mov", "poster.png"}, "type video/*, image/png"},
			{"glob", map[string]any{"nameGlob": "clip_??.mp4"}, []string{"CLIP_02.MP4", "clip_01.mp4"}, "name clip_??.mp4"},
			{"glob mov", map[string]any{"nameGlob": "*.MOV"}, []string{"interview.mov"}, "name *.MOV"},
			{"least size", map[string]any{"minSizeBytes": 500}, []string{"interview.mov", "notes.pdf"}, "size ≥ 500 bytes"},
			{"greatest size", map[string]any{"maxSizeBytes": 10}, []string{"clip_1.mp4", "still.jpg"}, "size ≤ 10 bytes"},
			{"range", map[string]any{"minSizeBytes": 10, "maxSizeBytes": 200}, []string{"CLIP_02.MP4", "clip_01.mp4", "poster.png", "still.jpg"}, "size 10–200 bytes"},
			{"all with filter", map[string]any{"filter": "clip", "contentTypes": []string{"video/mp4"}, "nameGlob": "*[0-9][0-9].mp4", "minSizeBytes": 100},
				[]string{"CLIP_02.MP4"}, "type video/mp4; name *[0-9][0-9].mp4; size ≥ 100 bytes"},
		}
		ids := make([]string, len(hooks))
		for i, h := range hooks {
			in := map[string]any{"name": h.name, "url": fmt.Sprint("http://127.0.0.1:1/", i), "active": true, "folderIDs": []string{folder}}
			for k, v := range h.input {
				in[k] = v
			}
			ids[i] = createWebhook(t, s, in).ID
		}
		uploadMedia(t, s, folder, []mediaFile{
			{"clip_01.mp4", "video/mp4", 50},
			{"CLIP_02.MP4", "video/mp4", 150},
			{"clip_1.mp4", "video/mp4", 5},
			{"interview.mov", "video/quicktime", 900},
			{"poster.png", "image/png", 100},
			{"still.jpg", "image/jpeg", 10},
			{"notes.pdf", "application/pdf", 4000},
		})
		for i, h := range hooks {
			calls := deliveryCalls(t, s, ids[i])
			if got := callNames(calls); !slices.Equal(got, h.want) {
				t.Errorf("%s: calls for %q, want %q", h.name, got, h.want)
			}
			for _, c := range calls {
				got := ""
				if c.Filters != nil {
					got = *c.Filters
				}
				if got != h.descr {
					t.Errorf("%s: call of %s records filters %q, want %q", h.name, c.FileName, got, h.descr)
				}
			}
		}
		// The filters are read back as saved, and a change applies to the
		// next files.
		var wh struct {
			Node struct {
				ContentTypes []string
				NameGlob     *string
				MinSizeBytes *int
				MaxSizeBytes *int
			}
		}
		s.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Webhook { contentTypes nameGlob minSizeBytes maxSizeBytes } } }`, map[string]any{"id": ids[7]}, &wh)
		if n := wh.Node; !slices.Equal(n.ContentTypes, []string{"video/mp4"}) || n.NameGlob == nil || *n.NameGlob != "*[0-9][0-9].mp4" ||
			n.MinSizeBytes == nil || *n.MinSizeBytes != 100 || n.MaxSizeBytes != nil {
			t.Errorf("webhook read back: %+v", n)
		}
		s.MustDo(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {clearContentTypes: true, clearNameGlob: true, clearMinSizeBytes: true, maxSizeBytes: 60}) { id } }`,
			map[string]any{"id": ids[7]}, nil)
		uploadMedia(t, s, folder, []mediaFile{{"clip_03.mov", "video/quicktime", 60}, {"clip_04.mov", "video/quicktime", 61}})
		calls := deliveryCalls(t, s, ids[7])
		if got, want := callNames(calls), []string{"CLIP_02.MP4", "clip_03.mov"}; !slices.Equal(got, want) {
			t.Errorf("after the update: calls for %q, want %q", got, want)
		}
		for _, c := range calls {
			if c.FileName == "clip_03.mov" && (c.Filters == nil || *c.Filters != "size ≤ 60 bytes" || c.Filter == nil || *c.Filter != "clip") {
				t.Errorf("call of clip_03.mov records filter %v, filters %v", c.Filter, c.Filters)
			}
		}
	})
}

// Bad filters are refused, each naming its field, on create, update and
// preview.
func TestMediaFiltersBadInput(t *testing.T) {
	t.Parallel()
	eachBackend(t, map[string]string{"TEST_NO_WORKER": "1"}, func(t *testing.T, s *testenv.Server) {
		wh := createWebhook(t, s, map[string]any{"name": "w", "url": "http://127.0.0.1:1/", "maxSizeBytes": 100})
		for _, tc := range []struct {
			name  string
			input map[string]any
			field string
		}{
			{"glob not closed", map[string]any{"nameGlob": "clip_[0-9.mp4"}, "nameGlob"},
			{"glob range downwards", map[string]any{"nameGlob": "[z-a]*"}, "nameGlob"},
			{"content type without subtype", map[string]any{"contentTypes": []string{"video/*", "video"}}, "contentTypes.1"},
			{"content type wildcard type", map[string]any{"contentTypes": []string{"*/*"}}, "contentTypes.0"},
			{"content type with parameters", map[string]any{"contentTypes": []string{"text/plain; charset=utf-8"}}, "contentTypes.0"},
			{"negative least size", map[string]any{"minSizeBytes": -1}, "minSizeBytes"},
			{"negative greatest size", map[string]any{"maxSizeBytes": -1}, "maxSizeBytes"},
			{"least above greatest", map[string]any{"minSizeBytes": 10, "maxSizeBytes": 9}, "minSizeBytes"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := map[string]any{"name": "bad", "url": "http://127.0.0.1:1/"}
				for k, v := range tc.input {
					in[k] = v
				}
				for what, r := range map[string]*testenv.Response{
					"create":  s.Do(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": in}),
					"update":  s.Do(t, `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { id } }`, map[string]any{"id": wh.ID, "in": tc.input}),
					"preview": s.Do(t, `query($in: WebhookPreviewInput!) { webhookPreview(input: $in) { matched } }`, map[string]any{"in": tc.input}),
				} {
					if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.field || !strings.HasPrefix(r.Errors[0].Message, tc.field+":") {
						t.Errorf("%s: errors %+v, want BAD_USER_INPUT on field %q", what, r.Errors, tc.field)
					}
				}
			})
		}
		// The stored greatest size bounds a new least size.
		r := s.Do(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {minSizeBytes: 101}) { id } }`, map[string]any{"id": wh.ID})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "minSizeBytes" {
			t.Errorf("least size above the stored greatest: %+v", r.Errors)
		}
		r = s.Do(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {minSizeBytes: 101, clearMaxSizeBytes: true}) { minSizeBytes maxSizeBytes } }`, map[string]any{"id": wh.ID})
		if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"minSizeBytes":101,"maxSizeBytes":null`) {
			t.Errorf("least size with the greatest cleared: %s %+v", r.Data, r.Errors)
		}
	})
}

// previewOut is the answer of webhookPreview.
type previewOut struct {
	Matched, Examined int
	Names             []string
}

const previewQuery = `query($in: WebhookPreviewInput!) { webhookPreview(input: $in) { matched examined names } }`

// The preview and real delivery pick the same files: 36 files are
// uploaded, each filter set previewed, then a webhook with those filters
// made and the same files uploaded again; its calls are for the names the
// preview named.
func TestWebhookPreviewAgreesWithDelivery(t *testing.T) {
	t.Parallel()
	eachBackend(t, map[string]string{"TEST_NO_WORKER": "1"}, func(t *testing.T, s *testenv.Server) {
		folder, elsewhere := createFolder(t, s, "shoot"), createFolder(t, s, "elsewhere")
		var table []mediaFile
		types := []string{"video/mp4", "video/quicktime", "image/png", "image/jpeg", "audio/wav", "application/pdf"}
		exts := []string{"mp4", "MOV", "png", "jpg", "wav", "pdf"}
		for i := 0; i < 36; i++ {
			k := i % len(types)
			table = append(table, mediaFile{fmt.Sprintf("take_%02d.%s", i, exts[k]), types[k], 1 + i*37%400})
		}
		uploadMedia(t, s, folder, table)
		uploadMedia(t, s, elsewhere, []mediaFile{{"take_99.mp4", "video/mp4", 50}})
		sets := []map[string]any{
			{"contentTypes": []string{"video/*"}},
			{"contentTypes": []string{"image/png", "audio/*"}, "maxSizeBytes": 300},
			{"nameGlob": "take_[0-1]?.*"},
			{"nameGlob": "*.mov"},
			{"minSizeBytes": 100, "maxSizeBytes": 250},
			{"filter": "_2", "contentTypes": []string{"video/*", "image/*"}},
			{"nameGlob": "take_?[!0-4].*", "minSizeBytes": 50},
		}
		previews := make([]previewOut, len(sets))
		hooks := make([]string, len(sets))
		for i, filters := range sets {
			in := map[string]any{"folderIDs": []string{folder}}
			for k, v := range filters {
				in[k] = v
			}
			var p struct{ WebhookPreview previewOut }
			s.MustDo(t, previewQuery, map[string]any{"in": in}, &p)
			pv := p.WebhookPreview
			if pv.Examined != len(table) || pv.Matched == 0 || pv.Matched == len(table) || pv.Matched > 20 || len(pv.Names) != pv.Matched {
				t.Fatalf("preview %d %+v: want all %d examined, some but not all (at most 20) matched, each named", i, pv, len(table))
			}
			previews[i] = pv
			in["name"], in["url"], in["active"] = fmt.Sprint("agree-", i), "http://127.0.0.1:1/", true
			hooks[i] = createWebhook(t, s, in).ID
		}
		uploadMedia(t, s, folder, table)
		for i, pv := range previews {
			got := callNames(deliveryCalls(t, s, hooks[i]))
			want := slices.Clone(pv.Names)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("filters %v: delivery called for %q, the preview named %q", sets[i], got, want)
			}
		}
	})
}

// webhookPreview examines the last 1,000 files of the folders, or of
// every folder; VIEWER tokens may run it, PARTNER tokens may not.
func TestWebhookPreviewScope(t *testing.T) {
	t.Parallel()
	eachBackend(t, map[string]string{"TEST_NO_WORKER": "1"}, func(t *testing.T, s *testenv.Server) {
		f := newPartnerFixture(t, s, true) // partner-a.txt, partner-b.txt
		preview := func(token string, in map[string]any) (previewOut, *testenv.Response) {
			r := s.DoAs(t, token, previewQuery, map[string]any{"in": in})
			var out struct{ WebhookPreview previewOut }
			if len(r.Errors) == 0 {
				if err := json.Unmarshal(r.Data, &out); err != nil {
					t.Fatal(err)
				}
			}
			return out.WebhookPreview, r
		}
		admin := s.Token
		if p, r := preview(admin, map[string]any{"folderIDs": []string{f.folderA}}); len(r.Errors) > 0 || p.Examined != 1 || !slices.Equal(p.Names, []string{"partner-a.txt"}) {
			t.Errorf("folder A: %+v %+v", p, r.Errors)
		}
		if p, r := preview(admin, map[string]any{"allFolders": true, "nameGlob": "partner-?.txt"}); len(r.Errors) > 0 || p.Examined != 2 || p.Matched != 2 {
			t.Errorf("all folders: %+v %+v", p, r.Errors)
		}
		if p, r := preview(admin, map[string]any{}); len(r.Errors) > 0 || p.Examined != 0 || p.Names == nil {
			t.Errorf("no folder: %+v %+v", p, r.Errors)
		}
		if _, r := preview(admin, map[string]any{"folderIDs": []string{"8589939999"}}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "folderIDs" {
			t.Errorf("unknown folder: %+v", r.Errors)
		}
		var tok struct{ CreateApiToken struct{ Secret string } }
		s.MustDo(t, `mutation { createApiToken(input: {name: "reader", role: VIEWER}) { secret } }`, nil, &tok)
		if p, r := preview(tok.CreateApiToken.Secret, map[string]any{"allFolders": true}); len(r.Errors) > 0 || p.Matched != 2 {
			t.Errorf("viewer: %+v %+v", p, r.Errors)
		}
		if _, r := preview(f.token, map[string]any{"folderIDs": []string{f.folderA}}); r.Code() != "FORBIDDEN" {
			t.Errorf("partner: %+v, want FORBIDDEN", r.Errors)
		}
		// A partner may not change the media filters either.
		r := s.DoAs(t, f.token, `mutation($id: ID!) { updateWebhook(id: $id, input: {nameGlob: "*.mov"}) { id } }`, map[string]any{"id": f.hookA})
		if r.Code() != "FORBIDDEN" || !strings.Contains(r.Errors[0].Message, "nameGlob") {
			t.Errorf("partner sets nameGlob: %+v, want FORBIDDEN naming nameGlob", r.Errors)
		}
	})
}
