-- Returns with work still open, for customer service: since when the customer has been
-- waiting (the first plan's time: a re-decision keeps the old plan's tasks, cancelled),
-- how many tasks are open and overdue, the next due time. Sorted by who waited longest,
-- or (sort = 'overdue') by the longest overdue first, overdue ones only.
-- Params: as tasks-current (all tasks of the window), plus now, sort, rlimit.
SELECT
    rma_id,
    min(created_at) AS waiting_since,
    countIf(status IN ('open', 'in_progress')) AS open_tasks,
    countIf(status IN ('open', 'in_progress') AND due_at < {now:DateTime64(3)}) AS overdue_tasks,
    minIf(due_at, status IN ('open', 'in_progress')) AS next_due_at,
    max(priority) AS priority
FROM (
    {{include:tasks-current}}
)
GROUP BY rma_id
HAVING open_tasks > 0 AND ({sort:String} != 'overdue' OR overdue_tasks > 0)
ORDER BY if({sort:String} = 'overdue', toUnixTimestamp64Milli(next_due_at), toUnixTimestamp64Milli(waiting_since)) ASC, rma_id
LIMIT {rlimit:UInt32}
