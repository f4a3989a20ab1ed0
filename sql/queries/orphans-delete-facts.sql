-- Rollback of orphaned decisions: their money facts (the cost run sees the month's
-- count change and recomputes it, sql/queries/cost-months-changed.sql).
ALTER TABLE decision_facts DELETE WHERE rma_id IN {rmas:Array(String)} AND decision_id IN {ids:Array(String)} SETTINGS mutations_sync = 1
