-- Drop index "webhookcall_ordered_unfinished" from table: "webhook_calls"
DROP INDEX "webhookcall_ordered_unfinished";
-- Create index "webhookcall_ordered_unfinished" to table: "webhook_calls"
CREATE INDEX "webhookcall_ordered_unfinished" ON "webhook_calls" ("webhook_id", "id") WHERE (ordered AND (((status)::text = 'PENDING'::text) OR ((status)::text = 'RUNNING'::text) OR ((status)::text = 'RETRYING'::text)));
