package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// The server started as main starts it, in embedded mode on any free
// port: the start-up banner goes to the stdout it is given, the logs to the
// stderr it is given, /healthz answers, and run returns nil once its
// context ends.
func TestRunServesAndStops(t *testing.T) {
	env := map[string]string{
		"SCOOPA_HTTP_ADDR": "127.0.0.1:0",
		"SCOOPA_DATA_DIR":  t.TempDir(),
		"SCOOPA_LOG_LEVEL": "info",
	}
	var stdout, stderr testenv.SyncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, testenv.Getenv(env), &stdout, &stderr) }()

	banner := regexp.MustCompile(`scoopa webhooks is running at (http://127\.0\.0\.1:\d+)`)
	var url string
	testenv.Eventually(t, 60*time.Second, "the banner on the given stdout", func() bool {
		select {
		case err := <-done:
			t.Fatalf("run returned before it served: %v\nstderr:\n%s", err, stderr.String())
		default:
		}
		if m := banner.FindStringSubmatch(stdout.String()); m != nil {
			url = m[1]
			return true
		}
		return false
	})
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %s, want 200", resp.Status)
	}
	if logs := stderr.String(); !strings.Contains(logs, "server listening") {
		t.Errorf("the given stderr lacks the log line \"server listening\":\n%s", logs)
	}
	if strings.Contains(stdout.String(), "server listening") {
		t.Errorf("logs went to stdout:\n%s", stdout.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v, want nil", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("run did not return within 60s of its context ending")
	}
}
