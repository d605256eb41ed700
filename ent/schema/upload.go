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

// Upload is a direct upload: a file whose bytes the client sends straight to
// the blob store in parts (presigned URLs), announced by createUpload and
// turned into a File by completeUpload. The store keeps the parts received;
// this row keeps what was declared and where the bytes go.
type Upload struct {
	ent.Schema
}

// Fields of the Upload.
func (Upload) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(255).Immutable(),
		field.String("content_type").NotEmpty().MaxLen(255).Immutable(),
		// size_bytes is the size the client declared; completeUpload
		// checks the bytes received against it.
		field.Int64("size_bytes").NonNegative().Immutable(),
		// sha256 is the checksum the client declared, if it did (hex).
		field.String("sha256").Optional().Nillable().Immutable(),
		// storage_key is where the blob is when complete.
		field.String("storage_key").NotEmpty().Immutable(),
		// multipart_id is the store's ID of the multipart upload.
		field.String("multipart_id").NotEmpty().Immutable(),
		field.Int64("part_size").Positive().Immutable(),
		field.Int("part_count").Positive().Immutable(),
		// state: PENDING (parts may be sent), COMPLETING (claimed by a
		// completeUpload checking the bytes; it ends COMPLETED, FAILED or
		// PENDING again), COMPLETED (the File exists), ABORTED (by
		// abortUpload or expiry), FAILED (the bytes were not what was
		// declared; the blob was deleted). Each change is a compare-and-set
		// on this column, made before the store is touched, so completing
		// and aborting never both act.
		field.Enum("state").Values("PENDING", "COMPLETING", "COMPLETED", "ABORTED", "FAILED").Default("PENDING"),
		// error says why an upload FAILED.
		field.String("error").Optional().Nillable(),
		field.Time("expires_at"),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("updated_at").Default(time.Now),
		// created_by names the API token that created the upload.
		field.String("created_by").MaxLen(255).Immutable(),
	}
}

// Edges of the Upload.
func (Upload) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("folder", Folder.Type).Unique().Required().Immutable(),
		// file is the File made by completeUpload.
		edge.To("file", File.Type).Unique(),
	}
}

// Indexes of the Upload.
func (Upload) Indexes() []ent.Index {
	// The cleanup looks for pending uploads past their expiry.
	return []ent.Index{index.Fields("state", "expires_at")}
}

// Annotations of the Upload.
func (Upload) Annotations() []schema.Annotation {
	// The GraphQL type (DirectUpload, graph/schema.graphqls) is written by
	// hand: "Upload" is the multipart spec's scalar.
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
