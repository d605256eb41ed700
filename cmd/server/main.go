// Command server serves the GraphQL API, the console, file downloads and
// health checks. Without SCOOPA_DATABASE_URL and SCOOPA_REDIS_URL it runs
// everything in one process on embedded backends.
//
// Usage:
//
//	scoopa-server [flags]                          serve
//	scoopa-server [flags] token -name N -role R    mint an API token and print it
//	scoopa-server [flags] health                   exit 0 if the local server is ready
//	scoopa-server [flags] migrate                  apply the database migrations and exit
//	scoopa-server [flags] rotate-key               encrypt every stored secret with the newest key
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/scoopa/webhooks/internal/app"
)

func main() {
	app.TuneGC(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "scoopa-server:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	// Flags come first; a subcommand and its own flags may follow.
	split := len(args)
	for i, a := range args {
		if a == "token" || a == "health" || a == "migrate" || a == "rotate-key" {
			split = i
			break
		}
	}
	cfg, err := app.LoadConfig("scoopa-server", args[:split], getenv, stderr)
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg, stderr)
	if split == len(args) {
		return app.Serve(ctx, cfg, log, stdout, nil)
	}
	switch args[split] {
	case "health":
		return health(ctx, cfg.HTTPAddr)
	case "migrate":
		b, err := app.OpenBackends(ctx, cfg, log) // migrates
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "schema up to date")
		return b.Close()
	case "rotate-key":
		n, version, err := app.RotateKey(ctx, cfg, log)
		if err != nil {
			return fmt.Errorf("rotate-key: %w", err)
		}
		fmt.Fprintf(stdout, "%d stored values encrypted again; every one is now sealed with key version %d\n", n, version)
		return nil
	}
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "name of the token (required)")
	role := fs.String("role", "ADMIN", "ADMIN or VIEWER")
	if err := fs.Parse(args[split+1:]); err != nil {
		return err
	}
	secret, err := app.MintToken(ctx, cfg, log, *name, *role)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

// health asks the server listening on addr whether it is ready; for
// container health checks, where there is no curl.
func health(ctx context.Context, addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/readyz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s", resp.Status)
	}
	return nil
}
