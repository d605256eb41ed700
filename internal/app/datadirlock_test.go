package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/testenv"
)

// A second embedded server on the data dir of a running one is refused,
// naming the lock file and its holder; once the first stops, it starts.
func TestDataDirLock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_DATA_DIR": dir})

	second := func() error {
		env := testenv.Env(t, testenv.Embedded, map[string]string{"SCOOPA_DATA_DIR": dir})
		cfg, err := app.LoadConfig("second", nil, testenv.Getenv(env), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		up := make(chan string, 1)
		go func() {
			done <- app.Serve(ctx, cfg, slog.New(slog.DiscardHandler), io.Discard, func(a string) { up <- a })
		}()
		defer func() { cancel(); <-done }()
		select {
		case err := <-done:
			done <- err // for the deferred wait
			return err
		case <-up:
			return nil
		case <-time.After(time.Minute):
			t.Fatal("the second server neither started nor failed")
			return nil
		}
	}

	lock := filepath.Join(dir, ".lock")
	want := fmt.Sprintf("data dir %s is in use by another server (lock file %s held by pid %d)", dir, lock, os.Getpid())
	if err := second(); err == nil || err.Error() != want {
		t.Fatalf("second server on the same data dir: %v; want %q", err, want)
	}
	first.Stop()
	if err := second(); err != nil {
		t.Fatalf("second server after the first stopped: %v", err)
	}
}
