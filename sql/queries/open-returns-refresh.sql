-- Rebuilds open_returns_next: requests not yet made whole, closed or cancelled, by their
-- latest status ('requested' while no status arrived), per request month, from
-- rma_milestones: all of it ({all}) or the requests made in {months}.
INSERT INTO open_returns_next
WITH m AS (
    -- FINAL: see turnaround-refresh.sql (its WHERE applies to the merged request).
    SELECT rma_id, requested_at, finalizeAggregation(last_status) AS last_status
    FROM rma_milestones FINAL
    WHERE ({all:Bool} OR rma_id IN (SELECT rma_id FROM rma_milestones
                                    WHERE requested_at IS NOT NULL AND toYYYYMM(assumeNotNull(requested_at)) IN {months:Array(UInt32)}))
      AND finished = 0 AND requested_at IS NOT NULL AND requested_at <= {asOf:DateTime64(3)}
      AND ({all:Bool} OR toYYYYMM(assumeNotNull(requested_at)) IN {months:Array(UInt32)})
)
SELECT
    toYYYYMM(assumeNotNull(requested_at)) AS month,
    if(last_status = '', 'requested', last_status) AS status,
    count() AS returns,
    min(assumeNotNull(requested_at)) AS oldest_at,
    {asOf:DateTime64(3)} AS computed_at
FROM m
GROUP BY month, status
