package graph_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// leaky matches wording of the layers below the domain: ent's messages,
// its node lookup, SQL and drivers.
var leaky = regexp.MustCompile(`(?i)\bent:|\bnode\b|\bsql|pq:|sqlite|constraint|validator|predicate|msgpack|multierror|\d+ errors? occurred|input:\d`)

// TestErrorMessages sends bad inputs of every kind and checks that each
// answer is a plain sentence with the right code, naming what is missing or
// wrong, and never a message of ent, SQL or the node lookup.
func TestErrorMessages(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		folder := createFolder(t, s, "Inbox")
		wh := createWebhook(t, s, map[string]any{"name": "Partner", "url": "http://127.0.0.1:1/"})
		long := strings.Repeat("é", 200) // 200 characters, 400 bytes
		for _, tc := range []struct {
			name, query string
			vars        map[string]any
			code, want  string
		}{
			{"node of a missing webhook", `{ node(id: "12884999999") { id } }`, nil, "NOT_FOUND", "no webhook with ID 12884999999"},
			{"node of a missing folder", `{ node(id: "8589999999") { id } }`, nil, "NOT_FOUND", "no folder with ID 8589999999"},
			{"node of a missing call", `{ node(id: "17179999999") { id } }`, nil, "NOT_FOUND", "no webhook call with ID 17179999999"},
			{"node of an ID of no type", `{ node(id: "999999999999999") { id } }`, nil, "NOT_FOUND", "no object with ID 999999999999999"},
			{"nodes with a missing one", `{ nodes(ids: ["` + folder + `", "12884999999"]) { id } }`, nil, "NOT_FOUND", "no webhook with ID 12884999999"},
			{"node with a bad ID", `{ node(id: "abc") { id } }`, nil, "BAD_USER_INPUT", `invalid ID "abc"`},
			{"update a missing webhook", `mutation { updateWebhook(id: "12884999999", input: {name: "x"}) { id } }`, nil, "NOT_FOUND", "no webhook with ID 12884999999"},
			{"update a folder as a webhook", `mutation { updateWebhook(id: "` + folder + `", input: {name: "x"}) { id } }`, nil, "NOT_FOUND", "no webhook with ID " + folder},
			{"delete a missing webhook", `mutation { deleteWebhook(id: "12884999999") }`, nil, "NOT_FOUND", "no webhook with ID 12884999999"},
			{"revalidate a missing webhook", `mutation { revalidateWebhook(id: "12884999999") { id } }`, nil, "NOT_FOUND", "no webhook with ID 12884999999"},
			{"rotate a missing webhook's secret", `mutation { rotateWebhookSecret(id: "12884999999") { id } }`, nil, "NOT_FOUND", "no webhook with ID 12884999999"},
			{"retry a missing call", `mutation { retryWebhookCall(id: "17179999999") { id } }`, nil, "NOT_FOUND", "no webhook call with ID 17179999999"},
			{"revoke a missing token", `mutation { revokeApiToken(id: "999") { id } }`, nil, "NOT_FOUND", "no API token with ID 999"},
			{"upload to a missing folder", `mutation($f: Upload!) { uploadFile(folderID: "8589999999", file: $f) { id } }`, map[string]any{"f": nil}, "", ""},
			{"webhook name too long in bytes", `mutation($n: String!) { createWebhook(input: {name: $n, url: "http://127.0.0.1:1/"}) { id } }`, map[string]any{"n": long + long}, "BAD_USER_INPUT", "name: must be at most"},
			{"folder name of many bytes", `mutation($n: String!) { createFolder(input: {name: $n}) { id } }`, map[string]any{"n": long}, "", ""},
			{"webhook name of many bytes", `mutation($n: String!) { updateWebhook(id: "` + wh.ID + `", input: {name: $n}) { id } }`, map[string]any{"n": long}, "", ""},
			{"filter of many bytes", `mutation($n: String!) { updateWebhook(id: "` + wh.ID + `", input: {filter: $n}) { id } }`, map[string]any{"n": long}, "", ""},
			{"token name of many bytes", `mutation($n: String!) { createApiToken(input: {name: $n, role: VIEWER}) { secret } }`, map[string]any{"n": long}, "", ""},
			{"empty nested filter", `{ webhookCalls(where: {not: {}}) { totalCount } }`, nil, "BAD_USER_INPUT", "where"},
			{"bad cursor", `{ webhookCalls(after: "garbage") { totalCount } }`, nil, "BAD_USER_INPUT", "after: not a cursor"},
			{"where with an ID of no number", `{ webhookCalls(where: {webhookID: "x"}) { totalCount } }`, nil, "BAD_USER_INPUT", `invalid ID "x"`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.Do(t, tc.query, tc.vars)
				if tc.code == "" && len(r.Errors) == 0 {
					return // accepted: fine, as long as nothing leaked
				}
				if len(r.Errors) == 0 {
					t.Fatalf("no error, want %s %q (data %s)", tc.code, tc.want, r.Data)
				}
				for _, e := range r.Errors {
					if leaky.MatchString(e.Message) {
						t.Errorf("message %q leaks the layers below the domain", e.Message)
					}
				}
				if tc.code != "" && r.Code() != tc.code {
					t.Errorf("code %q (%q), want %s", r.Code(), r.Errors[0].Message, tc.code)
				}
				if !strings.Contains(r.Errors[0].Message, tc.want) {
					t.Errorf("message %q, want it to contain %q", r.Errors[0].Message, tc.want)
				}
			})
		}
	})
}

