// Package audit is the audit log: every change made through the API (of
// webhooks, folders, API tokens and console sessions) is recorded by the
// one writer, Record, in the transaction of the change, so that no change
// goes unrecorded and no entry tells of a change that rolled back. An entry
// says who made the change (the token, or the console session's token, and
// the client address), what it was (an action such as "webhook.update"), on
// what (subject type, ID and name) and which fields it changed, old and new
// values as the log shows them: secrets (header values, the values in a
// URL's query and its password, the OAuth2 client secret, the client key,
// the signing secret) are never written, only that they were set or
// changed. Admins read the log (List); the retention job deletes the
// entries older than its retention (Prune).
package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/auditentry"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/schema"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/secrets"
)

// Actor is who made a change.
type Actor struct {
	// Name is the token's name ("bootstrap" for the bootstrap admin
	// token); TokenID its ID, 0 for the bootstrap admin token; Role its
	// role.
	Name    string
	TokenID int
	Role    string
	// Addr is the client address the request came from.
	Addr string
}

// Entry is a change to record.
type Entry struct {
	// Action is "<subject type>.<verb>", such as "webhook.update".
	Action      string
	SubjectType string
	SubjectID   int
	SubjectName string
	// Changes are the fields changed (Diff).
	Changes []schema.FieldChange
}

// Words the log writes instead of a secret value.
const (
	// Set stands for a secret value that was set (or removed).
	Set = "(set)"
	// Changed stands for a secret value that was replaced.
	Changed = "(changed)"
)

// Record writes e, made by a at at, with c: the client of the transaction
// that makes the change.
func Record(ctx context.Context, c *ent.Client, at time.Time, a Actor, e Entry) error {
	changes := e.Changes
	if changes == nil {
		changes = []schema.FieldChange{}
	}
	name := a.Name
	if name == "" {
		name = "unknown"
	}
	cr := c.AuditEntry.Create().SetAt(at).SetActorName(clip(name, 255)).SetActorRole(a.Role).
		SetAction(e.Action).SetSubjectType(e.SubjectType).SetSubjectID(e.SubjectID).
		SetSubjectName(clip(e.SubjectName, 255)).SetChanges(changes).SetClientAddress(clip(a.Addr, 64))
	if a.TokenID != 0 {
		cr.SetActorTokenID(a.TokenID)
	}
	if err := cr.Exec(ctx); err != nil {
		return fmt.Errorf("audit log: record %s: %w", e.Action, err)
	}
	return nil
}

// clip cuts s to at most n bytes, on a rune boundary.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	for len(s) > n {
		r := []rune(s)
		s = string(r[:len(r)-1])
	}
	return s
}

// Value is the value of a field in a Snapshot: Raw compares it, Shown is
// what the log writes of it; a Secret's value is never written.
type Value struct {
	Raw    string
	Shown  string
	Secret bool
}

// Plain is a value the log may show as it is.
func Plain(v string) Value { return Value{Raw: v, Shown: v} }

// URL is a URL, shown with the values of its query and its password
// masked (secrets.MaskURL), as VIEWER tokens see it.
func URL(v string) Value { return Value{Raw: v, Shown: secrets.MaskURL(v)} }

// Secret is a secret value: the log only says it was set or changed.
func Secret(v string) Value { return Value{Raw: v, Secret: true} }

// Snapshot is the state of a subject, by field; a field without a value
// is absent.
type Snapshot map[string]Value

