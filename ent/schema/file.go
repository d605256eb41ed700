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
			Comment("The file's name as uploaded (1–255 characters), without a path; webhook filters match it.").
			Annotations(entgql.OrderField("NAME")),
		field.String("content_type").NotEmpty().MaxLen(255).
			Comment("The media type the uploader gave, e.g. video/mp4 (application/octet-stream when it gave none)."),
		field.Int64("size_bytes").NonNegative().
			Comment("The file's size in bytes.").
			Annotations(entgql.OrderField("SIZE_BYTES")),
		field.String("storage_key").NotEmpty().Immutable().
			Annotations(entgql.Skip()),
		field.String("sha256").NotEmpty().Immutable().
			Comment("The SHA-256 of the file's bytes, in lowercase hex, as computed by the server."),
		field.Time("created_at").Default(time.Now).Immutable().
			Comment("When the file arrived (and its webhooks were called).").
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// Edges of the File.
func (File) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("folder", Folder.Type).Ref("files").Unique().Required().Immutable().
			Comment("The folder the file arrived in."),
	}
}

// Indexes of the File.
func (File) Indexes() []ent.Index {
	return []ent.Index{index.Fields("created_at")}
}

// Annotations of the File.
func (File) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField().Description("Files of every folder, oldest first unless orderBy says otherwise " +
			"(first or last: at most 100, default 50). Any token may read them."),
		entgql.RelayConnection(),
		schema.Comment("A file that arrived in a folder, by uploadFile or a direct upload (completeUpload). " +
			"Its arrival is what calls the webhooks of its folder and those for all folders."),
	}
}
