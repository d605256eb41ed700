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

// The worker started as main starts it, on PostgreSQL and Redis: its logs
// go to the stderr it is given (nothing to stdout), its /healthz answers,
// and run returns nil once its context ends.
func TestRunWorksAndStops(t *testing.T) {
	env := testenv.Env(t, testenv.Postgres, map[string]string{
		"SCOOPA_METRICS_ADDR": "127.0.0.1:0",
		"SCOOPA_LOG_LEVEL":    "info",
	})
	var stdout, stderr testenv.SyncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, testenv.Getenv(env), &stdout, &stderr) }()

	listening := regexp.MustCompile(`"msg":"worker metrics listening","addr":"(127\.0\.0\.1:\d+)"`)
	var addr string
	testenv.Eventually(t, 60*time.Second, "the worker's logs on the given stderr", func() bool {
		select {
		case err := <-done:
			t.Fatalf("run returned before it worked: %v\nstderr:\n%s", err, stderr.String())
		default:
		}
		if m := listening.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
			return strings.Contains(stderr.String(), `"msg":"worker started"`)
		}
		return false
	})
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %s, want 200", resp.Status)
	}
	if out := stdout.String(); out != "" {
		t.Errorf("the worker wrote to stdout:\n%s", out)
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
