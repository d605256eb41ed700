package files

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
)

// Fetch is one download through a delivery call's link.
type Fetch struct {
	// CallID is the call the link names.
	CallID int
	// At is when it was served; zero: now.
	At time.Time
	// Bytes is how many bytes of the file were served (0 for a redirect).
	Bytes int64
	// Complete says whether the response was sent to its end; nil when
	// it was a redirect to the blob store, which serves the bytes.
	Complete *bool
}

// RecordFetch counts a fetch against its call, in one UPDATE: the first
// fetch's time kept, the count and the bytes added to, the last fetch's
// completeness replaced. The call's updated_at stays: a fetch changes
// nothing of its delivery. It answers the call as it is now, or nil if
// it is gone (past its retention).
func (s *Service) RecordFetch(ctx context.Context, f Fetch) (*ent.WebhookCall, error) {
	if f.At.IsZero() {
		f.At = s.now()
	}
	n, err := s.db.WebhookCall.Update().Where(webhookcall.ID(f.CallID)).
		AddFetchCount(1).
		AddFetchedBytes(f.Bytes).
		SetNillableLastFetchComplete(f.Complete).
		Modify(func(u *sql.UpdateBuilder) {
			u.Set(webhookcall.FieldFetchedFirstAt, sql.ExprFunc(func(b *sql.Builder) {
				b.WriteString("COALESCE(").Ident(webhookcall.FieldFetchedFirstAt).WriteString(", ").Arg(f.At).WriteString(")")
			}))
			u.Set(webhookcall.FieldUpdatedAt, sql.Expr(u.Quote(webhookcall.FieldUpdatedAt)))
			if f.Complete == nil {
				u.SetNull(webhookcall.FieldLastFetchComplete)
			}
		}).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("record fetch of call %d: %w", f.CallID, err)
	}
	if n == 0 {
		return nil, nil
	}
	call, err := s.db.WebhookCall.Get(ctx, f.CallID)
	if ent.IsNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("record fetch of call %d: %w", f.CallID, err)
	}
	return call, nil
}
