-- Rebuilds turnaround_daily_next. Per return request: requested (first line's
-- occurred_at) → received → inspected → made whole, where made whole is the first
-- refunded / exchange_shipped status, or for a repair the closing after 'repaired'
-- (the repaired item went back). Warehouse and resolution come from the latest decision
-- (the status's node when no decision names one). Stages that have not happened yet, or
-- whose clocks run backwards, are left out rather than counted as zero.
INSERT INTO turnaround_daily_next
WITH
    requests AS (
        SELECT rma_id, min(occurred_at) AS requested_at FROM return_lines GROUP BY rma_id
    ),
    milestones AS (
        SELECT
            rma_id,
            minIfOrNull(occurred_at, status = 'received') AS received_at,
            minIfOrNull(occurred_at, status = 'inspected') AS inspected_at,
            minIfOrNull(occurred_at, status IN ('refunded', 'exchange_shipped')) AS paid_at,
            minIfOrNull(occurred_at, status = 'closed') AS closed_at,
            countIf(status = 'repaired') > 0 AS repaired,
            anyIf(node_id, status IN ('received', 'inspected') AND node_id != '') AS status_node
        FROM return_status
        GROUP BY rma_id
    ),
    routes AS (
        SELECT rma_id, argMax((resolution, receiving_node_id), (decided_at, decision_id)) AS latest
        FROM decision_facts
        GROUP BY rma_id
    )
SELECT
    toDate(q.requested_at) AS day,
    if(tupleElement(r.latest, 2) != '', tupleElement(r.latest, 2), if(m.status_node != '', m.status_node, 'unknown')) AS receiving_node_id,
    if(tupleElement(r.latest, 1) != '', tupleElement(r.latest, 1), 'undecided') AS resolution,
    st.1 AS stage,
    count() AS n,
    sum(st.2) AS sum_hours,
    quantilesTDigestState(0.5, 0.9, 0.99)(toFloat32(st.2)) AS hours_q,
    {asOf:DateTime64(3)} AS computed_at
FROM requests AS q
INNER JOIN milestones AS m ON m.rma_id = q.rma_id
LEFT JOIN routes AS r ON r.rma_id = q.rma_id
ARRAY JOIN arrayMap(s -> (s.1, assumeNotNull(s.2)), arrayFilter(s -> s.2 IS NOT NULL AND s.2 >= 0, [
    ('request_to_made_whole', dateDiff('millisecond', q.requested_at, coalesce(m.paid_at, if(m.repaired, m.closed_at, NULL))) / 3600000),
    ('request_to_received', dateDiff('millisecond', q.requested_at, m.received_at) / 3600000),
    ('received_to_inspected', dateDiff('millisecond', m.received_at, m.inspected_at) / 3600000),
    ('inspected_to_resolved', dateDiff('millisecond', m.inspected_at, coalesce(m.paid_at, if(m.repaired, m.closed_at, NULL))) / 3600000)
])) AS st
WHERE q.requested_at <= {asOf:DateTime64(3)}
GROUP BY day, receiving_node_id, resolution, stage
