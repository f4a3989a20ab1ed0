-- Empties a snapshot's *_next twin or a job's scratch table (pipelines/snapshot.ts; the
-- name is one of its closed list of tables, bound as an identifier).
TRUNCATE TABLE {table:Identifier}
