-- Modify "webhook_calls" table
ALTER TABLE "webhook_calls" ADD COLUMN "ordered" boolean NOT NULL DEFAULT false;
-- Create index "webhookcall_ordered_running" to table: "webhook_calls"
CREATE UNIQUE INDEX "webhookcall_ordered_running" ON "webhook_calls" ("webhook_id") WHERE (ordered AND ((status)::text = 'RUNNING'::text));
-- Create index "webhookcall_ordered_unfinished" to table: "webhook_calls"
CREATE INDEX "webhookcall_ordered_unfinished" ON "webhook_calls" ("webhook_id", "id") WHERE (ordered AND ((status)::text = ANY ((ARRAY['PENDING'::character varying, 'RUNNING'::character varying, 'RETRYING'::character varying])::text[])));
-- Modify "webhooks" table
ALTER TABLE "webhooks" ADD COLUMN "ordered" boolean NOT NULL DEFAULT false;
