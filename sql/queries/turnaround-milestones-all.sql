-- Every request's milestones for a full build of turnaround_daily in one statement
-- (turnaround-refresh.sql). The job builds in passes instead (turnaround-requests-range.sql,
-- turnaround-milestones-full.sql), which must give the same rows: the tests build with
-- this one to check that.
-- FINAL merges each request's rows across parts in key order (min/max/argMax as
-- rma_milestones declares), and the WHERE applies after that merge, where GROUP BY rma_id
-- would build a hash table of every id (docs/benchmarks.md). Only for a full build: an incremental run picks a few months' requests,
-- and FINAL would merge all of them before filtering (turnaround-requests-months.sql
-- stages them with GROUP BY; turnaround-milestones-staged.sql reads the stage).
SELECT
    rma_id,
    toUnixTimestamp64Milli(requested_at) AS req,
    toUnixTimestamp64Milli(received_at) AS recv,
    toUnixTimestamp64Milli(inspected_at) AS insp,
    coalesce(toUnixTimestamp64Milli(paid_at), if(repaired = 1, toUnixTimestamp64Milli(closed_at), NULL)) AS whole,
    status_node,
    finalizeAggregation(route) AS route
FROM rma_milestones FINAL
WHERE has_status = 1 AND req IS NOT NULL AND req <= as_of_ms
