-- Modify "webhook_call_attempts" table
ALTER TABLE "webhook_call_attempts" ADD COLUMN "retry_after_seconds" bigint NULL;
-- Modify "webhook_calls" table
ALTER TABLE "webhook_calls" ADD COLUMN "wait_reason" character varying NULL, ADD COLUMN "retry_delays" jsonb NULL;
-- Modify "webhooks" table
ALTER TABLE "webhooks" ADD COLUMN "max_requests_per_second" bigint NULL, ADD COLUMN "max_concurrent" bigint NULL, ADD COLUMN "timeout_seconds" bigint NULL, ADD COLUMN "retry_delays" jsonb NULL;
