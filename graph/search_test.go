package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// The search of folders and webhooks finds the same rows on both backends:
// it ignores case and the spaces around the text, % and _ are literal
// characters, a webhook is found by its name, its URL (admins only) or the
// name of one of its folders, and search combines with the other
// predicates (it is a field of the where input, so it nests too).
func TestSearchFoldersAndWebhooks(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s, st := testenv.StartCountingServer(t, kind, map[string]string{"TEST_NO_WORKER": "1"})
			ids := map[string]string{}
			for _, name := range []string{"Inbox Paris", "inbox-lyon", "50%_off", "5000-off", "Archive"} {
				ids[name] = createFolder(t, s, name)
			}
			createWebhook(t, s, map[string]any{"name": "Partner Alpha", "url": "http://127.0.0.1:1/alpha?token=SECRETVALUE"})
			createWebhook(t, s, map[string]any{"name": "beta", "url": "http://127.0.0.1:1/Hooks/Beta", "folderIDs": []string{ids["Inbox Paris"]}})
			createWebhook(t, s, map[string]any{"name": "gamma 100%", "url": "http://127.0.0.1:1/g", "folderIDs": []string{ids["Archive"], ids["50%_off"]}})

			folders := func(token, where string, vars map[string]any) []string {
				t.Helper()
				r := s.DoAs(t, token, `query($s: String) { folders(first: 50, orderBy: {field: NAME, direction: ASC}, where: `+where+`) { edges { node { name } } } }`, vars)
				if len(r.Errors) > 0 {
					t.Fatalf("folders %s %v: %+v", where, vars, r.Errors)
				}
				var out struct {
					Folders struct {
						Edges []struct{ Node struct{ Name string } }
					}
				}
				if err := json.Unmarshal(r.Data, &out); err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range out.Folders.Edges {
					got = append(got, e.Node.Name)
				}
				return got
			}
			for _, tc := range []struct {
				search string
				want   []string
			}{
				{"inbox", []string{"Inbox Paris", "inbox-lyon"}},
				{"INBOX-L", []string{"inbox-lyon"}},
				{"  paris  ", []string{"Inbox Paris"}},
				{"%", []string{"50%_off"}},
				{"_", []string{"50%_off"}},
				{"0%_o", []string{"50%_off"}},
				{"0_", nil},
				{"off", []string{"50%_off", "5000-off"}},
				{"", []string{"50%_off", "5000-off", "Archive", "Inbox Paris", "inbox-lyon"}},
				{"nothing like it", nil},
			} {
				if got := folders(s.Token, `{search: $s}`, map[string]any{"s": tc.search}); !slices.Equal(got, tc.want) {
					t.Errorf("folders search %q: got %q, want %q", tc.search, got, tc.want)
				}
			}
			// search combines with the generated predicates.
			if got := folders(s.Token, `{search: $s, nameHasPrefix: "5"}`, map[string]any{"s": "off"}); !slices.Equal(got, []string{"50%_off", "5000-off"}) {
				t.Errorf("search and nameHasPrefix: got %q", got)
			}
			if got := folders(s.Token, `{search: $s, not: {search: "5000"}}`, map[string]any{"s": "off"}); !slices.Equal(got, []string{"50%_off"}) {
				t.Errorf("search and not search: got %q", got)
			}
			if kind == testenv.Postgres {
				checkTrigramPlan(t, s, st.List(), `"folders"."name" ILIKE`, "folder_name_trgm")
			}

			viewer := viewerToken(t, s)
			webhooks := func(token, search string) []string {
				t.Helper()
				r := s.DoAs(t, token, `query($s: String) { webhooks(first: 50, orderBy: {field: NAME, direction: ASC}, where: {search: $s}) { edges { node { name } } } }`, map[string]any{"s": search})
				if len(r.Errors) > 0 {
					t.Fatalf("webhooks %q: %+v", search, r.Errors)
				}
				var out struct {
					Webhooks struct {
						Edges []struct{ Node struct{ Name string } }
					}
				}
				if err := json.Unmarshal(r.Data, &out); err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range out.Webhooks.Edges {
					got = append(got, e.Node.Name)
				}
				return got
			}
			for _, tc := range []struct {
				search        string
				admin, viewer []string
			}{
				{"partner", []string{"Partner Alpha"}, []string{"Partner Alpha"}},
				{"BETA", []string{"beta"}, []string{"beta"}},
				{"hooks/b", []string{"beta"}, nil},                         // URL: admins only
				{"secretvalue", []string{"Partner Alpha"}, nil},            // a credential in the URL stays hidden
				{"paris", []string{"beta"}, []string{"beta"}},              // folder name
				{"ARCHIV", []string{"gamma 100%"}, []string{"gamma 100%"}}, // folder name
				{"%", []string{"gamma 100%"}, []string{"gamma 100%"}},      // name and folder 50%_off
				{"_", []string{"gamma 100%"}, []string{"gamma 100%"}},      // folder 50%_off
				{"a", []string{"Partner Alpha", "beta", "gamma 100%"}, []string{"Partner Alpha", "beta", "gamma 100%"}},
				{"zzz", nil, nil},
			} {
				if got := webhooks(s.Token, tc.search); !slices.Equal(got, tc.admin) {
					t.Errorf("webhooks search %q as admin: got %q, want %q", tc.search, got, tc.admin)
				}
				if got := webhooks(viewer, tc.search); !slices.Equal(got, tc.viewer) {
					t.Errorf("webhooks search %q as viewer: got %q, want %q", tc.search, got, tc.viewer)
				}
			}
			// A webhook's folders may be searched too: hasFoldersWith takes a FolderWhereInput.
			var out struct{ Webhooks struct{ TotalCount int } }
			s.MustDo(t, `{ webhooks(where: {hasFoldersWith: [{search: "PARIS"}]}) { totalCount } }`, nil, &out)
			if out.Webhooks.TotalCount != 1 {
				t.Errorf("hasFoldersWith search: %d webhooks, want 1", out.Webhooks.TotalCount)
			}

			r := s.Do(t, `query($s: String) { folders(where: {search: $s}) { totalCount } }`, map[string]any{"s": strings.Repeat("x", 256)})
			if r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "at most 255") {
				t.Errorf("a 256-character search: %+v, want BAD_USER_INPUT naming the limit", r.Errors)
			}
		})
	}
}

