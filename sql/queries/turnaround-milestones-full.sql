-- The staged requests of one request month (turnaround-requests-range.sql) that have a
-- status, for a full build of turnaround_daily month by month (turnaround-refresh.sql):
-- the same requests turnaround-milestones-all.sql gives for that month.
SELECT rma_id, req, recv, insp, whole, status_node, route
FROM turnaround_requests_full
WHERE month = {month:UInt32} AND has_status = 1
