package auth

import (
	"context"
	"errors"
	"slices"

	"entgo.io/ent/dialect/sql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/apitoken"
	"github.com/scoopa/webhooks/ent/auditentry"
	"github.com/scoopa/webhooks/ent/file"
	"github.com/scoopa/webhooks/ent/folder"
	"github.com/scoopa/webhooks/ent/portallink"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/session"
	"github.com/scoopa/webhooks/ent/upload"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/ent/webhookcallattempt"
	"github.com/scoopa/webhooks/ent/webhookheader"
	"github.com/scoopa/webhooks/ent/webhookstat"
)

// A PARTNER's scope is enforced where every read goes through: the ent
// client. Scope is an interceptor on it that narrows each query (and each
// traversal: edges, eager loads, node(id), counts) made for a PARTNER to
// what the partner may see:
//
//   - its webhooks, their headers and statistics;
//   - their calls and the calls' attempts;
//   - the files those calls delivered;
//   - the folders assigned to its webhooks or holding those files;
//   - its own token and session.
//
// Anything else (other tokens and sessions, the audit log, uploads) is
// empty for it. A query made without a principal (the worker, the
// domain's own upkeep) or for an ADMIN or VIEWER is untouched.

// Scope returns the interceptor that narrows a PARTNER's queries.
func Scope() ent.Interceptor {
	return ent.TraverseFunc(func(ctx context.Context, q ent.Query) error {
		pr := PrincipalFrom(ctx)
		if !pr.IsPartner() {
			return nil
		}
		ids := pr.Webhooks
		switch q := q.(type) {
		case *ent.WebhookQuery:
			q.Where(webhooksOf(ids))
		case *ent.WebhookHeaderQuery:
			q.Where(webhookheader.HasWebhookWith(webhooksOf(ids)))
		case *ent.WebhookStatQuery:
			q.Where(webhookstat.WebhookIDIn(ids...))
		case *ent.WebhookCallQuery:
			q.Where(callsOf(ids))
		case *ent.WebhookCallAttemptQuery:
			q.Where(webhookcallattempt.HasCallWith(callsOf(ids)))
		case *ent.FileQuery:
			q.Where(filesOf(ids))
		case *ent.FolderQuery:
			q.Where(foldersOf(ids))
		case *ent.APITokenQuery:
			q.Where(apitoken.ID(pr.TokenID))
		case *ent.SessionQuery:
			q.Where(session.ID(pr.SessionID))
		case *ent.AuditEntryQuery:
			q.Where(auditentry.IDIn())
		case *ent.UploadQuery:
			q.Where(upload.IDIn())
		case *ent.PortalLinkQuery:
			q.Where(portallink.IDIn())
		default:
			// A type added later is hidden until its scope is written here.
			return errUnscoped
		}
		return nil
	})
}

var errUnscoped = errors.New("this kind of record is not scoped for partners")

// What a partner of the webhooks ids sees of each kind of record that a
// filter can reach: the interceptor above and ScopeFilter narrow with the
// same predicates.

func webhooksOf(ids []int) predicate.Webhook { return webhook.IDIn(ids...) }

func callsOf(ids []int) predicate.WebhookCall { return webhookcall.WebhookIDIn(ids...) }

func filesOf(ids []int) predicate.File {
	return predicate.File(inCallsOf(file.FieldID, webhookcall.FieldFileID, ids))
}

func foldersOf(ids []int) predicate.Folder {
	return folder.Or(folder.HasWebhooksWith(webhooksOf(ids)), predicate.Folder(inCallsOf(folder.FieldID, webhookcall.FieldFolderID, ids)))
}

// inCallsOf is the predicate "column col is the column callCol of a call
// of one of the webhooks ids": the files and folders of a partner's calls.
func inCallsOf(col, callCol string, ids []int) func(*sql.Selector) {
	return func(s *sql.Selector) {
		if len(ids) == 0 {
			s.Where(sql.False())
			return
		}
		t := sql.Table(webhookcall.Table)
		s.Where(sql.In(s.C(col), sql.Select(t.C(callCol)).From(t).
			Where(sql.InInts(t.C(webhookcall.FieldWebhookID), ids...))))
	}
}

// ScopeFilter narrows a filter of the API (a *ent.WebhookWhereInput,
// FolderWhereInput, FileWhereInput or WebhookCallWhereInput, as the `where`
// arguments of GraphQL and the call log export take them), and every
// filter nested in it, to what the PARTNER in ctx sees. The interceptor
// narrows the records a query returns, but a filter's edges
// (hasWebhooksWith, hasFolderWith...) are subqueries it never sees: without
// this, "folders with a webhook named X" would tell a partner whether a
// webhook of another's shares a folder with its own, and what it is
// called. So every filter under an edge matches only the records of its
// kind the partner sees, and hasX (true or false) asks for an X the partner
// sees. Other principals' filters, and other values, are left as they are.
func ScopeFilter(ctx context.Context, where any) {
	scopeFilter(ctx, where, true)
}

