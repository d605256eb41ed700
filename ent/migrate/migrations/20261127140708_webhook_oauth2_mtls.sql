-- Drop index "webhookcall_ordered_unfinished" from table: "webhook_calls"
DROP INDEX "webhookcall_ordered_unfinished";
-- Create index "webhookcall_ordered_unfinished" to table: "webhook_calls"
CREATE INDEX "webhookcall_ordered_unfinished" ON "webhook_calls" ("webhook_id", "id") WHERE (ordered AND ((status)::text = ANY ((ARRAY['PENDING'::character varying, 'RUNNING'::character varying, 'RETRYING'::character varying])::text[])));
-- Modify "webhooks" table
ALTER TABLE "webhooks" ADD COLUMN "oauth_token_url" character varying NULL, ADD COLUMN "oauth_client_id" character varying NULL, ADD COLUMN "oauth_client_secret" character varying NULL, ADD COLUMN "oauth_scopes" jsonb NULL, ADD COLUMN "oauth_audience" character varying NULL, ADD COLUMN "client_cert" text NULL, ADD COLUMN "client_key" text NULL, ADD COLUMN "client_cert_not_after" timestamptz NULL, ADD COLUMN "client_cert_expiry_warned" boolean NOT NULL DEFAULT false, ADD COLUMN "ca_cert" text NULL;
