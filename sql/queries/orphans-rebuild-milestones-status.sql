-- Rebuild of rolled-back returns' milestones, 2 of 3: the statuses (as rma_milestones_status_mv).
INSERT INTO rma_milestones (rma_id, received_at, inspected_at, paid_at, closed_at, repaired, has_status, finished, status_node, last_status, touched_at)
SELECT
    rma_id,
    minIfOrNull(occurred_at, status = 'received'),
    minIfOrNull(occurred_at, status = 'inspected'),
    minIfOrNull(occurred_at, status IN ('refunded', 'exchange_shipped')),
    minIfOrNull(occurred_at, status = 'closed'),
    toUInt8(countIf(status = 'repaired') > 0),
    toUInt8(1),
    toUInt8(countIf(status IN ('refunded', 'exchange_shipped', 'closed', 'cancelled')) > 0),
    maxIf(toString(node_id), status IN ('received', 'inspected') AND node_id != ''),
    argMaxState(toString(status), occurred_at),
    now64(3)
FROM return_status
WHERE rma_id IN {rmas:Array(String)}
GROUP BY rma_id
