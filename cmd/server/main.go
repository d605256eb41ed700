// Command server serves the GraphQL API, the console, file downloads and
// health checks. Without SCOOPA_DATABASE_URL and SCOOPA_REDIS_URL it runs
// everything in one process on embedded backends.
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
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "scoopa-server:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := app.LoadConfig("scoopa-server", args, getenv, stderr)
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg, os.Stderr)
	return app.Serve(ctx, cfg, log, nil)
}
