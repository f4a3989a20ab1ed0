-- Rollback of orphaned decisions (server/ingest/orphan-rollback.ts): their tasks.
ALTER TABLE tasks DELETE WHERE decision_id IN {ids:Array(String)} SETTINGS mutations_sync = 1