// Cursor paging through a search result: every match once, in order, and
// the last page says there is no next one.
func TestSearchPaging(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, map[string]string{"TEST_NO_WORKER": "1"})
			var want []string
			for i := range 25 {
				name := fmt.Sprintf("Client %02d", i)
				createFolder(t, s, name)
				want = append(want, name)
				createFolder(t, s, fmt.Sprintf("other %02d", i))
			}
			var got []string
			var after any
			pages := 0
			for {
				var out struct {
					Folders struct {
						TotalCount int
						PageInfo   struct {
							HasNextPage bool
							EndCursor   string
						}
						Edges []struct{ Node struct{ Name string } }
					}
				}
				s.MustDo(t, `query($after: Cursor) { folders(first: 10, after: $after, orderBy: {field: NAME, direction: ASC}, where: {search: "client"}) {
					totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }`, map[string]any{"after": after}, &out)
				pages++
				if out.Folders.TotalCount != 25 {
					t.Fatalf("page %d: totalCount %d, want 25", pages, out.Folders.TotalCount)
				}
				for _, e := range out.Folders.Edges {
					got = append(got, e.Node.Name)
				}
				if !out.Folders.PageInfo.HasNextPage {
					break
				}
				if pages > 5 {
					t.Fatal("more than 5 pages of 10 for 25 matches")
				}
				after = out.Folders.PageInfo.EndCursor
			}
			if pages != 3 || !slices.Equal(got, want) {
				t.Errorf("%d pages: %q, want 3 pages: %q", pages, got, want)
			}
		})
	}
}
