-- The staged requests of one request month (turnaround-requests-range.sql) not yet made
-- whole, closed or cancelled, for a full build of open_returns month by month
-- (open-returns-refresh.sql): the same requests open-returns-milestones-all.sql gives.
SELECT rma_id, fromUnixTimestamp64Milli(req, 'UTC') AS requested_at, last_status
FROM turnaround_requests_full
WHERE month = {month:UInt32} AND finished = 0
