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

// WebhookCall is one entry of the call log: a delivery of one file to one
// webhook, or a validation of one webhook. It keeps a snapshot of everything
// the log shows, so it stays readable when the webhook, file or folder change
// or are deleted.
type WebhookCall struct {
	ent.Schema
}

// Fields of the WebhookCall.
func (WebhookCall) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("DELIVERY", "VALIDATION").Immutable().
			Comment("Whether the call delivers a file or validates the webhook's URL.").
			Annotations(EnumDoc{
				Type: "What a call is for.",
				Values: map[string]string{
					"DELIVERY":   "The delivery of a new file (or of a file sent again, or a test file) to the webhook; retried on failure.",
					"VALIDATION": "A test of the webhook's URL with the validation payload; attempted once, never retried.",
				},
			}),
		field.Enum("status").Values("PENDING", "RUNNING", "RETRYING", "SUCCEEDED", "FAILED", "CANCELED").
			Default("PENDING").
			Comment("Where the call stands; SUCCEEDED, FAILED and CANCELED are final (until the call is sent again).").
			Annotations(
				entgql.OrderField("STATUS"),
				EnumDoc{
					Type: "Where a call stands. PENDING, RUNNING and RETRYING calls are under way; SUCCEEDED, " +
						"FAILED and CANCELED ones have ended, and only retryWebhookCall, recoverWebhookCalls " +
						"or redeliverFile send them again.",
					Values: map[string]string{
						"PENDING":   "Waiting for its first attempt (or, with waitReason, for a delivery limit or an earlier ordered call).",
						"RUNNING":   "An attempt is under way.",
						"RETRYING":  "An attempt failed; the next is due at nextAttemptAt.",
						"SUCCEEDED": "An attempt got a 2xx answer.",
						"FAILED":    "The last attempt failed and no retry is left (or the receiver answered 410 Gone, or it was a test call).",
						"CANCELED":  "Ended without delivery: its webhook was deleted or deactivated while the call waited; error says why.",
					},
				}),
		// origin is FOLDER when the webhook was assigned to the file's folder,
		// PLATFORM when it applies to all folders. Validation calls have none.
		field.Enum("origin").Values("FOLDER", "PLATFORM").Optional().Nillable().Immutable().
			Comment("Why the file called the webhook; null for validation calls.").
			Annotations(EnumDoc{
				Type: "Why a file called a webhook.",
				Values: map[string]string{
					"FOLDER":   "The webhook is assigned to the file's folder.",
					"PLATFORM": "The webhook applies to all folders (allFolders).",
				},
			}),
		field.String("filter").Optional().Nillable().Immutable().
			Comment("The webhook's filter when the call was created; null if it had none.").
			Annotations(entgql.Skip(entgql.SkipWhereInput)), // WebhookCallWhereInput.Filter is a method
		field.String("filters").Optional().Nillable().Immutable().
			Comment("The webhook's other filters when the call was created (content types, name pattern, size " +
				"range), as text: \"type video/*, image/png; name *.mov; size 1000–5000 bytes\"; null if it had none.").
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("target_url").Immutable().
			Comment("The URL the call is POSTed to, as the webhook had it when the call was created " +
				"(query values and password masked for non-admins)."),
		field.String("webhook_name").Immutable().
			Comment("The webhook's name when the call was created (kept when the webhook is renamed or deleted)."),
		field.Int("webhook_id").Optional().Nillable().Comment("The webhook's ID; null once the webhook is deleted.").Annotations(entgql.Skip(entgql.SkipType, entgql.SkipOrderField, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Int("file_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.Int("folder_id").Optional().Nillable().Comment("The file's folder's ID; null for validation calls and once the folder is deleted.").Annotations(entgql.Skip(entgql.SkipType, entgql.SkipOrderField, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.String("file_name").Optional().Immutable().
			Comment("The file's name when the call was created (test.mov for validation calls)."),
		field.String("folder_name").Optional().Immutable().
			Comment("The file's folder's name when the call was created (test-folder for validation calls)."),
		// payload is the JSON body of the latest attempt (the download_url is
		// signed anew for every attempt).
		field.Text("payload").
			Comment("The JSON body of the latest attempt, as sent (its download link is signed anew for every attempt)."),
		field.Int("attempt_count").Default(0).
			Comment("How many attempts the call has had."),
		// retry_base is how many attempts the call had when it was last sent
		// again (recoverWebhookCalls, redeliverFile): the retry schedule
		// starts anew from there. 0 for a call never sent again.
		field.Int("retry_base").Default(0).Annotations(entgql.Skip()),
		// test marks a delivery made by sendTestFile: a real delivery of a
		// chosen file, attempted once, never retried.
		field.Bool("test").Default(false).Immutable().
			Comment("Whether sendTestFile made the call: attempted once, never retried, with a scoopa-test: true header.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Time("next_attempt_at").Optional().Nillable().
			Comment("When the next attempt of a RETRYING call is due (or a waiting PENDING one may go); null otherwise."),
		field.Int("response_status").Optional().Nillable().
			Comment("The HTTP status of the latest attempt's answer; null before the first attempt and when no answer came."),
		field.Text("error").Optional().Nillable().
			Comment("Why the latest attempt failed, or why the call was canceled; null for a call that succeeded or has not failed yet."),
		field.Time("created_at").Default(time.Now).Immutable().
			Comment("When the call was created: when its file arrived, or the validation, resend or test began.").
			Annotations(entgql.OrderField("CREATED_AT")),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now).Annotations(entgql.Skip()),
		field.Time("completed_at").Optional().Nillable().
			Comment("When the call ended (SUCCEEDED, FAILED or CANCELED); null while it is under way."),
		// wait_reason says why a PENDING (or RETRYING) call waits beyond its
		// due time: a delivery limit of its webhook. Cleared by the attempt.
		field.String("wait_reason").Optional().Nillable().
			Comment("Why a PENDING or RETRYING call waits beyond its due time: a delivery limit of its " +
				"webhook, or an earlier call of an ordered webhook. Null when it does not wait."),
		// retry_delays are the waits after each failed attempt, fixed when
		// the call is created: the schedule in force for this call. Nil for
		// validation calls and for calls older than the field.
		field.Strings("retry_delays").Optional().Immutable().
			Comment("The waits before each retry (\"30s\", \"10m\"...), fixed when the call was created. " +
				"Null for validation calls and calls older than the setting."),
		// lease_until is, while the call is RUNNING, when its attempt is
		// over for sure (its webhook's timeout + 5 s after the claim): past
		// it, the worker is deemed dead and another may take the call over.
		// Nil for calls claimed before the field (then the longest timeout
		// any webhook may have counts).
		field.Time("lease_until").Optional().Nillable().Annotations(entgql.Skip()),
		// ordered is set on a delivery call of a webhook that was ordered
		// when the call was created (test calls excepted): the call goes only
		// once every earlier ordered call of its webhook has ended
		// (internal/webhooks/order.go).
		field.Bool("ordered").Default(false).Immutable().Annotations(entgql.Skip()),
		// The fetches of a delivery call's download link (the link names
		// its call in its signed part): when the first came, how many, the
		// bytes served, and whether the last ended complete (nil when the
		// last was redirected to the blob store, which serves the bytes).
		// One writer: files.Service.RecordFetch. GraphQL shows them as
		// WebhookCall.fetch.
		field.Time("fetched_first_at").Optional().Nillable().Annotations(entgql.Skip()),
		field.Int("fetch_count").Default(0).Annotations(entgql.Skip()),
		field.Int64("fetched_bytes").Default(0).Annotations(entgql.Skip()),
		field.Bool("last_fetch_complete").Optional().Nillable().Annotations(entgql.Skip()),
		// not_fetched_told_at is when the operator webhook was told that
		// the call's file was not fetched in time (call.not_fetched,
		// SCOOPA_OPERATOR_NOT_FETCHED_AFTER); nil while it was not. Set
		// once, by the statement that tells (internal/webhooks/notfetched.go):
		// whoever sets it raises the event, so it is raised once.
		field.Time("not_fetched_told_at").Optional().Nillable().Annotations(entgql.Skip()),
	}
}

// CallNotFetchedWhere is the condition of the delivery calls the operator
// may still be told were not fetched: delivered (SUCCEEDED), not a test,
// never fetched, not told yet. The partial index webhookcall_not_fetched
// holds those calls by completed_at, and the query that looks for them
// says it in these very words, so that both databases see that the index
// covers it (also with a generic plan, whose parameters prove nothing).
const CallNotFetchedWhere = "kind = 'DELIVERY' AND status = 'SUCCEEDED' AND NOT test AND fetched_first_at IS NULL AND not_fetched_told_at IS NULL"

// Edges of the WebhookCall.
func (WebhookCall) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("webhook", Webhook.Type).Ref("calls").Field("webhook_id").Unique().
			Comment("The webhook called; null once it is deleted (webhookName and targetURL remain)."),
		edge.To("file", File.Type).Field("file_id").Unique().
			Comment("The file delivered; null for validation calls and once the file is deleted (fileName remains).").
			Annotations(entsql.OnDelete(entsql.SetNull)),
		edge.To("folder", Folder.Type).Field("folder_id").Unique().
			Comment("The file's folder; null for validation calls and once the folder is deleted (folderName remains).").
			Annotations(entsql.OnDelete(entsql.SetNull)),
		edge.To("attempts", WebhookCallAttempt.Type).
			Comment("The HTTP requests made for the call, in no set order: sort by number.").
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the WebhookCall: the log is read newest first (created_at,
// then id as the tiebreaker of cursor pagination), by webhook, status,
// kind or folder; the sweeper looks for unfinished calls; a failed call
// looks for its webhook's last success.
func (WebhookCall) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("created_at", "id"),
		index.Fields("webhook_id", "created_at", "id"),
		// A webhook's calls of one status, and their count (totalCount), without
		// visiting the webhook's other calls.
		index.Fields("webhook_id", "status", "created_at", "id"),
		index.Fields("status", "created_at", "id"),
		index.Fields("kind", "created_at", "id"),
		index.Fields("folder_id", "created_at", "id"),
		index.Fields("status", "next_attempt_at"),
		// When a delivery call fails for good, the last success of its
		// webhook and the first failure after it are looked up here
		// (SCOOPA_DISABLE_AFTER).
		index.Fields("webhook_id", "kind", "status", "completed_at"),
		// The file-name filter of the log (fileNameContains: LIKE,
		// fileNameContainsFold: ILIKE '%...%') on PostgreSQL: a trigram
		// index (pg_trgm, created by the migration) answers both without
		// reading the table. SQLite ignores the type and operator class and
		// makes a plain index that its LIKE does not use.
		index.Fields("file_name").
			Annotations(
				entsql.IndexTypes(map[string]string{dialect.Postgres: "GIN"}),
				entsql.OpClassColumn("file_name", "gin_trgm_ops"),
			),
		// Ordered delivery (internal/webhooks/order.go): the unfinished
		// ordered calls of a webhook in order, so that "is there an earlier
		// one?" reads one index entry; unordered calls are not in it.
		index.Fields("webhook_id", "id").
			StorageKey("webhookcall_ordered_unfinished").
			Annotations(entsql.IndexWhere("ordered AND (status = 'PENDING' OR status = 'RUNNING' OR status = 'RETRYING')")),
		// The delivered calls nobody fetched and the operator was not told
		// of (call.not_fetched), by when they were delivered: the periodic
		// check reads a range of it. A call leaves it when it is fetched
		// or told; the calls of the hot path (PENDING, RUNNING) are never
		// in it.
		index.Fields("completed_at", "id").
			StorageKey("webhookcall_not_fetched").
			Annotations(entsql.IndexWhere(CallNotFetchedWhere)),
		// At most one ordered call of a webhook is RUNNING: the database
		// refuses a second claim, whatever the workers do.
		index.Fields("webhook_id").Unique().
			StorageKey("webhookcall_ordered_running").
			Annotations(entsql.IndexWhere("ordered AND status = 'RUNNING'")),
	}
}

// Annotations of the WebhookCall.
func (WebhookCall) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField().Description("The call log: delivery and validation calls, newest first unless " +
			"orderBy says otherwise (first or last: at most 100, default 50). Any token may read it; " +
			"filters on targetURL need an ADMIN token."),
		entgql.RelayConnection(),
		schema.Comment("A call: one delivery of a file to a webhook, or one validation of a webhook's URL, " +
			"with all its attempts. It keeps a snapshot of what the log shows (names, URL, payload), so it " +
			"stays readable when the webhook, file or folder change or are deleted."),
	}
}
