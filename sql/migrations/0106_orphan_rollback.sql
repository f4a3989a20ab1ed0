-- Orphaned decisions (a request refused after its decisions were stored, or the process
-- dying between its two writes) are rolled back with mutations that delete them and what
-- the views derived from them (server/ingest/orphan-rollback.ts, sql/queries/orphans-*.sql).
-- ALTER TABLE … DELETE rather than a lightweight DELETE: decisions and decision_facts carry
-- projections, which a lightweight DELETE refuses on every server before the table setting
-- that allows it; the rollback is rare and small.
--
-- On start, the decisions stored after the newest checkpoint's cut are searched for
-- orphans by their arrival time, whatever month they were decided in (a history import
-- decides far in the past): parts are written in arrival order, so a min-max index on
-- received_at lets that search skip every granule from before the cut.
ALTER TABLE decisions ADD INDEX IF NOT EXISTS received_at_minmax received_at TYPE minmax GRANULARITY 1;
ALTER TABLE decisions MATERIALIZE INDEX received_at_minmax SETTINGS mutations_sync = 1;
