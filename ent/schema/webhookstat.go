package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// WebhookStat is one hour of a webhook's delivery attempts, summed up: the
// rollup that delivery health charts read (internal/webhooks/stats.go), so
// that they cost the same at ten calls or ten million. Its row is upserted
// by the statement (or transaction) that records an attempt, and pruned with
// the calls (retention). It has no foreign key: a deleted webhook's hours
// stay until retention removes them.
type WebhookStat struct {
	ent.Schema
}

// Fields of the WebhookStat.
func (WebhookStat) Fields() []ent.Field {
	return []ent.Field{
		field.Int("webhook_id").Immutable(),
		// hour is the start of the hour (UTC) the attempts ended in.
		field.Time("hour").Immutable(),
		// succeeded, failed and retrying count the attempts by the state
		// they left their call in: SUCCEEDED, FAILED for good, RETRYING.
		field.Int("succeeded").Default(0),
		field.Int("failed").Default(0),
		field.Int("retrying").Default(0),
		// latency counts the attempts by duration, one count per bucket of
		// stats.LatencyBounds (the last one: longer than all bounds).
		field.Ints("latency").Optional(),
		// errors counts the failed attempts by kind of error ("HTTP 500",
		// "timeout", ...).
		field.JSON("errors", map[string]int{}).Optional(),
	}
}

// Indexes of the WebhookStat: one row per webhook and hour, read by range.
func (WebhookStat) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("webhook_id", "hour").Unique(),
		index.Fields("hour"), // retention
	}
}

// Annotations of the WebhookStat: not in the GraphQL schema as such
// (webhookStats serves it).
func (WebhookStat) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
