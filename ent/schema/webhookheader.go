package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// WebhookHeader is an extra HTTP header sent with every call of its webhook,
// typically credentials of the receiver. Its value is never read back in full.
type WebhookHeader struct {
	ent.Schema
}

// Fields of the WebhookHeader.
func (WebhookHeader) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(255).
			Comment("The header's name, e.g. Authorization."),
		// value is served masked by a resolver of its own. It is stored sealed
		// (enc:v<key version>:<base64url of nonce, ciphertext and tag>; see
		// worker/secrets.go): a value of at most 8192 bytes takes at most
		// 10,960 characters and the version.
		field.String("value").MaxLen(11264).Sensitive().Annotations(entgql.Skip()),
		field.Int("position").Default(0).Annotations(entgql.Skip()),
	}
}

// Edges of the WebhookHeader.
func (WebhookHeader) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("webhook", Webhook.Type).Ref("headers").Unique().Required().
			Annotations(entgql.Skip()),
	}
}

// Annotations of the WebhookHeader.
func (WebhookHeader) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
		schema.Comment("An extra HTTP header sent with every call of its webhook, typically credentials " +
			"of the receiver. Its value is stored encrypted and never read back in full."),
	}
}
