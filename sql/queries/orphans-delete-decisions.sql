-- Rollback of orphaned decisions: the rows themselves, last, so a rollback cut short
-- finds them again when it is retried.
ALTER TABLE decisions DELETE WHERE rma_id IN {rmas:Array(String)} AND decision_id IN {ids:Array(String)} SETTINGS mutations_sync = 1
