-- The staged requests (turnaround-requests-months.sql) that have a status, for an
-- incremental run of turnaround_daily (turnaround-refresh.sql).
SELECT rma_id, req, recv, insp, whole, status_node, route
FROM turnaround_requests_next
WHERE has_status = 1
