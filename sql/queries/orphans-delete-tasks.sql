-- Rollback of orphaned decisions (server/ingest/orphan-rollback.ts): their tasks.
DELETE FROM tasks WHERE decision_id IN {ids:Array(String)}
