-- The open-returns rule (open_returns): requests not yet made whole, closed or
-- cancelled, by their latest status ('requested' while no status arrived), per request
-- month. Included by open-returns-refresh-{full,staged,all}.sql, which define the
-- requests' milestones `m` (from rma_milestones) and insert into open_returns_next.
SELECT
    toYYYYMM(assumeNotNull(requested_at)) AS month,
    if(last_status = '', 'requested', last_status) AS status,
    count() AS returns,
    min(assumeNotNull(requested_at)) AS oldest_at,
    {asOf:DateTime64(3)} AS computed_at
FROM m
GROUP BY month, status
