-- Modify "webhook_call_attempts" table
ALTER TABLE "webhook_call_attempts" ADD COLUMN "request_headers" jsonb NULL;
