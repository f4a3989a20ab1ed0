-- Rebuilds open_returns_next: requests not yet made whole, closed or cancelled, by their
-- latest status ('requested' while no status arrived), per request month, from
-- rma_milestones: all of it, or the requests made in {months}.
INSERT INTO open_returns_next
WITH m AS (
    -- open-returns-milestones-full.sql (a month of a full build),
    -- open-returns-milestones-staged.sql (an incremental run; turnaround.job.ts), or
    -- open-returns-milestones-all.sql (the whole build in one statement).
{{milestones}}
)
SELECT
    toYYYYMM(assumeNotNull(requested_at)) AS month,
    if(last_status = '', 'requested', last_status) AS status,
    count() AS returns,
    min(assumeNotNull(requested_at)) AS oldest_at,
    {asOf:DateTime64(3)} AS computed_at
FROM m
GROUP BY month, status
