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
			Comment("The webhook's name (1–255 characters, not unique), shown in the call log and sent in no call.").
			Annotations(entgql.OrderField("NAME")),
		field.String("url").NotEmpty().MaxLen(2048).
			Comment("The absolute http or https URL that calls are POSTed to (at most 2048 characters). " +
				"For non-admins, query values and the password are masked, as they may be credentials."),
		field.Bool("active").Default(false).
			Comment("Whether new files call the webhook. An inactive webhook gets no new calls and its waiting " +
				"calls are canceled; the service deactivates a webhook by itself too (see disabledReason)."),
		field.Bool("all_folders").Default(false).
			Comment("Whether the webhook is called for new files of every folder (origin PLATFORM), not only of its folders."),
		field.String("filter").Optional().Nillable().MaxLen(255).
			Comment("Only files whose name contains this text, ignoring case, call the webhook; null: every file.").
			Annotations(entgql.Skip(entgql.SkipWhereInput)), // WebhookWhereInput.Filter is a method
		// The media filters (internal/rules.FileFilter): a file fires the
		// webhook only if it meets every one that is set, and the filter.
		field.Strings("content_types").Optional().
			Comment("Only files whose content type matches one of these patterns (\"video/*\", \"image/png\"; " +
				"ignoring case and parameters) call the webhook; null: every type.").
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("name_glob").Optional().Nillable().MaxLen(255).
			Comment("Only files whose whole name matches this pattern, ignoring case, call the webhook: * any run " +
				"of characters, ? one character, [abc] one of those, [a-z] one in the range, [!abc] one not listed; " +
				"/ is a character like any other. Null: every name.").
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Int64("min_size_bytes").Optional().Nillable().
			Comment("Only files of at least this many bytes call the webhook; null: no least size.").
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Int64("max_size_bytes").Optional().Nillable().
			Comment("Only files of at most this many bytes call the webhook; null: no greatest size.").
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Enum("validation_status").Values("UNVALIDATED", "VALID", "INVALID").Default("UNVALIDATED").
			Comment("The outcome of the webhook's last validation call.").
			Annotations(EnumDoc{
				Type: "The outcome of a webhook's last validation call (a POST of the validation payload, " +
					"made when the webhook is saved, by revalidateWebhook and periodically).",
				Values: map[string]string{
					"UNVALIDATED": "No validation call has finished yet.",
					"VALID":       "The last validation call got a 2xx answer.",
					"INVALID":     "The last validation call failed; lastValidationError says why.",
				},
			}),
		field.Time("last_validated_at").Optional().Nillable().
			Comment("When the last validation call finished; null if none has."),
		field.String("last_validation_error").Optional().Nillable().
			Comment("Why the last validation call failed (\"HTTP 404\" for an answer that is not 2xx, or the network error); null unless validationStatus is INVALID."),
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
			Comment("Why the service deactivated the webhook by itself: its calls kept failing for " +
				"SCOOPA_DISABLE_AFTER, or its receiver answered 410 Gone. Null when it did not, and cleared " +
				"when the webhook is activated again.").
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Time("disabled_at").Optional().Nillable().
			Comment("When the service deactivated the webhook by itself (see disabledReason); null otherwise."),
		field.Time("created_at").Default(time.Now).Immutable().
			Comment("When the webhook was created.").
			Annotations(entgql.OrderField("CREATED_AT")),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now).
			Comment("When the webhook was last changed, by an update or a validation.").
			Annotations(entgql.OrderField("UPDATED_AT")),
		// Delivery limits (internal/webhooks/limits.go). Unset: unlimited.
		// max_requests_per_second and max_concurrent hold across all
		// workers; a call over them waits, it does not fail.
		field.Int("max_requests_per_second").Optional().Nillable().
			Comment("At most this many requests per second (1–10000) to the URL, across all workers; calls " +
				"beyond it wait (PENDING, with waitReason), they do not fail. Null: no limit."),
		field.Int("max_concurrent").Optional().Nillable().
			Comment("At most this many requests to the URL in flight at once (1–1000), across all workers. Null: no limit."),
		// timeout_seconds overrides SCOOPA_DELIVERY_TIMEOUT for this webhook.
		field.Int("timeout_seconds").Optional().Nillable().
			Comment("Timeout of one delivery request in seconds (1–30). Null: the service's SCOOPA_DELIVERY_TIMEOUT."),
		// retry_delays override SCOOPA_RETRY_DELAYS ("1m", "10m", ...); nil:
		// the service's schedule; empty: no retry.
		field.Strings("retry_delays").Optional().
			Comment("Waits before each retry of a failed delivery, as durations (\"30s\", \"10m\", \"1h30m\"). " +
				"Null: the service's SCOOPA_RETRY_DELAYS; empty: no retry. New calls take the schedule in force."),
		// ordered delivers the webhook's calls one at a time, in the order
		// their files arrived (internal/webhooks/order.go). A call keeps the
		// value in force when it was created (webhook_calls.ordered).
		field.Bool("ordered").Default(false).
			Comment("Whether the webhook's calls go one at a time, in the order their files arrived: a call " +
				"waits while an earlier one is pending, running or retrying. Test calls are not held up."),
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
		edge.To("folders", Folder.Type).
			Comment("The folders whose new files call the webhook (with allFolders, every folder does)."),
		// Calls outlive their webhook: the log keeps its snapshot.
		edge.To("calls", WebhookCall.Type).
			Annotations(entsql.OnDelete(entsql.SetNull), entgql.Skip()),
		// partner_tokens are the PARTNER tokens that see the webhook.
		edge.From("partner_tokens", APIToken.Type).Ref("webhooks").Annotations(entgql.Skip()),
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
	return []schema.Annotation{
		entgql.QueryField().Description("Webhooks, oldest first unless orderBy says otherwise (first or last: " +
			"at most 100, default 50); where.search finds them by name, URL or folder. Any token may read " +
			"them; filters on url need an ADMIN token."),
		entgql.RelayConnection(),
		schema.Comment("A webhook: a URL that is POSTed a signed JSON message for every new file in its " +
			"folders (or in every folder, with allFolders) whose name contains its filter, while it is " +
			"active. Each such message is a WebhookCall, retried on failure. Any token may read webhooks; " +
			"only ADMIN tokens change them and see their URLs and signing secrets in full."),
	}
}
