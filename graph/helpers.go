package graph

import (
	"context"
	"errors"
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

// guardNode keeps API tokens out of non-admins' reach through node(), and
// answers a missing ID with "no webhook with ID …".
func guardNode(ctx context.Context, id int) func(ent.Noder, error) (ent.Noder, error) {
	return func(n ent.Noder, err error) (ent.Noder, error) {
		if err != nil {
			if ent.IsNotFound(err) {
				return nil, worker.NoObject(id)
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

// nodes looks IDs up with one query per type, like ent's Noders, and
// answers each missing ID with "no webhook with ID …" at its index (ent's
// own message names nodes and global IDs). API tokens are null for
// non-admins.
func (r *Resolver) nodes(ctx context.Context, ids []int) ([]ent.Noder, error) {
	if len(ids) == 1 { // ent's Noders returns the error of a single ID
		n, err := guardNode(ctx, ids[0])(r.db.Noder(ctx, ids[0]))
		if errors.Is(err, worker.ErrForbidden) {
			return []ent.Noder{nil}, nil
		}
		if errors.Is(err, worker.ErrNotFound) {
			graphql.AddError(graphql.WithPathContext(ctx, graphql.NewPathWithIndex(0)), err)
			return []ent.Noder{nil}, nil
		}
		return []ent.Noder{n}, err
	}
	// Noders reports each ID's error on the response: catch them to say
	// them in the domain's words.
	inner := graphql.WithFreshResponseContext(ctx)
	ns, err := r.db.Noders(inner, ids)
	if err != nil {
		return nil, err
	}
	failed := map[int]bool{}
	for _, e := range graphql.GetErrors(inner) {
		if e.Extensions["code"] == "NOT_FOUND" {
			continue
		}
		if len(e.Path) > 0 {
			if i, ok := e.Path[len(e.Path)-1].(ast.PathIndex); ok {
				failed[int(i)] = true
			}
		}
		graphql.AddError(ctx, e)
	}
	admin := worker.PrincipalFrom(ctx).IsAdmin()
	for i, n := range ns {
		if _, ok := n.(*ent.APIToken); ok && !admin {
			ns[i] = nil
		}
		if n == nil && !failed[i] {
			graphql.AddError(graphql.WithPathContext(ctx, graphql.NewPathWithIndex(i)), worker.NoObject(ids[i]))
		}
	}
	return ns, nil
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
