-- Create index "webhookcall_webhook_id_status_created_at_id" to table: "webhook_calls"
CREATE INDEX "webhookcall_webhook_id_status_created_at_id" ON "webhook_calls" ("webhook_id", "status", "created_at", "id");
