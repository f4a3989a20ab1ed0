-- Open or started tasks past their due time that were not announced yet (the overdue
-- job raises each once). Bounded to a week back: older ones were announced when they
-- became overdue, or their plan is long stale.
SELECT * FROM (
    {{include:tasks-current}}
)
WHERE status IN ('open', 'in_progress')
  AND task_id NOT IN (SELECT task_id FROM task_overdue_alerts)
