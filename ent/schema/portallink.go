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

// PortalLink is a signed, single-use link that starts a console session of
// a PARTNER token, so that a partner opens its view without ever handling
// the token. Only a hash of the link's secret is stored.
type PortalLink struct {
	ent.Schema
}

// Fields of the PortalLink.
func (PortalLink) Fields() []ent.Field {
	return []ent.Field{
		// hash is the SHA-256 (hex) of the link's secret.
		field.String("hash").Sensitive().Immutable(),
		// token_id is the PARTNER token whose session the link starts.
		field.Int("token_id").Immutable(),
		// title is the partner view's title, at most 120 characters (ent
		// counts bytes: 480 is 120 of the longest); empty for the default
		// (SCOOPA_PORTAL_TITLE).
		field.String("title").Default("").MaxLen(480).Immutable(),
		field.Time("created_at").Default(time.Now).Immutable(),
		// expires_at is when the link stops working, used or not.
		field.Time("expires_at").Immutable(),
		// used_at is when the link was opened; a link is opened once.
		field.Time("used_at").Optional().Nillable(),
		// created_by is the name of the token that minted the link.
		field.String("created_by").Default("").MaxLen(255).Immutable(),
	}
}

// Edges of the PortalLink.
func (PortalLink) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("token", APIToken.Type).Ref("portal_links").Field("token_id").Unique().Required().Immutable(),
	}
}

// Indexes of the PortalLink.
func (PortalLink) Indexes() []ent.Index {
	return []ent.Index{index.Fields("hash").Unique(), index.Fields("token_id")}
}

// Annotations of the PortalLink.
func (PortalLink) Annotations() []schema.Annotation {
	// The GraphQL type (graph/partners.graphqls) is written by hand: it
	// shows the link only once, when it is minted.
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
