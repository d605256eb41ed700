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

// Folder is a folder of the media platform. New files arrive in folders, and
// webhooks are assigned to folders.
type Folder struct {
	ent.Schema
}

// Fields of the Folder.
func (Folder) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(255).
			Annotations(entgql.OrderField("NAME")),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// Edges of the Folder.
func (Folder) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("files", File.Type).Annotations(entgql.RelayConnection()),
		edge.From("webhooks", Webhook.Type).Ref("folders"),
	}
}

// Indexes of the Folder.
func (Folder) Indexes() []ent.Index {
	return []ent.Index{index.Fields("name")}
}

// Annotations of the Folder.
func (Folder) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
