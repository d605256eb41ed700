// Scoopa-listen forwards a webhook's calls to a receiver on a developer's
// own machine, and sends it test files. It needs no inbound port: it
// follows the webhook's calls over the API's websocket (the
// webhookCallUpdated subscription) and, for each attempt the service made,
// POSTs the same body with the same signature headers to a local URL.
//
// Usage:
//
//	scoopa-listen listen --webhook ID --forward http://localhost:3000/hook
//	scoopa-listen trigger --webhook ID [--file ID]
//
// Both take --url (default $SCOOPA_URL, else http://localhost:8080) and
// --token (default $SCOOPA_TOKEN): an ADMIN token, or the PARTNER token of
// the webhook. listen prints one line per forwarded attempt: the call,
// its attempt, its file, what the local receiver answered and how long it
// took. The local answer is only shown: the call's recorded outcome is the
// webhook's own receiver's. A local receiver that cannot be reached is
// reported on the call's line and listen goes on. When the server restarts
// (close code 1012) or asks to be tried again later (1013), listen waits a
// moment and subscribes again; attempts made meanwhile are not forwarded.
//
// It uses the Go standard library and github.com/coder/websocket only.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "scoopa-listen:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  scoopa-listen listen --webhook ID --forward http://localhost:3000/hook
  scoopa-listen trigger --webhook ID [--file ID]
both take --url (default $SCOOPA_URL, else http://localhost:8080) and --token (default $SCOOPA_TOKEN)`

// run runs the subcommand named by args[0] until it is done or ctx ends.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("no subcommand\n" + usage)
	}
	switch args[0] {
	case "listen":
		return listen(ctx, args[1:], getenv, stdout, stderr)
	case "trigger":
		return trigger(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown subcommand %q\n%s", args[0], usage)
}
