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

// Session is a console sign-in: the session cookie holds a random session
// ID, never the API token it was started with. Only the ID's SHA-256 is
// stored. A session ends when its user signs out, an admin ends it, its
// token is revoked or expires, it is idle too long or it reaches its
// absolute expiry.
type Session struct {
	ent.Schema
}

// Fields of the Session.
func (Session) Fields() []ent.Field {
	return []ent.Field{
		// hash is the SHA-256 (hex) of the session ID the cookie holds.
		field.String("hash").Sensitive().Immutable(),
		// token_id is the API token the session was started with; none for
		// the bootstrap admin token (SCOOPA_ADMIN_TOKEN).
		field.Int("token_id").Optional().Nillable().Immutable(),
		// bootstrap_digest is, for a session of the bootstrap admin token,
		// the SHA-256 of that token: once SCOOPA_ADMIN_TOKEN changes or is
		// removed, its sessions no longer authenticate.
		field.String("bootstrap_digest").Optional().Sensitive().Immutable(),
		// role and token_name are the token's when the session started.
		field.Enum("role").Values("ADMIN", "VIEWER", "PARTNER").Immutable(),
		field.String("token_name").MaxLen(255).Immutable(),
		field.Time("created_at").Default(time.Now).Immutable(),
		// last_seen_at is the session's last use, written at most once a
		// minute; the idle timeout counts from it.
		field.Time("last_seen_at").Default(time.Now),
		// expires_at is the absolute expiry, whatever the use.
		field.Time("expires_at").Immutable(),
		// user_agent and client_address are the sign-in request's
		// (truncated), shown to admins to tell sessions apart.
		field.String("user_agent").Default("").MaxLen(256).Immutable(),
		field.String("client_address").Default("").MaxLen(64).Immutable(),
		// ended_at and ended_reason say when and why the session ended.
		field.Time("ended_at").Optional().Nillable(),
		field.Enum("ended_reason").Values("SIGNED_OUT", "ENDED_BY_ADMIN", "TOKEN_REVOKED").Optional().Nillable(),
		// portal_title is set for a session opened with a portal link: the
		// link's title, empty for the default (SCOOPA_PORTAL_TITLE). The
		// partner view shows it.
		field.String("portal_title").Optional().Nillable().MaxLen(480).Immutable(),
	}
}

// Edges of the Session.
func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("token", APIToken.Type).Ref("sessions").Field("token_id").Unique().Immutable(),
	}
}

// Indexes of the Session.
func (Session) Indexes() []ent.Index {
	return []ent.Index{index.Fields("hash").Unique(), index.Fields("token_id")}
}

// Annotations of the Session.
func (Session) Annotations() []schema.Annotation {
	// The GraphQL type (ConsoleSession, graph/sessions.graphqls) is written
	// by hand: it shows no hash and says which session is the caller's.
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
