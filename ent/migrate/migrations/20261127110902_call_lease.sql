-- Modify "webhook_calls" table
ALTER TABLE "webhook_calls" ADD COLUMN "lease_until" timestamptz NULL;
