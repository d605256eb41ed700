// Command worker processes the delivery, retry and validation tasks and
// runs the periodic ones (sweeper, revalidation, retention). Any number of
// workers can run side by side.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/scoopa/webhooks/internal/app"
)

func main() {
	app.TuneGC(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "scoopa-worker:", err)
		os.Exit(1)
	}
}

// run is the worker: it reads the configuration from args and getenv and
// logs to stderr. The worker prints nothing for a person to read, so stdout
// stays unused; it is taken as the server's run takes it.
func run(ctx context.Context, args []string, getenv func(string) string, _, stderr io.Writer) error {
	cfg, err := app.LoadConfig("scoopa-worker", args, getenv, stderr)
	if err != nil {
		return err
	}
	return app.Work(ctx, cfg, app.NewLogger(cfg, stderr))
}
