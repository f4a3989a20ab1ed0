-- Turnaround over request days [from, to]: per stage overall, per stage × warehouse and
-- per stage × resolution, by merging the per-day t-digest states.
WITH filtered AS (
    SELECT * FROM turnaround_daily
    WHERE day BETWEEN {from:Date} AND {to:Date}
      AND ({node:String} = '' OR receiving_node_id = {node:String})
      AND ({resolution:String} = '' OR resolution = {resolution:String})
)
SELECT 'all' AS breakdown, stage, '' AS key, sum(f.n) AS n, sum(f.sum_hours) / sum(f.n) AS avg_hours,
       quantilesTDigestMerge(0.5, 0.9, 0.99)(hours_q) AS q
FROM filtered AS f GROUP BY stage
UNION ALL
SELECT 'warehouse' AS breakdown, stage, receiving_node_id AS key, sum(f.n) AS n, sum(f.sum_hours) / sum(f.n) AS avg_hours,
       quantilesTDigestMerge(0.5, 0.9, 0.99)(hours_q) AS q
FROM filtered AS f GROUP BY stage, receiving_node_id
UNION ALL
SELECT 'resolution' AS breakdown, stage, resolution AS key, sum(f.n) AS n, sum(f.sum_hours) / sum(f.n) AS avg_hours,
       quantilesTDigestMerge(0.5, 0.9, 0.99)(hours_q) AS q
FROM filtered AS f GROUP BY stage, resolution
