-- The migration runner's own bookkeeping (server/store/migrate.ts): which migration files
-- this store applied, with a checksum of the text it applied. Not a migration itself:
-- it must exist before the first migration can be recorded.
CREATE TABLE IF NOT EXISTS schema_migrations
  (name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
  ENGINE = MergeTree ORDER BY name
