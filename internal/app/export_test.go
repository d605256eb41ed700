package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/scoopa/webhooks/graph"

	"github.com/scoopa/webhooks/internal/webhooks"
)

// OpenSystem opens the backends and the domain on them as the binaries
// do, for the tests of package app_test; close releases them.
func OpenSystem(ctx context.Context, cfg Config, log *slog.Logger) (b *Backends, svc *webhooks.Service, close func() error, err error) {
	s, err := open(ctx, cfg, log, 0, "", options{}, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	return s.Backends, s.svc, s.Close, nil
}

// ExportHandler is the call log export with the given bounds, unwrapped:
// the request's context must hold its principal (tests).
func ExportHandler(svc *webhooks.Service, maxRows int, timeout time.Duration, limiter graph.RateLimiter, log *slog.Logger) http.Handler {
	return exportHandler(svc, exportLimits{maxRows: maxRows, timeout: timeout, limiter: limiter}, log)
}
