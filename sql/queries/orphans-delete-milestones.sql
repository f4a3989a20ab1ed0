-- Rollback of orphaned decisions: the milestones of their returns, whose latest route
-- (an argMax state) may be an orphan's; rebuilt from the sources right after
-- (orphans-rebuild-milestones-*.sql), the way 0014 filled the table.
ALTER TABLE rma_milestones DELETE WHERE rma_id IN {rmas:Array(String)} SETTINGS mutations_sync = 1
