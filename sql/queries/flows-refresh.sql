-- Rebuilds flows_next: reason → resolution → disposition of each return line's current
-- decision (not superseded by another), per rolling window of the day it was decided.
-- Read from cost_daily, which the cost-recovery job keeps per day with exactly that
-- filter (cost-refresh-daily.sql, 0023), instead of filtering all of decision_facts
-- again. One pass sums the four windows side by side, then unpivots.
INSERT INTO flows_next
WITH toDate({asOf:DateTime64(3)}) AS today
SELECT ['7d', '30d', '90d', 'all'][w] AS win, reason, resolution, disposition,
       lines_by_win[w] AS lines, cost_by_win[w] AS net_cost, {asOf:DateTime64(3)} AS computed_at
FROM
(
    SELECT reason, resolution, disposition,
           [sumIf(returns, day >= today - 6), sumIf(returns, day >= today - 29), sumIf(returns, day >= today - 89), sum(returns)] AS lines_by_win,
           [sumIf(net_cost, day >= today - 6), sumIf(net_cost, day >= today - 29), sumIf(net_cost, day >= today - 89), sum(net_cost)] AS cost_by_win
    FROM cost_daily
    WHERE day <= today
    GROUP BY reason, resolution, disposition
)
ARRAY JOIN [1, 2, 3, 4] AS w
WHERE lines_by_win[w] > 0
