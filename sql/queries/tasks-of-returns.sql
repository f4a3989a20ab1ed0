-- Every task of some returns, with its current status (tasks-status.sql), for matching
-- what the stream reports (server/tasks/stream-closer.ts). Read from the returns'
-- decisions, whose key starts with the return, and their plans (payload.t), as the tasks
-- view (0041) fills the tasks table: a lookup of many returns in the tasks table, keyed by
-- role and task id, would read most of it.
-- Params: rmaIds, status ('' = any), limit, offset.
WITH picked AS (
    SELECT
        concat(decision_id, '.', toString(idx - 1)) AS task_id,
        decision_id, rma_id, line_index,
        JSONExtractString(t, 1) AS role,
        JSONExtractString(t, 2) AS action,
        JSONExtractString(t, 4) AS node_id,
        parseDateTime64BestEffort(JSONExtractString(t, 3), 3, 'UTC') AS due_at,
        priority,
        JSONExtractRaw(t, 5) AS detail,
        decided_at AS created_at
    FROM (
        SELECT decision_id, rma_id, line_index, priority, decided_at, JSONExtractArrayRaw(payload, 't') AS plan
        FROM decisions FINAL
        WHERE rma_id IN {rmaIds:Array(String)}
    )
    ARRAY JOIN plan AS t, arrayEnumerate(plan) AS idx
)
{{include:tasks-status}}
