-- The request months a full turnaround build staged (turnaround-requests-range.sql), one
-- pass each.
SELECT DISTINCT month FROM turnaround_requests_full ORDER BY month
