-- Modify "webhook_calls" table
ALTER TABLE "webhook_calls" ADD COLUMN "retry_base" bigint NOT NULL DEFAULT 0, ADD COLUMN "test" boolean NOT NULL DEFAULT false;
