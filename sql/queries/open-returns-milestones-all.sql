-- Every open request for a full build of open_returns in one statement
-- (open-returns-refresh.sql); FINAL as in turnaround-milestones-all.sql. The job builds in
-- passes (open-returns-milestones-full.sql); the tests check both give the same rows.
SELECT rma_id, requested_at, finalizeAggregation(last_status) AS last_status
FROM rma_milestones FINAL
WHERE finished = 0 AND requested_at IS NOT NULL AND requested_at <= {asOf:DateTime64(3)}
