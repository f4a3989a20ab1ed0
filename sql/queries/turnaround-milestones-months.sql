-- Milestones of the requests made in {months}, for an incremental run of turnaround_daily
-- (turnaround-refresh.sql): the requests are picked by id first and only their rows are
-- merged, with GROUP BY (for a full build see turnaround-milestones-all.sql).
SELECT
    rma_id,
    toUnixTimestamp64Milli(min(requested_at)) AS req,
    toUnixTimestamp64Milli(min(received_at)) AS recv,
    toUnixTimestamp64Milli(min(inspected_at)) AS insp,
    coalesce(toUnixTimestamp64Milli(min(paid_at)), if(max(repaired) = 1, toUnixTimestamp64Milli(min(closed_at)), NULL)) AS whole,
    max(status_node) AS status_node,
    argMaxMerge(route) AS route
FROM rma_milestones
WHERE rma_id IN (SELECT rma_id FROM rma_milestones
                 WHERE requested_at IS NOT NULL AND toYYYYMM(assumeNotNull(requested_at)) IN {months:Array(UInt32)})
GROUP BY rma_id
HAVING max(has_status) = 1 AND req IS NOT NULL AND req <= as_of_ms
   AND toYYYYMM(toDate(intDiv(assumeNotNull(req), 86400000))) IN {months:Array(UInt32)}
