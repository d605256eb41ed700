package webhooks

import (
	"context"
	"time"

	"github.com/scoopa/webhooks/ent"
)

// FinishWith records the outcome of an attempt of call with the raw-SQL
// writer (PostgreSQL's hot path) if rawSQL, else with the ent writer.
func (s *Service) FinishWith(ctx context.Context, call *ent.WebhookCall, started time.Time, body string, resp Response, delays []time.Duration, rawSQL bool) (*ent.WebhookCall, error) {
	write := s.recordTx
	if rawSQL {
		write = s.recordPostgres
	}
	return s.finishWith(ctx, call, started, body, resp, delays, write)
}

// SetOrphanBatch makes CleanUploads check n blobs at a time.
func (s *Service) SetOrphanBatch(n int) { s.orphanBatch = n }

// SetMaxRecoverCalls replaces MaxRecoverCalls for s.
func (s *Service) SetMaxRecoverCalls(n int) { s.maxRecover = n }
