-- Fills turnaround_daily_next: all requests or only those made in {months}
-- (turnaround.job.ts). Per request: requested (first line's occurred_at) → received →
-- inspected → made whole, where made whole is the first refunded / exchange_shipped
-- status, or for a repair the closing after 'repaired' (the repaired item went back).
-- Stages that have not happened yet, or whose clocks run backwards, are left out rather
-- than counted as zero (their hours are NULL or negative; every stage aggregate is -If
-- on hours >= 0).
-- Warehouse and resolution come from the latest decision's route 'resolution|node' (the
-- status's node when no decision names one). A request whose latest decision names no
-- warehouse and that no warehouse received (keep-it: the customer keeps the item) gets
-- the empty node '' ("no warehouse"); 'unknown' is left for requests nothing places.
-- The milestones come from rma_milestones (one row per request once merged, kept
-- current at insert time by views on the three sources). It is read with FINAL, which
-- merges the parts' rows of a request in key order (min/max/argMax as the table
-- declares), and its WHERE applies after that merge: at 10M requests that took 2.4 s,
-- where GROUP BY rma_id over the same columns took 5–7 s (a hash table of 10M ids).
-- Times are compared as epoch milliseconds (Int64 arithmetic instead of dateDiff on
-- Nullable DateTime64), the route is cut with
-- position/substring instead of an array per request, and the four stages are
-- aggregated side by side per day × warehouse × resolution and unpivoted after, instead
-- of unpivoting every request first: at 10M requests that took 10 s down to ≈6.
INSERT INTO turnaround_daily_next
WITH
    toUnixTimestamp64Milli({asOf:DateTime64(3)}) AS as_of_ms,
    -- The request's milestones: turnaround-milestones-all.sql for a full build,
    -- turnaround-milestones-months.sql for an incremental run (turnaround.job.ts).
    m AS (
{{milestones}}
    ),
    r AS (
        SELECT
            toDate(intDiv(assumeNotNull(req), 86400000)) AS day,
            position(route, '|') AS bar,
            multiIf(bar > 0 AND bar < length(route), substring(route, bar + 1), status_node != '', status_node, bar > 0, '', 'unknown') AS node,
            if(bar > 1, substring(route, 1, bar - 1), 'undecided') AS res,
            (whole - req) / 3600000 AS h_made,
            (recv - req) / 3600000 AS h_recv,
            (insp - recv) / 3600000 AS h_insp,
            (whole - insp) / 3600000 AS h_res
        FROM m
    ),
    g AS (
        SELECT day, node, res,
            [countIf(h_made >= 0), countIf(h_recv >= 0), countIf(h_insp >= 0), countIf(h_res >= 0)] AS ns,
            [sumIf(assumeNotNull(h_made), h_made >= 0), sumIf(assumeNotNull(h_recv), h_recv >= 0),
             sumIf(assumeNotNull(h_insp), h_insp >= 0), sumIf(assumeNotNull(h_res), h_res >= 0)] AS sums,
            [quantilesTDigestStateIf(0.5, 0.9, 0.99)(toFloat32(assumeNotNull(h_made)), h_made >= 0),
             quantilesTDigestStateIf(0.5, 0.9, 0.99)(toFloat32(assumeNotNull(h_recv)), h_recv >= 0),
             quantilesTDigestStateIf(0.5, 0.9, 0.99)(toFloat32(assumeNotNull(h_insp)), h_insp >= 0),
             quantilesTDigestStateIf(0.5, 0.9, 0.99)(toFloat32(assumeNotNull(h_res)), h_res >= 0)] AS qs
        FROM r
        GROUP BY day, node, res
    )
SELECT day, node AS receiving_node_id, res AS resolution,
       ['request_to_made_whole', 'request_to_received', 'received_to_inspected', 'inspected_to_resolved'][i] AS stage,
       ns[i] AS n, sums[i] AS sum_hours, qs[i] AS hours_q, {asOf:DateTime64(3)} AS computed_at
FROM g
ARRAY JOIN arrayEnumerate(ns) AS i
WHERE n > 0
