-- Stages the requests made in {months} for an incremental turnaround run
-- (turnaround.job.ts): each request's milestones merged once (times as epoch ms), for
-- turnaround-milestones-staged.sql and open-returns-milestones-staged.sql to read. The
-- requests are picked by id first and only their rows are merged, with GROUP BY: FINAL
-- would merge every request before filtering (a full build uses it, one range of
-- rma_id at a time: turnaround-requests-range.sql).
INSERT INTO turnaround_requests_next
SELECT
    rma_id,
    assumeNotNull(toUnixTimestamp64Milli(min(requested_at))) AS req,
    toUnixTimestamp64Milli(min(received_at)) AS recv,
    toUnixTimestamp64Milli(min(inspected_at)) AS insp,
    coalesce(toUnixTimestamp64Milli(min(paid_at)), if(max(repaired) = 1, toUnixTimestamp64Milli(min(closed_at)), NULL)) AS whole,
    max(status_node) AS status_node,
    argMaxMerge(route) AS route,
    max(has_status) AS has_status,
    max(finished) AS finished,
    argMaxMerge(last_status) AS last_status
FROM rma_milestones
WHERE rma_id IN (SELECT rma_id FROM rma_milestones
                 WHERE requested_at IS NOT NULL AND toYYYYMM(assumeNotNull(requested_at)) IN {months:Array(UInt32)})
GROUP BY rma_id
HAVING min(requested_at) IS NOT NULL AND min(requested_at) <= {asOf:DateTime64(3)}
   AND toYYYYMM(assumeNotNull(min(requested_at))) IN {months:Array(UInt32)}