// ScopeFilterOnly is ScopeFilter for where alone, not the filters nested
// in it (not, and, or, the filters of its edges): for a decoder that calls
// it on each filter it decodes, nested ones first, as GraphQL's does.
func ScopeFilterOnly(ctx context.Context, where any) {
	scopeFilter(ctx, where, false)
}

func scopeFilter(ctx context.Context, where any, nested bool) {
	pr := PrincipalFrom(ctx)
	if !pr.IsPartner() {
		return
	}
	s := filterScope{ids: pr.Webhooks, nested: nested}
	switch w := where.(type) {
	case *ent.WebhookWhereInput:
		s.webhook(w)
	case *ent.FolderWhereInput:
		s.folder(w)
	case *ent.FileWhereInput:
		s.file(w)
	case *ent.WebhookCallWhereInput:
		s.call(w)
	}
}

// filterScope narrows filters to what a partner of the webhooks ids sees:
// each method narrows the edges of a filter of its kind and, if nested,
// the filters in it.
type filterScope struct {
	ids    []int
	nested bool
}

func (s filterScope) webhook(w *ent.WebhookWhereInput) {
	if w == nil {
		return
	}
	if s.nested {
		s.webhook(w.Not)
		for _, x := range slices.Concat(w.And, w.Or) {
			s.webhook(x)
		}
		for _, x := range w.HasFoldersWith {
			s.folder(x)
		}
	}
	if w.HasFolders != nil {
		w.AddPredicates(has(*w.HasFolders, webhook.HasFoldersWith(foldersOf(s.ids)), webhook.Not))
		w.HasFolders = nil
	}
	for _, x := range w.HasFoldersWith {
		x.AddPredicates(foldersOf(s.ids))
	}
}

func (s filterScope) folder(w *ent.FolderWhereInput) {
	if w == nil {
		return
	}
	if s.nested {
		s.folder(w.Not)
		for _, x := range slices.Concat(w.And, w.Or) {
			s.folder(x)
		}
		for _, x := range w.HasFilesWith {
			s.file(x)
		}
		for _, x := range w.HasWebhooksWith {
			s.webhook(x)
		}
	}
	if w.HasFiles != nil {
		w.AddPredicates(has(*w.HasFiles, folder.HasFilesWith(filesOf(s.ids)), folder.Not))
		w.HasFiles = nil
	}
	if w.HasWebhooks != nil {
		w.AddPredicates(has(*w.HasWebhooks, folder.HasWebhooksWith(webhooksOf(s.ids)), folder.Not))
		w.HasWebhooks = nil
	}
	for _, x := range w.HasFilesWith {
		x.AddPredicates(filesOf(s.ids))
	}
	for _, x := range w.HasWebhooksWith {
		x.AddPredicates(webhooksOf(s.ids))
	}
}

func (s filterScope) file(w *ent.FileWhereInput) {
	if w == nil {
		return
	}
	if s.nested {
		s.file(w.Not)
		for _, x := range slices.Concat(w.And, w.Or) {
			s.file(x)
		}
		for _, x := range w.HasFolderWith {
			s.folder(x)
		}
	}
	if w.HasFolder != nil {
		w.AddPredicates(has(*w.HasFolder, file.HasFolderWith(foldersOf(s.ids)), file.Not))
		w.HasFolder = nil
	}
	for _, x := range w.HasFolderWith {
		x.AddPredicates(foldersOf(s.ids))
	}
}

func (s filterScope) call(w *ent.WebhookCallWhereInput) {
	if w == nil {
		return
	}
	if s.nested {
		s.call(w.Not)
		for _, x := range slices.Concat(w.And, w.Or) {
			s.call(x)
		}
		for _, x := range w.HasWebhookWith {
			s.webhook(x)
		}
		for _, x := range w.HasFileWith {
			s.file(x)
		}
		for _, x := range w.HasFolderWith {
			s.folder(x)
		}
	}
	if w.HasWebhook != nil {
		w.AddPredicates(has(*w.HasWebhook, webhookcall.HasWebhookWith(webhooksOf(s.ids)), webhookcall.Not))
		w.HasWebhook = nil
	}
	if w.HasFile != nil {
		w.AddPredicates(has(*w.HasFile, webhookcall.HasFileWith(filesOf(s.ids)), webhookcall.Not))
		w.HasFile = nil
	}
	if w.HasFolder != nil {
		w.AddPredicates(has(*w.HasFolder, webhookcall.HasFolderWith(foldersOf(s.ids)), webhookcall.Not))
		w.HasFolder = nil
	}
	for _, x := range w.HasWebhookWith {
		x.AddPredicates(webhooksOf(s.ids))
	}
	for _, x := range w.HasFileWith {
		x.AddPredicates(filesOf(s.ids))
	}
	for _, x := range w.HasFolderWith {
		x.AddPredicates(foldersOf(s.ids))
	}
}

// has is the predicate "has a neighbour the partner sees" (with), or its
// negation.
func has[P any](want bool, with P, not func(P) P) P {
	if want {
		return with
	}
	return not(with)
}
