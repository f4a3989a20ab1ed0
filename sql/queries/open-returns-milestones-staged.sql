-- The staged requests (turnaround-requests-months.sql) not yet made whole, closed or
-- cancelled, for an incremental run of open_returns (open-returns-refresh.sql).
SELECT rma_id, fromUnixTimestamp64Milli(req, 'UTC') AS requested_at, last_status
FROM turnaround_requests_next
WHERE finished = 0
