package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// FieldChange is one field an audited change changed: its value before and
// after, as the audit log shows them (secrets masked; nil when the field
// had no value).
type FieldChange struct {
	Field string  `json:"field"`
	Old   *string `json:"old"`
	New   *string `json:"new"`
}

// AuditEntry is one change made through the API, recorded in the same
// transaction as the change (internal/audit): who made it, what it was,
// on what, and the fields it changed, secrets masked. Entries are never
// changed; the retention job deletes the old ones.
type AuditEntry struct {
	ent.Schema
}

// Fields of the AuditEntry.
func (AuditEntry) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").Default(time.Now).Immutable(),
		// actor_name, actor_token_id and actor_role are the token the
		// change was made with (a console session's token); no token ID
		// for the bootstrap admin token.
		field.String("actor_name").MaxLen(255).Immutable(),
		field.Int("actor_token_id").Optional().Nillable().Immutable(),
		field.String("actor_role").Default("").MaxLen(16).Immutable(),
		// action is what was done, "<subject type>.<verb>" ("webhook.update").
		field.String("action").MaxLen(64).Immutable(),
		// subject_type, subject_id and subject_name are what it was done to.
		field.String("subject_type").MaxLen(64).Immutable(),
		field.Int("subject_id").Immutable(),
		field.String("subject_name").Default("").MaxLen(255).Immutable(),
		// changes are the fields changed, secrets masked.
		field.JSON("changes", []FieldChange{}).Immutable(),
		// client_address is the address the request came from.
		field.String("client_address").Default("").MaxLen(64).Immutable(),
	}
}

// Indexes of the AuditEntry.
func (AuditEntry) Indexes() []ent.Index {
	return []ent.Index{index.Fields("at"), index.Fields("action"), index.Fields("subject_id")}
}

// Annotations of the AuditEntry.
func (AuditEntry) Annotations() []schema.Annotation {
	// The GraphQL type (AuditEntry, graph/audit.graphqls) is written by
	// hand: the log is for admins only, filtered as they need.
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
