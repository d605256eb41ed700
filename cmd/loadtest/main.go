// Command loadtest measures a running scoopa webhooks system end to end: it
// starts a local receiver, creates one folder and N active webhooks pointing
// at it, uploads M files, and reports upload rate, delivery throughput,
// end-to-end latency, missing and duplicate deliveries and, with
// -fail-first, how accurately retries are timed.
//
// It only talks to loopback addresses, and stops by itself: after every
// expected delivery arrived, or after -timeout. The exit code is 0 when every
// upload succeeded and every delivery arrived, 1 when some did not, and 2
// when the test could not run (bad flags, server unreachable, webhook
// invalid). Usage is in docs/LOADTEST.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Exit codes.
const (
	exitOK         = 0
	exitIncomplete = 1 // deliveries missing or uploads failed
	exitSetup      = 2 // the test could not run
)

// Bounds that keep a run finite whatever the flags say.
const (
	maxFiles       = 1_000_000
	maxWebhooks    = 1000 // the server's own limit
	maxDeliveries  = 2_000_000
	maxConcurrency = 1024
	maxSize        = 64 << 20
	// maxInFlightBytes bounds the memory held by upload bodies at once.
	maxInFlightBytes = 1 << 30
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is the parsed command line.
type config struct {
	baseURL      string
	token        string
	webhooks     int
	files        int
	concurrency  int
	rate         float64
	size         int
	receiverAddr string
	failFirst    bool
	timeout      time.Duration
	settle       time.Duration
	json         bool
	serverPID    int
	workerPID    int
	pgURL        string
	redisURL     string
	// limitRate and limitConcurrent are webhook 0's maxRequestsPerSecond
	// and maxConcurrent; 0: unlimited. The other webhooks are unlimited.
	limitRate       int
	limitConcurrent int
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.baseURL, "url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	// The environment's token is not the flag's default, so -h never shows it.
	fs.StringVar(&c.token, "token", "", "admin bearer token (default $SCOOPA_ADMIN_TOKEN)")
	fs.IntVar(&c.webhooks, "webhooks", 1, "number of webhooks assigned to the test folder")
	fs.IntVar(&c.files, "files", 1000, "number of files uploaded")
	fs.IntVar(&c.concurrency, "concurrency", 16, "uploads in flight at once")
	fs.Float64Var(&c.rate, "rate", 0, "uploads started per second; 0 = as fast as the server accepts them")
	fs.IntVar(&c.size, "size", 1024, "bytes per file")
	fs.StringVar(&c.receiverAddr, "receiver-addr", "127.0.0.1:0", "listen address of the built-in webhook receiver (loopback only)")
	fs.BoolVar(&c.failFirst, "fail-first", false, "answer 500 to the first attempt of every call (by webhook-id), then 200")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Minute, "bound of the whole run")
	fs.DurationVar(&c.settle, "settle", time.Second, "how long to keep listening for duplicates after the last expected delivery")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON")
	fs.IntVar(&c.serverPID, "server-pid", 0, "pid of the server, to report its CPU time (optional)")
	fs.IntVar(&c.workerPID, "worker-pid", 0, "pid of the worker, to report its CPU time (optional)")
	fs.StringVar(&c.pgURL, "pg-url", "", "PostgreSQL URL of the system's database, to report its backends' CPU time (optional; PostgreSQL on this machine)")
	fs.StringVar(&c.redisURL, "redis-url", "", "URL of the system's Redis, to report the redis-server's CPU time (optional)")
	fs.IntVar(&c.limitRate, "limit-rate", 0, "maxRequestsPerSecond of webhook 0 (the others are unlimited); 0 = none")
	fs.IntVar(&c.limitConcurrent, "limit-concurrent", 0, "maxConcurrent of webhook 0; 0 = none")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.token == "" {
		c.token = getenv("SCOOPA_ADMIN_TOKEN")
	}
	return c, c.check()
}

func (c config) check() error {
	if err := checkLoopbackURL(c.baseURL); err != nil {
		return fmt.Errorf("-url: %w", err)
	}
	if err := checkLoopbackAddr(c.receiverAddr); err != nil {
		return fmt.Errorf("-receiver-addr: %w", err)
	}
	if c.pgURL != "" {
		if err := checkLocalServiceURL(c.pgURL, "postgres", "postgresql"); err != nil {
			return fmt.Errorf("-pg-url: %w", err)
		}
	}
	if c.redisURL != "" {
		if err := checkLocalServiceURL(c.redisURL, "redis"); err != nil {
			return fmt.Errorf("-redis-url: %w", err)
		}
	}
	switch {
	case c.token == "":
		return errors.New("-token: required (or set SCOOPA_ADMIN_TOKEN)")
	case c.webhooks < 1 || c.webhooks > maxWebhooks:
		return fmt.Errorf("-webhooks: must be from 1 to %d", maxWebhooks)
	case c.files < 1 || c.files > maxFiles:
		return fmt.Errorf("-files: must be from 1 to %d", maxFiles)
	case c.files*c.webhooks > maxDeliveries:
		return fmt.Errorf("-files x -webhooks: at most %d deliveries per run", maxDeliveries)
	case c.concurrency < 1 || c.concurrency > maxConcurrency:
		return fmt.Errorf("-concurrency: must be from 1 to %d", maxConcurrency)
	case c.rate < 0:
		return errors.New("-rate: must be 0 (unpaced) or more")
	case c.size < 1 || c.size > maxSize:
		return fmt.Errorf("-size: must be from 1 to %d bytes", maxSize)
	case c.size*c.concurrency > maxInFlightBytes:
		return fmt.Errorf("-size x -concurrency: at most %d bytes in flight", maxInFlightBytes)
	case c.timeout <= 0:
		return errors.New("-timeout: must be positive")
	case c.settle < 0:
		return errors.New("-settle: must not be negative")
	case c.limitRate < 0 || c.limitRate > 10000:
		return errors.New("-limit-rate: must be from 0 (none) to 10000")
	case c.limitConcurrent < 0 || c.limitConcurrent > 1000:
		return errors.New("-limit-concurrent: must be from 0 (none) to 1000")
	case c.serverPID < 0 || c.workerPID < 0:
		return errors.New("-server-pid, -worker-pid: must be process ids")
	}
	return nil
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	} else if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return exitSetup
	}
	rep, err := loadTest(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return exitSetup
	}
	if cfg.json {
		err = rep.writeJSON(stdout)
	} else {
		err = rep.writeText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadtest: write report:", err)
		return exitSetup
	}
	if !rep.complete() {
		return exitIncomplete
	}
	return exitOK
}
