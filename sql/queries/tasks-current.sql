-- Tasks with their current status (tasks-status.sql), filtered, most urgent first.
-- Params: role, status, nodeId, rmaId, taskId ('' = any), decisionIds ([] = any), from,
-- to (due time bounds), limit, offset.
WITH picked AS (
    SELECT task_id, decision_id, rma_id, line_index, role, action, node_id, due_at, priority, detail, created_at
    FROM tasks FINAL
    WHERE ({role:String} = '' OR role = {role:String})
      AND ({nodeId:String} = '' OR node_id = {nodeId:String})
      AND ({rmaId:String} = '' OR rma_id = {rmaId:String})
      AND ({taskId:String} = '' OR task_id = {taskId:String})
      AND (empty({decisionIds:Array(String)}) OR decision_id IN {decisionIds:Array(String)})
      AND due_at >= {from:DateTime64(3)} AND due_at < {to:DateTime64(3)}
)
{{include:tasks-status}}
