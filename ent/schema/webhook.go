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

// Webhook is a target URL that is called for every new file in its folders
// (or in every folder when AllFolders is set) whose name contains Filter.
type Webhook struct {
	ent.Schema
}

// Fields of the Webhook.
func (Webhook) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(255).
			Annotations(entgql.OrderField("NAME")),
		field.String("url").NotEmpty().MaxLen(2048),
		field.Bool("active").Default(false),
		field.Bool("all_folders").Default(false),
		field.String("filter").Optional().Nillable().MaxLen(255).
			Annotations(entgql.Skip(entgql.SkipWhereInput)), // WebhookWhereInput.Filter is a method
		field.Enum("validation_status").Values("UNVALIDATED", "VALID", "INVALID").Default("UNVALIDATED"),
		field.Time("last_validated_at").Optional().Nillable(),
		field.String("last_validation_error").Optional().Nillable(),
		// signing_secret is exposed through a resolver that only admins may read.
		// It and previous_signing_secret are stored sealed (worker/secrets.go).
		field.String("signing_secret").Sensitive().Annotations(entgql.Skip()),
		// previous_signing_secret still signs calls until previous_secret_expires_at,
		// so receivers can roll over to a rotated secret without dropping calls.
		field.String("previous_signing_secret").Optional().Nillable().Sensitive().Annotations(entgql.Skip()),
		field.Time("previous_secret_expires_at").Optional().Nillable().Annotations(entgql.Skip()),
		// disabled_reason says why the service deactivated the webhook by
		// itself (its calls failed for SCOOPA_DISABLE_AFTER, or the receiver
		// answered 410 Gone); disabled_at says when. Both are cleared when
		// the webhook is activated again.
		field.String("disabled_reason").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Time("disabled_at").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now).
			Annotations(entgql.OrderField("UPDATED_AT")),
		// Delivery limits (internal/webhooks/limits.go). Unset: unlimited.
		// max_requests_per_second and max_concurrent hold across all
		// workers; a call over them waits, it does not fail.
		field.Int("max_requests_per_second").Optional().Nillable(),
		field.Int("max_concurrent").Optional().Nillable(),
		// timeout_seconds overrides SCOOPA_DELIVERY_TIMEOUT for this webhook.
		field.Int("timeout_seconds").Optional().Nillable(),
		// retry_delays override SCOOPA_RETRY_DELAYS ("1m", "10m", ...); nil:
		// the service's schedule; empty: no retry.
		field.Strings("retry_delays").Optional(),
		// ordered delivers the webhook's calls one at a time, in the order
		// their files arrived (internal/webhooks/order.go). A call keeps the
		// value in force when it was created (webhook_calls.ordered).
		field.Bool("ordered").Default(false),
		// OAuth2 client credentials (internal/webhooks/auth.go): calls carry
		// a bearer token from oauth_token_url. The client secret is stored
		// sealed and never read back; the API serves these through
		// resolvers of their own.
		field.String("oauth_token_url").Optional().Nillable().MaxLen(2048).Annotations(entgql.Skip()),
		field.String("oauth_client_id").Optional().Nillable().MaxLen(255).Annotations(entgql.Skip()),
		field.String("oauth_client_secret").Optional().Nillable().Sensitive().Annotations(entgql.Skip()),
		field.Strings("oauth_scopes").Optional().Annotations(entgql.Skip()),
		field.String("oauth_audience").Optional().Nillable().MaxLen(2048).Annotations(entgql.Skip()),
		// Mutual TLS: the client certificate (PEM) and its key (PEM, stored
		// sealed) presented to the receiver, and the CA certificates (PEM)
		// the receiver's certificate is checked against instead of the
		// system's. client_cert_expiry_warned is set once the operator was
		// told that this certificate expires soon; a new one clears it.
		field.Text("client_cert").Optional().Nillable().Annotations(entgql.Skip()),
		field.Text("client_key").Optional().Nillable().Sensitive().Annotations(entgql.Skip()),
		field.Time("client_cert_not_after").Optional().Nillable().Annotations(entgql.Skip()),
		field.Bool("client_cert_expiry_warned").Default(false).Annotations(entgql.Skip()),
		field.Text("ca_cert").Optional().Nillable().Annotations(entgql.Skip()),
	}
}

// Edges of the Webhook.
func (Webhook) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("headers", WebhookHeader.Type).
			Annotations(entsql.OnDelete(entsql.Cascade), entgql.Skip()),
		edge.To("folders", Folder.Type),
		// Calls outlive their webhook: the log keeps its snapshot.
		edge.To("calls", WebhookCall.Type).
			Annotations(entsql.OnDelete(entsql.SetNull), entgql.Skip()),
	}
}

// Indexes of the Webhook: trigram indexes (PostgreSQL's pg_trgm, created by
// a migration) for the search by name and URL (ILIKE '%...%',
// calllog.WebhookSearch). SQLite ignores the type and operator class and
// makes plain indexes.
func (Webhook) Indexes() []ent.Index {
	trgm := func(col string) ent.Index {
		return index.Fields(col).StorageKey("webhook_"+col+"_trgm").
			Annotations(
				entsql.IndexTypes(map[string]string{dialect.Postgres: "GIN"}),
				entsql.OpClassColumn(col, "gin_trgm_ops"),
			)
	}
	return []ent.Index{trgm("name"), trgm("url")}
}

// Annotations of the Webhook.
func (Webhook) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