// TestEveryBadHeaderIsReported checks that a webhook with several bad
// headers gets one error per bad header, each naming its place in the list,
// so a form can show each next to its field.
func TestEveryBadHeaderIsReported(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		wh := createWebhook(t, s, map[string]any{"name": "Partner", "url": "http://127.0.0.1:1/"})
		headers := []map[string]any{
			{"name": "X Bad", "value": "a"},
			{"name": "X-Good", "value": "b"},
			{"name": "Host", "value": "c"},
			{"name": "X-Crlf", "value": "d\r\ne"},
			{"name": "x-good", "value": "f"},
		}
		want := map[string]string{
			"headers.0.name":  `header name "X Bad" is not a valid HTTP token`,
			"headers.2.name":  `header "Host" is set by the service`,
			"headers.3.value": `value of header "X-Crlf" must not contain CR, LF or NUL`,
			"headers.4.name":  `header "x-good" is given twice`,
		}
		for _, op := range []struct{ name, query string }{
			{"create", `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`},
			{"update", `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { id } }`},
		} {
			t.Run(op.name, func(t *testing.T) {
				in := map[string]any{"headers": headers}
				if op.name == "create" {
					in["name"], in["url"] = "Other", "http://127.0.0.1:1/"
				}
				r := s.Do(t, op.query, map[string]any{"id": wh.ID, "in": in})
				got := map[string]string{}
				for _, e := range r.Errors {
					f, _ := e.Extensions["field"].(string)
					if e.Extensions["code"] != "BAD_USER_INPUT" || got[f] != "" {
						t.Errorf("error %+v: want one BAD_USER_INPUT error per field", e)
					}
					got[f] = e.Message
				}
				if len(got) != len(want) {
					t.Errorf("errors on fields %v, want one on each of %v", keys(got), keys(want))
				}
				for f, msg := range want {
					if !strings.HasPrefix(got[f], f+": ") || !strings.Contains(got[f], msg) {
						t.Errorf("error on %s = %q, want %q", f, got[f], f+": "+msg)
					}
				}
				if r.Data != nil && string(r.Data) != "null" {
					var data map[string]any
					_ = json.Unmarshal(r.Data, &data)
					for k, v := range data {
						if v != nil {
							t.Errorf("%s answered %v despite the errors", k, v)
						}
					}
				}
			})
		}
		var out struct{ Webhooks struct{ TotalCount int } }
		s.MustDo(t, `{ webhooks { totalCount } }`, nil, &out)
		if out.Webhooks.TotalCount != 1 {
			t.Errorf("%d webhooks, want 1: a refused input writes nothing", out.Webhooks.TotalCount)
		}
	})
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
