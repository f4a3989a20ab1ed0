-- Rollback of orphaned decisions: what they superseded is current again.
ALTER TABLE task_supersessions DELETE WHERE superseded_by IN {ids:Array(String)} SETTINGS mutations_sync = 1
