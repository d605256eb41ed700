package auth

import (
	"context"
	"errors"

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
			q.Where(webhook.IDIn(ids...))
		case *ent.WebhookHeaderQuery:
			q.Where(webhookheader.HasWebhookWith(webhook.IDIn(ids...)))
		case *ent.WebhookStatQuery:
			q.Where(webhookstat.WebhookIDIn(ids...))
		case *ent.WebhookCallQuery:
			q.Where(webhookcall.WebhookIDIn(ids...))
		case *ent.WebhookCallAttemptQuery:
			q.Where(webhookcallattempt.HasCallWith(webhookcall.WebhookIDIn(ids...)))
		case *ent.FileQuery:
			q.Where(predicate.File(inCallsOf(file.FieldID, webhookcall.FieldFileID, ids)))
		case *ent.FolderQuery:
			q.Where(folder.Or(folder.HasWebhooksWith(webhook.IDIn(ids...)), predicate.Folder(inCallsOf(folder.FieldID, webhookcall.FieldFolderID, ids))))
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
