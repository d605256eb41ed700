package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// tourBlock returns the first sh block under "## A short tour of the API"
// in the README.
func tourBlock(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "\n## A short tour of the API\n")
	if !ok {
		t.Fatal(`README.md has no "## A short tour of the API" section`)
	}
	_, rest, ok = strings.Cut(rest, "\n```sh\n")
	if !ok {
		t.Fatal("the tour has no ```sh block")
	}
	block, _, ok := strings.Cut(rest, "\n```\n")
	if !ok {
		t.Fatal("the tour's ```sh block does not end")
	}
	return block
}

// The README's API tour, pasted into bash in an empty directory beside a
// fresh embedded server (as `make run` starts it, on a free port), runs
// without an error and does what it says.
func TestReadmeTour(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"bash", "curl", "sed"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the README's tour needs %s: %v", tool, err)
		}
	}
	block := tourBlock(t)
	const readmeURL = "http://localhost:8080"
	if !strings.Contains(block, readmeURL) {
		t.Fatalf("the tour no longer names %s; update this test with it", readmeURL)
	}
	dir := t.TempDir()
	// As `make run`: data in ./data, the admin token generated there.
	s := testenv.StartServer(t, testenv.Embedded, map[string]string{
		"SCOOPA_DATA_DIR": filepath.Join(dir, "data"), "SCOOPA_ADMIN_TOKEN": "", "SCOOPA_LOG_LEVEL": "error"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", "-o", "pipefail", "-c", strings.ReplaceAll(block, readmeURL, s.URL))
	cmd.Dir = dir
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the tour failed: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("the tour wrote to stderr:\n%s", stderr.String())
	}
	var answers []map[string]json.RawMessage
	var other []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var a map[string]json.RawMessage
		if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &a) == nil {
			answers = append(answers, a)
		} else {
			other = append(other, line)
		}
	}
	for _, a := range answers {
		if a["errors"] != nil || a["data"] == nil {
			t.Errorf("a GraphQL answer with errors: %s %s", a["data"], a["errors"])
		}
	}
	got := out.String()
	for _, want := range []string{
		`"createFolder":{"id":"`,
		`"createWebhook":{"id":"`,
		`"validationStatus":"INVALID"`, // partner.example does not exist
		`"uploadFile":{"id":"`,
		`"webhookCalls":{"totalCount":1,`, // the upload fired the webhook
		`"fileName":"clip.mov"`,
		`"revalidateWebhook":{"id":"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the tour's output lacks %s:\n%s", want, got)
		}
	}
	if len(answers) != 5 {
		t.Errorf("%d GraphQL answers, want 5:\n%s", len(answers), got)
	}
	// The one line that is not JSON: the file fetched through its link.
	if len(other) != 1 || other[0] != "not really a movie" {
		t.Errorf("the download printed %q, want the uploaded file", other)
	}
}
