package graph

import (
	"context"

	"fmt"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/ent/webhookheader"
	"github.com/scoopa/webhooks/worker"
)

// Helpers of the resolvers; kept out of *.resolvers.go, which gqlgen
// rewrites.

// MaxPageSize bounds first and last of every connection.
const MaxPageSize = 100

// defaultPageSize is the page size when neither first nor last is given.
const defaultPageSize = 50

func checkPage(first **int, last *int) error {
	for name, v := range map[string]*int{"first": *first, "last": last} {
		if v != nil && (*v < 0 || *v > MaxPageSize) {
			return &worker.InputError{Field: name, Message: fmt.Sprintf("must be between 0 and %d", MaxPageSize)}
		}
	}
	if *first == nil && last == nil {
		n := defaultPageSize
		*first = &n
	}
	return nil
}

func requireAdmin(ctx context.Context) error {
	if !worker.PrincipalFrom(ctx).IsAdmin() {
		return fmt.Errorf("admins only: %w", worker.ErrForbidden)
	}
	return nil
}

// guardNode keeps API tokens out of non-admins' reach through node().
func guardNode(ctx context.Context) func(ent.Noder, error) (ent.Noder, error) {
	return func(n ent.Noder, err error) (ent.Noder, error) {
		if err != nil {
			if ent.IsNotFound(err) {
				return nil, fmt.Errorf("no object has this ID: %w", worker.ErrNotFound)
			}
			return nil, err
		}
		if _, ok := n.(*ent.APIToken); ok {
			if err := requireAdmin(ctx); err != nil {
				return nil, err
			}
		}
		return n, nil
	}
}

func guardNodes(ctx context.Context) func([]ent.Noder, error) ([]ent.Noder, error) {
	return func(ns []ent.Noder, err error) ([]ent.Noder, error) {
		if err != nil {
			return nil, err
		}
		for i, n := range ns {
			if _, ok := n.(*ent.APIToken); ok && !worker.PrincipalFrom(ctx).IsAdmin() {
				ns[i] = nil
			}
		}
		return ns, nil
	}
}

func (r *Resolver) headers(ctx context.Context, webhookID int) ([]*ent.WebhookHeader, error) {
	return r.db.WebhookHeader.Query().
		Where(webhookheader.HasWebhookWith(webhook.ID(webhookID))).
		Order(ent.Asc(webhookheader.FieldPosition)).
		All(ctx)
}

func (r *Resolver) lastCall(ctx context.Context, webhookID int) (*ent.WebhookCall, error) {
	c, err := r.db.WebhookCall.Query().Where(webhookcall.WebhookID(webhookID)).
		Order(ent.Desc(webhookcall.FieldCreatedAt), ent.Desc(webhookcall.FieldID)).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return c, err
}

func (r *Resolver) callStats(ctx context.Context, webhookID int, since time.Time) (*WebhookCallStats, error) {
	var rows []struct {
		Status webhookcall.Status `json:"status"`
		Count  int                `json:"count"`
	}
	err := r.db.WebhookCall.Query().
		Where(webhookcall.WebhookID(webhookID), webhookcall.KindEQ(webhookcall.KindDELIVERY), webhookcall.CreatedAtGTE(since)).
		GroupBy(webhookcall.FieldStatus).Aggregate(ent.Count()).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	st := &WebhookCallStats{}
	for _, row := range rows {
		switch row.Status {
		case webhookcall.StatusPENDING:
			st.Pending = row.Count
		case webhookcall.StatusRUNNING:
			st.Running = row.Count
		case webhookcall.StatusRETRYING:
			st.Retrying = row.Count
		case webhookcall.StatusSUCCEEDED:
			st.Succeeded = row.Count
		case webhookcall.StatusFAILED:
			st.Failed = row.Count
		case webhookcall.StatusCANCELED:
			st.Canceled = row.Count
		}
	}
	return st, nil
}

// withoutCountForPageInfo hides pageInfo from entgql's pagination when
// totalCount is not asked for: entgql counts every matching row to fill
// pageInfo, which costs a full scan of a million-row call log, while the
// page it fetches (one row more than asked) already tells whether there is
// a next page. gqlgen still resolves pageInfo from the connection.
func withoutCountForPageInfo(ctx context.Context) context.Context {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return ctx
	}
	var sels ast.SelectionSet
	for _, sel := range fc.Field.Selections {
		f, ok := sel.(*ast.Field)
		if ok && f.Name == "totalCount" {
			return ctx
		}
		if ok && f.Name == "pageInfo" {
			continue
		}
		sels = append(sels, sel)
	}
	c := *fc
	c.Field.Selections = sels
	return graphql.WithFieldContext(ctx, &c)
}
