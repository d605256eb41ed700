-- Modify "sessions" table
ALTER TABLE "sessions" ADD COLUMN "portal_title" character varying NULL;
