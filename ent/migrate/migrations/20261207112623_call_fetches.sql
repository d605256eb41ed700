-- Modify "webhook_calls" table
ALTER TABLE "webhook_calls" ADD COLUMN "fetched_first_at" timestamptz NULL, ADD COLUMN "fetch_count" bigint NOT NULL DEFAULT 0, ADD COLUMN "fetched_bytes" bigint NOT NULL DEFAULT 0, ADD COLUMN "last_fetch_complete" boolean NULL;
