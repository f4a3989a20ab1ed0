-- The most recent return lines of one SKU, each with its latest decision and the
-- request's latest status. return_lines is sorted by (sku, occurred_at), so this is a
-- primary-key range read. Up to the end of the requested days ({to}): the latest returns
-- of a past period, but not only within it, so a SKU quiet in the period still has a page.
WITH
    recent AS (
        SELECT rma_id, line_index, occurred_at, qty, unit_price, reason, condition, wants, channel
        FROM return_lines
        WHERE sku = {sku:String}
          AND occurred_at < toDateTime({to:Date} + 1, 'UTC')
        ORDER BY occurred_at DESC
        LIMIT {limit:UInt32}
    ),
    latest AS (
        SELECT rma_id, line_index,
               argMax((decision_id, decided_at, resolution, disposition, receiving_node_id, net_cost, recovery, baseline_net_cost),
                      (decided_at, decision_id)) AS d
        FROM decision_facts
        WHERE rma_id IN (SELECT rma_id FROM recent)
        GROUP BY rma_id, line_index
    ),
    statuses AS (
        SELECT rma_id, argMax(status, occurred_at) AS status
        FROM return_status
        WHERE rma_id IN (SELECT rma_id FROM recent)
        GROUP BY rma_id
    )
SELECT
    r.rma_id AS rma_id, r.line_index AS line_index, r.occurred_at AS requested_at, r.qty AS qty, r.unit_price AS unit_price,
    r.reason AS reason, r.condition AS condition, r.wants AS wants, r.channel AS channel,
    if(s.status = '', 'requested', s.status) AS status,
    tupleElement(l.d, 1) AS decision_id, tupleElement(l.d, 2) AS decided_at, tupleElement(l.d, 3) AS resolution,
    tupleElement(l.d, 4) AS disposition, tupleElement(l.d, 5) AS receiving_node_id, tupleElement(l.d, 6) AS net_cost,
    tupleElement(l.d, 7) AS recovery, tupleElement(l.d, 8) AS baseline_net_cost
FROM recent AS r
LEFT JOIN latest AS l ON l.rma_id = r.rma_id AND l.line_index = r.line_index
LEFT JOIN statuses AS s ON s.rma_id = r.rma_id
ORDER BY requested_at DESC, rma_id, line_index
