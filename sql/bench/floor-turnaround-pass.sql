-- The least work an exact full turnaround build does: one pass over every request's
-- merged milestones (FINAL) grouped by day and route, counting rows only.
SELECT count() AS n FROM (
    SELECT toDate(requested_at) AS day, finalizeAggregation(route) AS route, status_node, count() AS requests
    FROM rma_milestones FINAL WHERE requested_at IS NOT NULL GROUP BY day, route, status_node)
