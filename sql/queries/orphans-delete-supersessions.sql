-- Rollback of orphaned decisions: what they superseded is current again.
DELETE FROM task_supersessions WHERE superseded_by IN {ids:Array(String)}