// Diff returns the fields whose value differs between old and new, by
// name. A secret is written Set when it appears or disappears, and Changed
// when it is replaced; a value whose masked form did not change while the
// value did (a URL's query value) is written with " (masked parts
// changed)".
func Diff(old, new Snapshot) []schema.FieldChange {
	names := make([]string, 0, len(old)+len(new))
	for k := range old {
		names = append(names, k)
	}
	for k := range new {
		if _, ok := old[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	out := []schema.FieldChange{}
	for _, k := range names {
		o, hadOld := old[k]
		n, hasNew := new[k]
		if hadOld && hasNew && o.Raw == n.Raw {
			continue
		}
		c := schema.FieldChange{Field: k}
		if hadOld {
			c.Old = shown(o)
		}
		if hasNew {
			c.New = shown(n)
			if hadOld {
				switch {
				case n.Secret || o.Secret:
					c.New = ptr(Changed)
				case *c.Old == *c.New:
					c.New = ptr(*c.New + " (masked parts changed)")
				}
			}
		}
		out = append(out, c)
	}
	return out
}

func shown(v Value) *string {
	if v.Secret {
		return ptr(Set)
	}
	return ptr(v.Shown)
}

func ptr(s string) *string { return &s }

// Filter narrows List; nil fields do not.
type Filter struct {
	Action    *string
	ActorName *string
	SubjectID *int
	Since     *time.Time
	Until     *time.Time
}

// Page is a page of entries, newest first.
type Page struct {
	Entries              []*ent.AuditEntry
	HasNext, HasPrevious bool
	Total                int
}

// Most entries a page holds; DefaultPage when the page size is not given.
const (
	MaxPage     = 500
	DefaultPage = 50
)

// List returns a page of the entries matching f, newest first: the first
// n after the entry whose ID is after (or the first), or the last n before
// the entry whose ID is before. At most one of first and last is given.
func List(ctx context.Context, db *ent.Client, f Filter, first *int, after *int, last *int, before *int) (*Page, error) {
	if first != nil && last != nil {
		return nil, problem.Invalid("last", "give either first or last, not both")
	}
	for _, b := range []struct {
		name string
		n    *int
	}{{"first", first}, {"last", last}} {
		if b.n != nil && (*b.n < 0 || *b.n > MaxPage) {
			return nil, problem.Invalid(b.name, "must be between 0 and %d", MaxPage)
		}
	}
	if f.Since != nil && f.Until != nil && !f.Since.Before(*f.Until) {
		return nil, problem.Invalid("where.until", "must be after since")
	}
	var ps []predicate.AuditEntry
	if f.Action != nil && *f.Action != "" {
		ps = append(ps, auditentry.Action(*f.Action))
	}
	if f.ActorName != nil && *f.ActorName != "" {
		ps = append(ps, auditentry.ActorName(*f.ActorName))
	}
	if f.SubjectID != nil {
		ps = append(ps, auditentry.SubjectID(*f.SubjectID))
	}
	if f.Since != nil {
		ps = append(ps, auditentry.AtGTE(*f.Since))
	}
	if f.Until != nil {
		ps = append(ps, auditentry.AtLT(*f.Until))
	}
	total, err := db.AuditEntry.Query().Where(ps...).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit log: count: %w", err)
	}
	page := &Page{Total: total}
	q := db.AuditEntry.Query().Where(ps...)
	if last != nil {
		n := *last
		if before != nil {
			q.Where(auditentry.IDGT(*before))
			page.HasNext = true
		}
		list, err := q.Order(ent.Asc(auditentry.FieldID)).Limit(n + 1).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("audit log: list: %w", err)
		}
		if len(list) > n {
			list, page.HasPrevious = list[:n], true
		}
		slices.Reverse(list)
		page.Entries = list
		return page, nil
	}
	n := DefaultPage
	if first != nil {
		n = *first
	}
	if after != nil {
		q.Where(auditentry.IDLT(*after))
		page.HasPrevious = true
	}
	list, err := q.Order(ent.Desc(auditentry.FieldID)).Limit(n + 1).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit log: list: %w", err)
	}
	if len(list) > n {
		list, page.HasNext = list[:n], true
	}
	page.Entries = list
	return page, nil
}

// Prune deletes the entries recorded before before and returns how many.
func Prune(ctx context.Context, db *ent.Client, before time.Time) (int, error) {
	n, err := db.AuditEntry.Delete().Where(auditentry.AtLT(before)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("audit log: prune: %w", err)
	}
	return n, nil
}
