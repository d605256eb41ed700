package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/entsql"
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

// Indexes of the Folder: by name for the list's order, and a trigram index
// (PostgreSQL's pg_trgm, created by a migration) for the search (ILIKE
// '%...%', calllog.FolderSearch), so that it does not read every folder.
// SQLite ignores the type and operator class and makes a plain index.
func (Folder) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("name"),
		index.Fields("name").StorageKey("folder_name_trgm").
			Annotations(
				entsql.IndexTypes(map[string]string{dialect.Postgres: "GIN"}),
				entsql.OpClassColumn("name", "gin_trgm_ops"),
			),
	}
}

// Annotations of the Folder.
func (Folder) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
