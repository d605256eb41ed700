-- Modify "webhook_calls" table (IF NOT EXISTS: docs/DEPLOYING.md may have added it)
ALTER TABLE "webhook_calls" ADD COLUMN IF NOT EXISTS "not_fetched_told_at" timestamptz NULL;
-- Create index "webhookcall_not_fetched" to table: "webhook_calls". The
-- periodic check of SCOOPA_OPERATOR_NOT_FETCHED_AFTER (call.not_fetched)
-- reads it. On a large table, build it beforehand without blocking writes
-- (docs/DEPLOYING.md): IF NOT EXISTS then skips it here.
CREATE INDEX IF NOT EXISTS "webhookcall_not_fetched" ON "webhook_calls" ("completed_at", "id") WHERE (((kind)::text = 'DELIVERY'::text) AND ((status)::text = 'SUCCEEDED'::text) AND (NOT test) AND (fetched_first_at IS NULL) AND (not_fetched_told_at IS NULL));
