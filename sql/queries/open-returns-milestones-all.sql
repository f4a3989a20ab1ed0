-- Every open request for a full build of open_returns (open-returns-refresh.sql); FINAL
-- as in turnaround-milestones-all.sql.
SELECT rma_id, requested_at, finalizeAggregation(last_status) AS last_status
FROM rma_milestones FINAL
WHERE finished = 0 AND requested_at IS NOT NULL AND requested_at <= {asOf:DateTime64(3)}
