-- Create index "webhookcall_webhook_id_kind_status_completed_at" to table: "webhook_calls"
CREATE INDEX "webhookcall_webhook_id_kind_status_completed_at" ON "webhook_calls" ("webhook_id", "kind", "status", "completed_at");
-- Modify "webhooks" table
ALTER TABLE "webhooks" ADD COLUMN "disabled_reason" character varying NULL, ADD COLUMN "disabled_at" timestamptz NULL;
