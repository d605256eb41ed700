package graph

import (
	"context"
	"reflect"
	"strings"

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

// urlFor shows a webhook's URL to admins, and to anyone else with what may
// be credentials (query values, password) masked.
func urlFor(ctx context.Context, u string) string {
	if worker.PrincipalFrom(ctx).IsAdmin() {
		return u
	}
	return worker.MaskURL(u)
}

// checkURLFilter refuses filters on URLs to non-admins: since they see
// URLs' query values masked, such filters would tell them the values
// letter by letter. where is a *ent.XWhereInput.
func checkURLFilter(ctx context.Context, where any) error {
	if worker.PrincipalFrom(ctx).IsAdmin() || !filtersURL(reflect.ValueOf(where)) {
		return nil
	}
	return fmt.Errorf("filters on url and targetURL need an ADMIN token: %w", worker.ErrForbidden)
}

// filtersURL reports whether a where input, or one nested in it (not, and,
// or, hasWebhookWith), sets a URL predicate.
func filtersURL(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		return !v.IsNil() && filtersURL(v.Elem())
	case reflect.Slice:
		for i := range v.Len() {
			if filtersURL(v.Index(i)) {
				return true
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if strings.HasPrefix(f.Name, "URL") || strings.HasPrefix(f.Name, "TargetURL") {
				if !v.Field(i).IsZero() {
					return true
				}
				continue
			}
			if strings.HasSuffix(strings.TrimLeft(f.Type.String(), "[]*"), "WhereInput") && filtersURL(v.Field(i)) {
				return true
			}
		}
	}
	return false
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

// lastCall is the newest call of a webhook, of one kind if kind is set.
func (r *Resolver) lastCall(ctx context.Context, webhookID int, kind *webhookcall.Kind) (*ent.WebhookCall, error) {
	q := r.db.WebhookCall.Query().Where(webhookcall.WebhookID(webhookID))
	if kind != nil {
		q = q.Where(webhookcall.KindEQ(*kind))
	}
	c, err := q.Order(ent.Desc(webhookcall.FieldCreatedAt), ent.Desc(webhookcall.FieldID)).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return c, err
}

// callStats counts a webhook's calls of one kind (deliveries if kind is
// nil) created since a time, by status.
func (r *Resolver) callStats(ctx context.Context, webhookID int, kind *webhookcall.Kind, since time.Time) (*WebhookCallStats, error) {
	k := webhookcall.KindDELIVERY
	if kind != nil {
		k = *kind
	}
	var rows []struct {
		Status webhookcall.Status `json:"status"`
		Count  int                `json:"count"`
	}
	err := r.db.WebhookCall.Query().
		Where(webhookcall.WebhookID(webhookID), webhookcall.KindEQ(k), webhookcall.CreatedAtGTE(since)).
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
