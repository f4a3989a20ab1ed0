-- Backtest over the days [from, to]: each return line's current decision (the latest
-- of its decisions) next to the baseline the same decision carries, grouped by request
-- month and category; backtest.ts sums the groups into totals, by category and by month.
-- A line belongs to the period of its first decision (an imported return is decided as
-- of its own date). A wish is honoured when the resolution is the one asked for, or a
-- refund asked for is granted without the item coming back (keep_it).
WITH cur AS (
    SELECT rma_id, line_index,
           min(decided_at) AS first_at,
           argMax(category, decided_at) AS category,
           argMax(resolution, decided_at) AS resolution,
           argMax(net_cost, decided_at) AS net_cost,
           argMax(wait_hours, decided_at) AS wait_hours,
           argMax(baseline_resolution, decided_at) AS baseline_resolution,
           argMax(baseline_net_cost, decided_at) AS baseline_net_cost,
           argMax(baseline_wait_hours, decided_at) AS baseline_wait_hours
    FROM decisions
    WHERE decided_at >= toDateTime64({from:Date}, 3, 'UTC')
    GROUP BY rma_id, line_index
    HAVING toDate(first_at) <= {to:Date}
),
wishes AS (
    SELECT rma_id, line_index, any(wants) AS wants
    FROM return_lines
    WHERE occurred_at >= toDateTime64({from:Date}, 3, 'UTC') - INTERVAL 1 DAY
      AND (rma_id, line_index) IN (SELECT rma_id, line_index FROM cur)
    GROUP BY rma_id, line_index
)
SELECT
    formatDateTime(toStartOfMonth(cur.first_at), '%Y-%m') AS month,
    if(cur.category = '', 'uncategorised', toString(cur.category)) AS category,
    count() AS lines,
    round(sum(cur.net_cost), 2) AS net_cost,
    round(sum(cur.baseline_net_cost), 2) AS baseline_net_cost,
    sum(cur.wait_hours) AS wait_hours,
    sum(cur.baseline_wait_hours) AS baseline_wait_hours,
    countIf(w.wants != '') AS with_wish,
    countIf(w.wants != '' AND (cur.resolution = w.wants OR (w.wants = 'refund' AND cur.resolution = 'keep_it'))) AS honoured,
    countIf(w.wants != '' AND (cur.baseline_resolution = w.wants OR (w.wants = 'refund' AND cur.baseline_resolution = 'keep_it'))) AS baseline_honoured
FROM cur
LEFT JOIN wishes AS w ON w.rma_id = cur.rma_id AND w.line_index = cur.line_index
GROUP BY month, category
ORDER BY month, category
