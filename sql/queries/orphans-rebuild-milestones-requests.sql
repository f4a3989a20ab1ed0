-- Rebuild of rolled-back returns' milestones, 1 of 3: the request (as rma_milestones_requests_mv).
-- Rows the views add meanwhile merge with these (min, max, argMax): nothing counts twice.
INSERT INTO rma_milestones (rma_id, requested_at, touched_at)
SELECT rma_id, min(occurred_at), now64(3) FROM return_lines WHERE rma_id IN {rmas:Array(String)} GROUP BY rma_id
