-- Rebuilds turnaround_daily_next. Per return request: requested (first line's
-- occurred_at) → received → inspected → made whole, where made whole is the first
-- refunded / exchange_shipped status, or for a repair the closing after 'repaired'
-- (the repaired item went back). Warehouse and resolution come from the latest decision
-- (the status's node when no decision names one). A request whose latest decision names
-- no warehouse and that no warehouse received (keep-it: the customer keeps the item) gets
-- the empty node '' ("no warehouse"); 'unknown' is left for requests nothing places.
-- Stages that have not happened yet, or whose clocks run backwards, are left out rather
-- than counted as zero.
-- The milestones come from rma_milestones (one row per request, kept current at insert
-- time by views on the three sources), an in-order aggregation instead of three joins;
-- all of it ({all}) or only the requests made in {months} (turnaround.job.ts).
INSERT INTO turnaround_daily_next
WITH m AS (
    SELECT
        rma_id,
        min(requested_at) AS requested_at,
        min(received_at) AS received_at,
        min(inspected_at) AS inspected_at,
        min(paid_at) AS paid_at,
        min(closed_at) AS closed_at,
        max(repaired) AS repaired,
        max(has_status) AS has_status,
        max(status_node) AS status_node,
        splitByChar('|', argMaxMerge(route)) AS latest
    FROM rma_milestones
    WHERE {all:Bool} OR rma_id IN (SELECT rma_id FROM rma_milestones
                                   WHERE requested_at IS NOT NULL AND toYYYYMM(assumeNotNull(requested_at)) IN {months:Array(UInt32)})
    GROUP BY rma_id
    HAVING has_status = 1 AND requested_at IS NOT NULL AND requested_at <= {asOf:DateTime64(3)}
       AND ({all:Bool} OR toYYYYMM(assumeNotNull(requested_at)) IN {months:Array(UInt32)})
)
SELECT
    toDate(assumeNotNull(m.requested_at)) AS day,
    multiIf(m.latest[2] != '', m.latest[2], m.status_node != '', m.status_node, m.latest[1] != '', '', 'unknown') AS receiving_node_id,
    if(m.latest[1] != '', m.latest[1], 'undecided') AS resolution,
    st.1 AS stage,
    count() AS n,
    sum(st.2) AS sum_hours,
    quantilesTDigestState(0.5, 0.9, 0.99)(toFloat32(st.2)) AS hours_q,
    {asOf:DateTime64(3)} AS computed_at
FROM m
ARRAY JOIN arrayMap(s -> (s.1, assumeNotNull(s.2)), arrayFilter(s -> s.2 IS NOT NULL AND s.2 >= 0, [
    ('request_to_made_whole', dateDiff('millisecond', m.requested_at, coalesce(m.paid_at, if(m.repaired = 1, m.closed_at, NULL))) / 3600000),
    ('request_to_received', dateDiff('millisecond', m.requested_at, m.received_at) / 3600000),
    ('received_to_inspected', dateDiff('millisecond', m.received_at, m.inspected_at) / 3600000),
    ('inspected_to_resolved', dateDiff('millisecond', m.inspected_at, coalesce(m.paid_at, if(m.repaired = 1, m.closed_at, NULL))) / 3600000)
])) AS st
GROUP BY day, receiving_node_id, resolution, stage
