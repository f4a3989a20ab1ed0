-- Sankey links over the decision days [from, to], read live from cost_daily (the current
-- decision of each line per day, category, reason, resolution and disposition: 0023), a
-- primary-key range by day. The same links flows-read.sql gives for a rolling window.
-- ORDER BY after a UNION ALL binds to its last SELECT only: the union is ordered outside.
SELECT source, target, value FROM (
    SELECT concat('reason:', reason) AS source, concat('resolution:', resolution) AS target, sum(returns) AS value
    FROM cost_daily WHERE day BETWEEN {from:Date} AND {to:Date} GROUP BY source, target HAVING value > 0
    UNION ALL
    SELECT concat('resolution:', resolution) AS source, concat('disposition:', disposition) AS target, sum(returns) AS value
    FROM cost_daily WHERE day BETWEEN {from:Date} AND {to:Date} GROUP BY source, target HAVING value > 0
)
ORDER BY source, target
