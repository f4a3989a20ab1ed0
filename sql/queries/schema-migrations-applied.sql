-- The migrations this store applied, with the checksum of the text it applied.
SELECT name, checksum FROM schema_migrations
