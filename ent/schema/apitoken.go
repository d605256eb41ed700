package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// APIToken is a bearer token for the GraphQL API. Only a hash of the secret
// is stored; the secret itself is shown once, when the token is created.
type APIToken struct {
	ent.Schema
}

// Fields of the APIToken.
func (APIToken) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(255).
			Comment("What the token is for, as its creator named it (1–255 characters, not unique)."),
		field.Enum("role").Values("ADMIN", "VIEWER", "PARTNER").
			Comment("What the token may do: ADMIN everything, VIEWER read only, PARTNER only its webhooks.").
			Annotations(EnumDoc{
				Type: "What an API token may do.",
				Values: map[string]string{
					"ADMIN": "Everything: every query and mutation, webhook URLs and signing secrets in full, API tokens.",
					"VIEWER": "Read only: queries, with the query values and passwords of URLs masked, no signing " +
						"secrets and no API tokens; mutations are refused with FORBIDDEN.",
					"PARTNER": "A third party's: it sees only its webhooks (the token's webhooks), their calls, the files " +
						"those calls delivered and the folders they belong to; everything else answers as if it did not " +
						"exist. It may retry and recover its calls, send a test file and rotate the signing secret; with " +
						"manage, change its webhooks' delivery settings too (docs/PARTNERS.md).",
				},
			}),
		// prefix is the public start of the token, shown in lists to tell tokens apart.
		field.String("prefix").Immutable().
			Comment("The public start of the token's secret, to tell tokens apart in lists and logs; it does not authenticate."),
		field.String("hash").Sensitive().Immutable().Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable().
			Comment("When the token was created."),
		field.Time("last_used_at").Optional().Nillable().
			Comment("When the token last authenticated a request, to the minute (it is recorded at most once a minute); null if never."),
		field.Time("expires_at").Optional().Nillable().
			Comment("When the token stops working; null if it never expires."),
		field.Time("revoked_at").Optional().Nillable().
			Comment("When revokeApiToken revoked the token, which no longer works; null while it is not revoked."),
		field.Bool("manage").Default(false).
			Comment("For a PARTNER token: whether it may change its webhooks' URL, headers, OAuth2 settings, client " +
				"certificate, timeout, retry schedule and limits. Always false for other roles."),
	}
}

// Edges of the APIToken.
func (APIToken) Edges() []ent.Edge {
	return []ent.Edge{
		// sessions are the console sessions started with the token; they
		// go with it.
		edge.To("sessions", Session.Type).Annotations(entsql.OnDelete(entsql.Cascade), entgql.Skip()),
		edge.To("webhooks", Webhook.Type).
			Comment("For a PARTNER token: the webhooks it sees and acts on; empty for other roles."),
		// portal_links are the links minted for the token; they go with it.
		edge.To("portal_links", PortalLink.Type).Annotations(entsql.OnDelete(entsql.Cascade), entgql.Skip()),
	}
}

// Indexes of the APIToken.
func (APIToken) Indexes() []ent.Index {
	return []ent.Index{index.Fields("hash").Unique()}
}

// Annotations of the APIToken.
func (APIToken) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
		schema.Comment("An API token, as admins see it (apiTokens, createApiToken, revokeApiToken): a bearer token " +
			"for the API, sent as Authorization: Bearer <secret>. Only a hash of its secret is stored; the secret " +
			"is shown once, when the token is created. Admins only."),
	}
}
