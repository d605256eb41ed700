package app

import (
	"context"
	"log/slog"

	"github.com/scoopa/webhooks/internal/webhooks"
)

// OpenSystem opens the backends and the domain on them as the binaries
// do, for the tests of package app_test; close releases them.
func OpenSystem(ctx context.Context, cfg Config, log *slog.Logger) (b *Backends, svc *webhooks.Service, close func() error, err error) {
	s, err := open(ctx, cfg, log, 0, "", options{})
	if err != nil {
		return nil, nil, nil, err
	}
	return s.Backends, s.svc, s.Close, nil
}
