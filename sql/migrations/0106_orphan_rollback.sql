-- A request refused after its decisions were stored (its raw events' write failed, or the
-- process died in between) leaves orphaned decisions, and the views fed from decisions
-- (decision_facts, tasks, task_supersessions, tracking_tokens, rma_milestones) count them.
-- They are rolled back with lightweight DELETEs (server/ingest/orphan-rollback.ts).
-- decisions and decision_facts carry projections, on which a DELETE is refused unless
-- the table says what becomes of them: rebuilt for the parts the DELETE touches.
ALTER TABLE decisions MODIFY SETTING lightweight_mutation_projection_mode = 'rebuild';
ALTER TABLE decision_facts MODIFY SETTING lightweight_mutation_projection_mode = 'rebuild';

-- On start, the decisions stored after the newest checkpoint's cut are searched for
-- orphans by their arrival time, whatever month they were decided in (a history import
-- decides far in the past): parts are written in arrival order, so a min-max index on
-- received_at lets that search skip every granule from before the cut.
ALTER TABLE decisions ADD INDEX IF NOT EXISTS received_at_minmax received_at TYPE minmax GRANULARITY 1;
ALTER TABLE decisions MATERIALIZE INDEX received_at_minmax SETTINGS mutations_sync = 1;
