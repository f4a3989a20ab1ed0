-- Rollback of orphaned decisions: their money facts (the cost run sees the month's
-- count change and recomputes it, sql/queries/cost-months-changed.sql).
DELETE FROM decision_facts WHERE rma_id IN {rmas:Array(String)} AND decision_id IN {ids:Array(String)}
