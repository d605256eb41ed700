package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/worker"
	"github.com/vektah/gqlparser/v2/ast"
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

// subscribeCalls streams the call events matching f until the client goes
// away or falls too far behind.
func (r *Resolver) subscribeCalls(ctx context.Context, f worker.CallFilter) (<-chan *ent.WebhookCall, error) {
	if r.broker == nil {
		return nil, fmt.Errorf("subscriptions are not served here")
	}
	ch, _ := r.broker.Subscribe(ctx, f)
	return ch, nil
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
