-- Rows of a snapshot (pipelines/snapshot.ts; the name is bound from its closed list).
SELECT count() AS n FROM {table:Identifier}
