package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// File is a file that arrived in a folder. Its bytes live in the blob store
// under StorageKey; a new File is what fires webhooks.
type File struct {
	ent.Schema
}

// Fields of the File.
func (File) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(255).
			Annotations(entgql.OrderField("NAME")),
		field.String("content_type").NotEmpty().MaxLen(255),
		field.Int64("size_bytes").NonNegative().
			Annotations(entgql.OrderField("SIZE_BYTES")),
		field.String("storage_key").NotEmpty().Immutable().
			Annotations(entgql.Skip()),
		field.String("sha256").NotEmpty().Immutable(),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// Edges of the File.
func (File) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("folder", Folder.Type).Ref("files").Unique().Required().Immutable(),
	}
}

// Indexes of the File.
func (File) Indexes() []ent.Index {
	return []ent.Index{index.Fields("created_at")}
}

// Annotations of the File.
func (File) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
