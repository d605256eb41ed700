-- pg_trgm (a trusted extension since PostgreSQL 13: the database owner may
-- create it) for the trigram index below.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- Create index "webhookcall_file_name" to table: "webhook_calls". The
-- file-name filter of the call log (LIKE / ILIKE '%...%') uses it. On a large
-- table, build it beforehand without blocking writes (docs/DEPLOYING.md):
-- IF NOT EXISTS then skips it here.
CREATE INDEX IF NOT EXISTS "webhookcall_file_name" ON "webhook_calls" USING gin ("file_name" gin_trgm_ops);
