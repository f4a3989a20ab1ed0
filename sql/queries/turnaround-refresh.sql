-- The turnaround rule (turnaround_daily): per request, requested (first line's
-- occurred_at) → received → inspected → made whole, where made whole is the first
-- refunded / exchange_shipped status, or for a repair the closing after 'repaired' (the
-- repaired item went back). Stages that have not happened yet, or whose clocks run
-- backwards, are left out rather than counted as zero (their hours are -1 or negative;
-- every stage aggregate is -If on hours >= 0).
-- Warehouse and resolution come from the latest decision's route 'resolution|node' (the
-- status's node when no decision names one). A request whose latest decision names no
-- warehouse and that no warehouse received (keep-it: the customer keeps the item) gets
-- the empty node '' ("no warehouse"); 'unknown' is left for requests nothing places.
-- Included by turnaround-refresh-{full,staged,all}.sql, which start the WITH list with
-- as_of_ms and the requests' milestones `m` (from rma_milestones, one row per request once merged)
-- and the insert into turnaround_daily_next.
-- Times are compared as epoch milliseconds (Int64 arithmetic instead of dateDiff on
-- Nullable DateTime64), and the four stages are aggregated side by side and unpivoted
-- after, instead of unpivoting every request first. Requests are grouped by day and
-- their raw (route, status node) first, and the route is cut into warehouse and
-- resolution once per group, whose t-digest states are then merged, instead of a string
-- cut per request. Each choice is the faster one at 10 M requests (docs/benchmarks.md).
    r AS (
        SELECT
            toDate(intDiv(assumeNotNull(req), 86400000)) AS day, route, status_node,
            coalesce((whole - req) / 3600000, -1) AS h_made,
            coalesce((recv - req) / 3600000, -1) AS h_recv,
            coalesce((insp - recv) / 3600000, -1) AS h_insp,
            coalesce((whole - insp) / 3600000, -1) AS h_res
        FROM m
    ),
    by_route AS (
        SELECT day, route, status_node,
            countIf(h_made >= 0) AS n_made, countIf(h_recv >= 0) AS n_recv, countIf(h_insp >= 0) AS n_insp, countIf(h_res >= 0) AS n_res,
            sumIf(h_made, h_made >= 0) AS s_made, sumIf(h_recv, h_recv >= 0) AS s_recv,
            sumIf(h_insp, h_insp >= 0) AS s_insp, sumIf(h_res, h_res >= 0) AS s_res,
            quantilesTDigestStateIf(0.5, 0.9, 0.99)(toFloat32(h_made), h_made >= 0) AS q_made,
            quantilesTDigestStateIf(0.5, 0.9, 0.99)(toFloat32(h_recv), h_recv >= 0) AS q_recv,
            quantilesTDigestStateIf(0.5, 0.9, 0.99)(toFloat32(h_insp), h_insp >= 0) AS q_insp,
            quantilesTDigestStateIf(0.5, 0.9, 0.99)(toFloat32(h_res), h_res >= 0) AS q_res
        FROM r
        GROUP BY day, route, status_node
    ),
    placed AS (
        SELECT *,
            position(route, '|') AS bar,
            multiIf(bar > 0 AND bar < length(route), substring(route, bar + 1), status_node != '', status_node, bar > 0, '', 'unknown') AS node,
            if(bar > 1, substring(route, 1, bar - 1), 'undecided') AS res
        FROM by_route
    ),
    g AS (
        SELECT day, node, res,
            [sum(n_made), sum(n_recv), sum(n_insp), sum(n_res)] AS ns,
            [sum(s_made), sum(s_recv), sum(s_insp), sum(s_res)] AS sums,
            [quantilesTDigestMergeState(0.5, 0.9, 0.99)(q_made), quantilesTDigestMergeState(0.5, 0.9, 0.99)(q_recv),
             quantilesTDigestMergeState(0.5, 0.9, 0.99)(q_insp), quantilesTDigestMergeState(0.5, 0.9, 0.99)(q_res)] AS qs
        FROM placed
        GROUP BY day, node, res
    )
SELECT day, node AS receiving_node_id, res AS resolution,
       ['request_to_made_whole', 'request_to_received', 'received_to_inspected', 'inspected_to_resolved'][i] AS stage,
       ns[i] AS n, sums[i] AS sum_hours, qs[i] AS hours_q, {asOf:DateTime64(3)} AS computed_at
FROM g
ARRAY JOIN arrayEnumerate(ns) AS i
WHERE n > 0
