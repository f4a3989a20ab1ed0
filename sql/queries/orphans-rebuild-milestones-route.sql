-- Rebuild of rolled-back returns' milestones, 3 of 3: the latest route of the decisions
-- that remain (as rma_milestones_decisions_mv).
INSERT INTO rma_milestones (rma_id, route, touched_at)
SELECT rma_id, argMaxState(concat(toString(resolution), '|', toString(receiving_node_id)), decided_at), now64(3)
FROM decisions
WHERE rma_id IN {rmas:Array(String)}
GROUP BY rma_id
