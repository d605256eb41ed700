package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// WebhookCallAttempt is one HTTP request made for a call.
type WebhookCallAttempt struct {
	ent.Schema
}

// Fields of the WebhookCallAttempt.
func (WebhookCallAttempt) Fields() []ent.Field {
	return []ent.Field{
		field.Int("call_id").Immutable().Annotations(entgql.Skip()),
		field.Int("number").Immutable().
			Comment("The attempt's number within its call, from 1."),
		field.Time("started_at").Immutable().
			Comment("When the request was sent."),
		field.Int64("duration_ms").Immutable().
			Comment("How long the request took, in milliseconds, until the answer was read or the attempt failed."),
		field.Int("response_status").Optional().Nillable().Immutable().
			Comment("The HTTP status of the answer; null when no answer came (timeout, connection or TLS error)."),
		field.Text("error").Optional().Nillable().Immutable().
			Comment("Why the attempt failed (\"HTTP 500\", or the network error); null for a 2xx answer."),
		// response_body holds the first 4 KiB of the answer.
		field.Text("response_body").Optional().Nillable().Immutable().
			Comment("The first 4 KiB of the answer's body; null or empty when no answer (or no body) came."),
		// request_headers are the headers the attempt sent, as the call log
		// shows them: the values of the webhook's own headers (credentials)
		// are stored masked, never in full. Empty for attempts made before
		// it was recorded.
		// retry_after_seconds is what the receiver's Retry-After asked for
		// (on a 429 or 503), in seconds from the attempt's end.
		field.Int("retry_after_seconds").Optional().Nillable().Immutable().
			Comment("The wait the receiver asked for with Retry-After (on a 429 or 503), in seconds from the " +
				"attempt's end; null when it asked for none."),
		field.JSON("request_headers", []RequestHeader{}).Optional().Immutable().
			Annotations(entgql.Skip()),
	}
}

// RequestHeader is one HTTP header of an attempt's request, as recorded.
type RequestHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Edges of the WebhookCallAttempt.
func (WebhookCallAttempt) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("call", WebhookCall.Type).Ref("attempts").Field("call_id").Unique().Required().Immutable().
			Annotations(entgql.Skip()),
	}
}

// Indexes of the WebhookCallAttempt.
func (WebhookCallAttempt) Indexes() []ent.Index {
	return []ent.Index{index.Fields("call_id", "number").Unique()}
}

// Annotations of the WebhookCallAttempt.
func (WebhookCallAttempt) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
		schema.Comment("One HTTP request made for a call (WebhookCall.attempts), and what came of it."),
	}
}
