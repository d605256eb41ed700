package graph_test

import (
	"slices"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// The file-name filter of the call log finds the same calls on both
// backends: fileNameContainsFold ignores case, and % and _ are literal
// characters, not wildcards.
func TestCallLogFileNameFilter(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s, st := testenv.StartCountingServer(t, kind, map[string]string{"TEST_NO_WORKER": "1"})
			folder := createFolder(t, s, "inbox")
			createWebhook(t, s, map[string]any{"name": "hook", "url": "http://127.0.0.1:1/hook", "active": true, "allFolders": true})
			for _, name := range []string{"Clip-01.MOV", "clip-02.mov", "50%_off.pdf", "5000-off.pdf", "notes.txt"} {
				if r := s.Upload(t, folder, name, "application/octet-stream", []byte("x")); len(r.Errors) > 0 {
					t.Fatalf("upload %s: %+v", name, r.Errors)
				}
			}
			for _, tc := range []struct {
				filter, value string
				want          []string
			}{
				{"fileNameContainsFold", "clip", []string{"Clip-01.MOV", "clip-02.mov"}},
				{"fileNameContainsFold", "CLIP-0", []string{"Clip-01.MOV", "clip-02.mov"}},
				{"fileNameContainsFold", ".Mov", []string{"Clip-01.MOV", "clip-02.mov", "test.mov"}}, // test.mov: the validation
				{"fileNameContainsFold", "0%_", []string{"50%_off.pdf"}},
				{"fileNameContainsFold", "%", []string{"50%_off.pdf"}},
				{"fileNameContainsFold", "_", []string{"50%_off.pdf"}},
				{"fileNameContainsFold", "no-such-file", nil},
				{"fileNameContains", "clip-02", []string{"clip-02.mov"}},
				{"fileNameContains", "0%_", []string{"50%_off.pdf"}},
				{"fileNameContains", "off.pdf", []string{"50%_off.pdf", "5000-off.pdf"}},
				{"fileNameContains", "t", []string{"notes.txt", "test.mov"}},
			} {
				var out struct {
					WebhookCalls struct {
						Edges []struct{ Node struct{ FileName string } }
					}
				}
				st.Reset()
				s.MustDo(t, `query($v: String!) { webhookCalls(first: 50, where: {`+tc.filter+`: $v}) { edges { node { fileName } } } }`,
					map[string]any{"v": tc.value}, &out)
				var got []string
				for _, e := range out.WebhookCalls.Edges {
					got = append(got, e.Node.FileName)
				}
				slices.Sort(got)
				if !slices.Equal(got, tc.want) {
					t.Errorf("%s: %q: got %q, want %q", tc.filter, tc.value, got, tc.want)
				}
				if kind == testenv.Postgres && tc.value == "clip" {
					checkFileNamePlan(t, s, st.List())
				}
			}
		})
	}
}

// checkFileNamePlan requires the trigram index to answer the statement the
// API issued for the file-name filter.
func checkFileNamePlan(t *testing.T, s *testenv.Server, statements []string) {
	t.Helper()
	checkTrigramPlan(t, s, statements, `"file_name" ILIKE`, "webhookcall_file_name")
}
