package graph_test

import (
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// A stored header value (a credential for the receiver) never follows the
// URL to another host: an update that changes the scheme, host or port must
// give the values again or remove the headers.
func TestURLHostChangeNeedsHeadersAgain(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		old, other := testenv.NewReceiver(t), testenv.NewReceiver(t)
		wh := createWebhook(t, s, map[string]any{"name": "Partner", "url": old.URL,
			"headers": []map[string]any{{"name": "Authorization", "value": "Bearer old-host-credential"}, {"name": "X-Team", "value": "media"}}})
		update := func(input map[string]any) *testenv.Response {
			return s.Do(t, `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { url headers { name value } } }`,
				map[string]any{"id": wh.ID, "in": input})
		}
		const wantMsg = `the URL moves to another host (`
		for _, tt := range []struct {
			name  string
			input map[string]any
			names string
		}{
			{"headers not given", map[string]any{"url": other.URL + "/in"}, `"Authorization", "X-Team"`},
			{"headers kept without values", map[string]any{"url": other.URL, "headers": []map[string]any{{"name": "authorization"}, {"name": "X-Team", "value": "media"}}}, `"Authorization"`},
			{"another scheme", map[string]any{"url": strings.Replace(old.URL, "http://", "https://", 1)}, `"Authorization", "X-Team"`},
		} {
			r := update(tt.input)
			if r.Code() != "BAD_USER_INPUT" || len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, wantMsg) ||
				!strings.Contains(r.Errors[0].Message, "give the values of "+tt.names+" again") || r.Errors[0].Extensions["field"] != "headers" {
				t.Errorf("%s: %+v, want BAD_USER_INPUT on headers naming %s", tt.name, r.Errors, tt.names)
			}
		}
		for _, d := range append(other.Validations(), other.Deliveries()...) {
			if d.Header.Get("Authorization") != "" {
				t.Fatalf("the other host received the stored credential %q", d.Header.Get("Authorization"))
			}
		}
		var got struct{ UpdateWebhook webhookOut }
		// The same origin (another path, the default port spelled out) keeps them.
		r := update(map[string]any{"url": old.URL + "/other"})
		if len(r.Errors) > 0 {
			t.Fatalf("same host, other path: %+v", r.Errors)
		}
		// Values given again: the new host gets the new ones.
		r = update(map[string]any{"url": other.URL, "headers": []map[string]any{{"name": "Authorization", "value": "Bearer other-host-credential"}, {"name": "X-Team", "value": "media"}}})
		if len(r.Errors) > 0 {
			t.Fatalf("values given again: %+v", r.Errors)
		}
		if v := other.Validations(); len(v) != 1 || v[0].Header.Get("Authorization") != "Bearer other-host-credential" {
			t.Errorf("the new host's validation carried %v, want the new credential", v)
		}
		// Headers removed: no value needed.
		s.MustDo(t, `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { url headers { name value } } }`,
			map[string]any{"id": wh.ID, "in": map[string]any{"url": old.URL, "headers": []any{}}}, &got)
		if got.UpdateWebhook.URL != old.URL || len(got.UpdateWebhook.Headers) != 0 {
			t.Errorf("headers removed: %+v", got.UpdateWebhook)
		}
	})
}
