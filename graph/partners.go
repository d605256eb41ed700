package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/settings"
	"github.com/vektah/gqlparser/v2/ast"
)

// partnerMutations are the mutations a PARTNER token may run on its own
// webhooks and calls (what it may reach is narrowed by auth.Scope: another
// partner's webhook or call is not found). manageMutations need its
// manage grant too.
var (
	partnerMutations = []string{"retryWebhookCall", "recoverWebhookCalls", "sendTestFile", "rotateWebhookSecret"}
	manageMutations  = []string{"updateWebhook", "revalidateWebhook"}
)

// mutationAllowed tells why the principal of ctx may not run the
// mutation op, or nil if it may: an ADMIN runs every one, a PARTNER those
// above, a VIEWER none.
func mutationAllowed(ctx context.Context, op *ast.OperationDefinition) error {
	pr := auth.PrincipalFrom(ctx)
	if pr.IsAdmin() {
		return nil
	}
	if !pr.IsPartner() {
		return errMutationsNeedAdmin
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), op.SelectionSet, []string{"Mutation"}) {
		switch {
		case f.Name == "__typename" || slices.Contains(partnerMutations, f.Name):
		case slices.Contains(manageMutations, f.Name):
			if !pr.Manage {
				return fmt.Errorf("%s needs a PARTNER token with the manage grant, or an ADMIN token", f.Name)
			}
		default:
			return fmt.Errorf("%s needs an ADMIN token; a PARTNER token may run %s, and with the manage grant %s",
				f.Name, strings.Join(partnerMutations, ", "), strings.Join(manageMutations, ", "))
		}
	}
	return nil
}

// checkPartnerUpdate refuses, for a PARTNER, the parts of an update that
// stay the platform's: the name, folders, filters and active switch.
func checkPartnerUpdate(ctx context.Context, in settings.UpdateWebhookInput) error {
	if !auth.PrincipalFrom(ctx).IsPartner() {
		return nil
	}
	var fields []string
	for name, set := range map[string]bool{
		"name": in.Name != nil, "filter": in.Filter != nil, "clearFilter": in.ClearFilter != nil,
		"contentTypes": in.ContentTypes != nil, "clearContentTypes": in.ClearContentTypes != nil,
		"nameGlob": in.NameGlob != nil, "clearNameGlob": in.ClearNameGlob != nil,
		"minSizeBytes": in.MinSizeBytes != nil, "clearMinSizeBytes": in.ClearMinSizeBytes != nil,
		"maxSizeBytes": in.MaxSizeBytes != nil, "clearMaxSizeBytes": in.ClearMaxSizeBytes != nil,
		"allFolders": in.AllFolders != nil, "addFolderIDs": in.AddFolderIDs != nil,
		"removeFolderIDs": in.RemoveFolderIDs != nil, "clearFolders": in.ClearFolders != nil, "active": in.Active != nil,
	} {
		if set {
			fields = append(fields, name)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	slices.Sort(fields)
	return fmt.Errorf("%s: the platform's to change, not a partner's: %w", strings.Join(fields, ", "), problem.ErrForbidden)
}

// partnerScope is the @partnerScope directive of the filters (where
// inputs): as each filter of a query is decoded, nested ones first, and
// wherever it is (an argument, or a nested connection that entgql loads
// with its parent), it is narrowed to what a PARTNER sees.
func partnerScope(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
	v, err := next(ctx)
	if err != nil || !auth.PrincipalFrom(ctx).IsPartner() {
		return v, err
	}
	switch w := v.(type) {
	case ent.WebhookWhereInput:
		auth.ScopeFilterOnly(ctx, &w)
		return w, nil
	case ent.FolderWhereInput:
		auth.ScopeFilterOnly(ctx, &w)
		return w, nil
	case ent.FileWhereInput:
		auth.ScopeFilterOnly(ctx, &w)
		return w, nil
	case ent.WebhookCallWhereInput:
		auth.ScopeFilterOnly(ctx, &w)
		return w, nil
	}
	return v, fmt.Errorf("@partnerScope on %T, which is not a filter", v)
}
