package graph

import (
	"context"
	"errors"
	"fmt"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/audit"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/calllog"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/secrets"
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
			return &problem.InputError{Field: name, Message: fmt.Sprintf("must be between 0 and %d", MaxPageSize)}
		}
	}
	if *first == nil && last == nil {
		n := defaultPageSize
		*first = &n
	}
	return nil
}

// urlFor shows a webhook's URL to admins, and to anyone else with what may
// be credentials (query values, password) masked.
func urlFor(ctx context.Context, u string) string {
	if auth.PrincipalFrom(ctx).IsAdmin() {
		return u
	}
	return secrets.MaskURL(u)
}

// checkURLFilter refuses filters on URLs to non-admins (see
// calllog.CheckURLFilter). where is a *ent.XWhereInput.
func checkURLFilter(ctx context.Context, where any) error {
	return calllog.CheckURLFilter(ctx, where)
}

func requireAdmin(ctx context.Context) error {
	if !auth.PrincipalFrom(ctx).IsAdmin() {
		return fmt.Errorf("admins only: %w", problem.ErrForbidden)
	}
	return nil
}

// guardNode keeps API tokens out of non-admins' reach through node(), and
// answers a missing ID with "no webhook with ID …".
func guardNode(ctx context.Context, id int) func(ent.Noder, error) (ent.Noder, error) {
	return func(n ent.Noder, err error) (ent.Noder, error) {
		if err != nil {
			if ent.IsNotFound(err) {
				return nil, problem.NoObject(id)
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
		if errors.Is(err, problem.ErrForbidden) {
			return []ent.Noder{nil}, nil
		}
		if errors.Is(err, problem.ErrNotFound) {
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
	admin := auth.PrincipalFrom(ctx).IsAdmin()
	for i, n := range ns {
		if _, ok := n.(*ent.APIToken); ok && !admin {
			ns[i] = nil
		}
		if n == nil && !failed[i] {
			graphql.AddError(graphql.WithPathContext(ctx, graphql.NewPathWithIndex(i)), problem.NoObject(ids[i]))
		}
	}
	return ns, nil
}

// fileCallCount counts the delivery calls created for a file when it
// arrived. They all belong to the file's folder, whose index narrows the
// search.
func (r *Resolver) fileCallCount(ctx context.Context, f *ent.File) (int, error) {
	folderID := 0
	if f.Edges.Folder != nil {
		folderID = f.Edges.Folder.ID
	} else {
		id, err := f.QueryFolder().OnlyID(ctx)
		if err != nil {
			return 0, fmt.Errorf("folder of file %d: %w", f.ID, err)
		}
		folderID = id
	}
	n, err := r.db.WebhookCall.Query().Where(webhookcall.FolderID(folderID), webhookcall.FileID(f.ID)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count calls of file %d: %w", f.ID, err)
	}
	return n, nil
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

// deref is the value of an optional string, "" when absent.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// auditConnection is a page of the audit log as the API shows it.
func auditConnection(page *audit.Page) *AuditEntryConnection {
	c := &AuditEntryConnection{Edges: make([]*AuditEntryEdge, len(page.Entries)), TotalCount: page.Total,
		PageInfo: &entgql.PageInfo[int]{HasNextPage: page.HasNext, HasPreviousPage: page.HasPrevious}}
	for i, e := range page.Entries {
		c.Edges[i] = &AuditEntryEdge{Node: e, Cursor: entgql.Cursor[int]{ID: e.ID}}
	}
	if n := len(c.Edges); n > 0 {
		c.PageInfo.StartCursor, c.PageInfo.EndCursor = &c.Edges[0].Cursor, &c.Edges[n-1].Cursor
	}
	return c
}
