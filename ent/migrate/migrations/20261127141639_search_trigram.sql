-- Create index "folder_name_trgm" to table: "folders"
CREATE INDEX "folder_name_trgm" ON "folders" USING gin ("name" gin_trgm_ops);
-- Create index "webhook_name_trgm" to table: "webhooks"
CREATE INDEX "webhook_name_trgm" ON "webhooks" USING gin ("name" gin_trgm_ops);
-- Create index "webhook_url_trgm" to table: "webhooks"
CREATE INDEX "webhook_url_trgm" ON "webhooks" USING gin ("url" gin_trgm_ops);
