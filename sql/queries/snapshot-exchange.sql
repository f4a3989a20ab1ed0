-- Puts a filled *_next twin in place of its snapshot (pipelines/snapshot.ts): the Atomic
-- database engine swaps the two names atomically, so a reader sees the old snapshot or
-- the new one, never an empty or half-filled table.
EXCHANGE TABLES {next:Identifier} AND {table:Identifier}
