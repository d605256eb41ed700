package graph_test

import (
	"fmt"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// BenchmarkWebhookPage measures the console's webhook list, a page of 100
// webhooks with their headers, folders, last call and call statistics, on
// PostgreSQL through the real server.
//
//	go test ./graph -run '^$' -bench WebhookPage -benchtime 50x
func BenchmarkWebhookPage(b *testing.B) {
	s := testenv.StartServer(b, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1", "SCOOPA_LOG_LEVEL": "error"})
	folder := createFolderB(b, s)
	for i := range 100 {
		s.MustDo(b, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": fmt.Sprintf("hook-%03d", i), "url": "http://127.0.0.1:1/", "folderIDs": []string{folder}, "active": true,
			"headers": []map[string]any{{"name": "X-First", "value": "first-value"}, {"name": "X-Second", "value": "second-value"}},
		}}, nil)
	}
	if r := s.Upload(b, folder, "clip.mov", "video/quicktime", []byte("x")); len(r.Errors) > 0 {
		b.Fatal(r.Errors)
	}
	const page = `{ webhooks(first: 100, orderBy: {field: CREATED_AT, direction: ASC}) { totalCount edges { node {
		id name url active allFolders filter validationStatus lastValidatedAt lastValidationError createdAt
		headers { id name value } folders { id name }
		lastCall { id kind status createdAt error }
		callStats24h { pending running retrying succeeded failed canceled } } } } }`
	for b.Loop() {
		if r := s.Do(b, page, nil); len(r.Errors) > 0 {
			b.Fatal(r.Errors)
		}
	}
}
