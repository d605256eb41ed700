package calllog

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/ent/webhookheader"
)

// The per-row fields of a list of webhooks, loaded for a whole page in a
// constant number of statements, whatever the page's size: the API's
// loaders gather the IDs of a page and call these once.

// HeadersOf returns the extra headers of each webhook, in their order, by
// webhook ID (two statements).
func (s *Reader) HeadersOf(ctx context.Context, webhookIDs []int) (map[int][]*ent.WebhookHeader, error) {
	hooks, err := WithHeadersInOrder(s.db.Webhook.Query().Where(webhook.IDIn(webhookIDs...))).Select(webhook.FieldID).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load headers of %d webhooks: %w", len(webhookIDs), err)
	}
	out := make(map[int][]*ent.WebhookHeader, len(hooks))
	for _, wh := range hooks {
		out[wh.ID] = wh.Edges.Headers
	}
	return out, nil
}

// FolderedOf tells, by webhook ID, whether folders are assigned to each
// webhook (one statement); a webhook without folders is absent.
func (s *Reader) FolderedOf(ctx context.Context, webhookIDs []int) (map[int]bool, error) {
	ids, err := s.db.Webhook.Query().Where(webhook.IDIn(webhookIDs...), webhook.HasFolders()).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("load folders of %d webhooks: %w", len(webhookIDs), err)
	}
	out := make(map[int]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// LastCallsOf returns the most recent call of each webhook that has one, by
// webhook ID: of one kind if kind is set, else delivery or validation. One
// statement: for each webhook, a correlated subquery finds its newest call
// through the index on (webhook_id, created_at, id), so the cost does not
// grow with the log.
func (s *Reader) LastCallsOf(ctx context.Context, webhookIDs []int, kind *webhookcall.Kind) (map[int]*ent.WebhookCall, error) {
	calls, err := s.db.WebhookCall.Query().Where(func(sel *sql.Selector) {
		d := sql.Dialect(sel.Dialect())
		w := d.Table(webhook.Table).As("w")
		c := d.Table(webhookcall.Table).As("c")
		ofWebhook := sql.ColumnsEQ(c.C(webhookcall.FieldWebhookID), w.C(webhook.FieldID))
		if kind != nil {
			ofWebhook = sql.And(ofWebhook, sql.EQ(c.C(webhookcall.FieldKind), *kind))
		}
		newest := d.Select(c.C(webhookcall.FieldID)).From(c).
			Where(ofWebhook).
			OrderBy(sql.Desc(c.C(webhookcall.FieldCreatedAt)), sql.Desc(c.C(webhookcall.FieldID))).
			Limit(1)
		perWebhook := d.SelectExpr(sql.ExprFunc(func(b *sql.Builder) {
			b.Wrap(func(b *sql.Builder) { b.Join(newest) })
		})).From(w).Where(sql.InInts(w.C(webhook.FieldID), webhookIDs...))
		sel.Where(sql.In(sel.C(webhookcall.FieldID), perWebhook))
	}).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load last calls of %d webhooks: %w", len(webhookIDs), err)
	}
	out := make(map[int]*ent.WebhookCall, len(calls))
	for _, c := range calls {
		if c.WebhookID != nil {
			out[*c.WebhookID] = c
		}
	}
	return out, nil
}

// CallCounts counts calls by status.
type CallCounts map[webhookcall.Status]int

// CallCountsOf counts the calls of one kind of each webhook created since a
// time, by status, by webhook ID (one statement). Webhooks without such
// calls are missing from the map.
func (s *Reader) CallCountsOf(ctx context.Context, webhookIDs []int, kind webhookcall.Kind, since time.Time) (map[int]CallCounts, error) {
	var rows []struct {
		WebhookID int                `json:"webhook_id"`
		Status    webhookcall.Status `json:"status"`
		Count     int                `json:"count"`
	}
	err := s.db.WebhookCall.Query().
		Where(webhookcall.WebhookIDIn(webhookIDs...), webhookcall.KindEQ(kind), webhookcall.CreatedAtGTE(since)).
		GroupBy(webhookcall.FieldWebhookID, webhookcall.FieldStatus).Aggregate(ent.Count()).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("count calls of %d webhooks: %w", len(webhookIDs), err)
	}
	out := make(map[int]CallCounts)
	for _, r := range rows {
		if out[r.WebhookID] == nil {
			out[r.WebhookID] = CallCounts{}
		}
		out[r.WebhookID][r.Status] = r.Count
	}
	return out, nil
}

// WithHeadersInOrder loads the webhooks' extra headers with them, in their
// order: the order they are sent in and shown in.
func WithHeadersInOrder(q *ent.WebhookQuery) *ent.WebhookQuery {
	return q.WithHeaders(func(h *ent.WebhookHeaderQuery) { h.Order(ent.Asc(webhookheader.FieldPosition)) })
}
