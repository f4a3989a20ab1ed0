-- The current status of the tasks the includer picked (it defines `picked`, with the
-- columns of the tasks table), filtered by {status}, most urgent first. A task's status is
-- its first terminal event (done, failed, cancelled: terminal means final, so a late
-- cancellation never undoes work that was finished), else "cancelled" once a
-- re-decision superseded its decision, else its latest event, else open.
-- Params: status ('' = any), limit, offset.
SELECT * FROM (
    SELECT
        t.task_id AS task_id, t.decision_id AS decision_id, t.rma_id AS rma_id, t.line_index AS line_index,
        t.role AS role, t.action AS action, t.node_id AS node_id, t.due_at AS due_at, t.priority AS priority,
        t.detail AS detail, t.created_at AS created_at,
        multiIf(e.terminal_status != '', e.terminal_status, s.decision_id != '', 'cancelled', e.last_status != '', e.last_status, 'open') AS status,
        multiIf(e.terminal_status != '', e.terminal_at, s.decision_id != '', s.superseded_at, e.last_status != '', e.last_at, t.created_at) AS changed_at,
        multiIf(e.terminal_status != '', e.terminal_actor, s.decision_id != '', 'navigator', e.last_status != '', e.last_actor, 'navigator') AS changed_by,
        if(e.terminal_status = '' AND s.decision_id != '', concat('re-decided: ', s.superseded_by), e.last_note) AS note,
        e.found_grade AS grade, e.found_findings AS findings
    FROM picked AS t
    LEFT JOIN (
        SELECT task_id,
            argMinIf(status, at, status IN ('done', 'failed', 'cancelled')) AS terminal_status,
            minIf(at, status IN ('done', 'failed', 'cancelled')) AS terminal_at,
            argMinIf(actor, at, status IN ('done', 'failed', 'cancelled')) AS terminal_actor,
            argMax(status, at) AS last_status,
            max(at) AS last_at,
            argMax(actor, at) AS last_actor,
            argMax(note, at) AS last_note,
            argMaxIf(grade, at, grade != '') AS found_grade,
            argMaxIf(findings, at, grade != '') AS found_findings
        FROM task_events
        WHERE task_id IN (SELECT task_id FROM picked)
        GROUP BY task_id
    ) AS e ON e.task_id = t.task_id
    LEFT JOIN (
        SELECT superseded_id AS decision_id, argMax(superseded_by, at) AS superseded_by, max(at) AS superseded_at FROM task_supersessions
        WHERE superseded_id IN (SELECT decision_id FROM picked)
        GROUP BY superseded_id
    ) AS s ON s.decision_id = t.decision_id
)
WHERE ({status:String} = '' OR status = {status:String})
ORDER BY priority DESC, due_at ASC, task_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
