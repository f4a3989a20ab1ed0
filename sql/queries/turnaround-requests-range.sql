-- Stages the milestones of the requests whose rma_id lies in [{from}, {to}) ({to} empty:
-- no upper bound) for a full turnaround build (turnaround.job.ts), each request's rows
-- merged once. FINAL as in turnaround-milestones-all.sql (the one-statement form of the
-- build), but over one range of rma_milestones' key, so the primary index keeps the
-- other requests' rows out of the merge; the WHERE on the times applies after it.
INSERT INTO turnaround_requests_full
SELECT
    toYYYYMM(assumeNotNull(requested_at)) AS month,
    rma_id,
    assumeNotNull(toUnixTimestamp64Milli(requested_at)) AS req,
    toUnixTimestamp64Milli(received_at) AS recv,
    toUnixTimestamp64Milli(inspected_at) AS insp,
    coalesce(toUnixTimestamp64Milli(paid_at), if(repaired = 1, toUnixTimestamp64Milli(closed_at), NULL)) AS whole,
    status_node,
    finalizeAggregation(route) AS route,
    has_status,
    finished,
    finalizeAggregation(last_status) AS last_status
FROM rma_milestones FINAL
WHERE rma_id >= {from:String} AND ({to:String} = '' OR rma_id < {to:String})
  AND requested_at IS NOT NULL AND requested_at <= {asOf:DateTime64(3)}
