-- Open requests made in {months}, for an incremental run of open_returns
-- (open-returns-refresh.sql): picked by id, then merged with GROUP BY.
SELECT rma_id, min(requested_at) AS requested_at, argMaxMerge(last_status) AS last_status
FROM rma_milestones
WHERE rma_id IN (SELECT rma_id FROM rma_milestones
                 WHERE requested_at IS NOT NULL AND toYYYYMM(assumeNotNull(requested_at)) IN {months:Array(UInt32)})
GROUP BY rma_id
HAVING max(finished) = 0 AND requested_at IS NOT NULL AND requested_at <= {asOf:DateTime64(3)}
   AND toYYYYMM(assumeNotNull(requested_at)) IN {months:Array(UInt32)}
