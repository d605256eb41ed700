-- Modify "webhook_calls" table
ALTER TABLE "webhook_calls" ADD COLUMN "filters" character varying NULL;
-- Modify "webhooks" table
ALTER TABLE "webhooks" ADD COLUMN "content_types" jsonb NULL, ADD COLUMN "name_glob" character varying NULL, ADD COLUMN "min_size_bytes" bigint NULL, ADD COLUMN "max_size_bytes" bigint NULL;
