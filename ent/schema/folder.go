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
			Comment("The folder's name (1–255 characters, not unique).").
			Annotations(entgql.OrderField("NAME")),
		field.Time("created_at").Default(time.Now).Immutable().
			Comment("When the folder was created.").
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// Edges of the Folder.
func (Folder) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("files", File.Type).Annotations(entgql.RelayConnection()).
			Comment("The files that arrived in the folder, oldest first unless orderBy says otherwise."),
		edge.From("webhooks", Webhook.Type).Ref("folders").
			Comment("The webhooks assigned to the folder (webhooks with allFolders set apply too, but are not listed)."),
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
	return []schema.Annotation{
		entgql.QueryField().Description("Folders, oldest first unless orderBy says otherwise " +
			"(first or last: at most 100, default 50); where.search finds them by name. Any token may read them."),
		entgql.RelayConnection(),
		schema.Comment("A folder of the media platform. Files arrive in folders, and a webhook is called for " +
			"the new files of the folders assigned to it (or of every folder, with allFolders)."),
	}
}
