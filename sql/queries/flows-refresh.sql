-- Rebuilds flows_next: reason → resolution → disposition of each return line's current
-- decision (not superseded by another; see cost-refresh-daily), per rolling window of
-- the day it was decided. One pass sums the four windows side by side, then unpivots.
INSERT INTO flows_next
WITH toDate({asOf:DateTime64(3)}) AS today
SELECT ['7d', '30d', '90d', 'all'][w] AS win, reason, resolution, disposition,
       lines_by_win[w] AS lines, cost_by_win[w] AS net_cost, {asOf:DateTime64(3)} AS computed_at
FROM
(
    SELECT reason, resolution, disposition,
           [countIf(decided_at >= today - 6), countIf(decided_at >= today - 29), countIf(decided_at >= today - 89), count()] AS lines_by_win,
           [sumIf(net_cost, decided_at >= today - 6), sumIf(net_cost, decided_at >= today - 29), sumIf(net_cost, decided_at >= today - 89), sum(net_cost)] AS cost_by_win
    FROM decision_facts
    WHERE decided_at <= {asOf:DateTime64(3)}
      AND decision_id NOT IN (SELECT supersedes FROM decisions WHERE supersedes != '' AND decided_at <= {asOf:DateTime64(3)})
    GROUP BY reason, resolution, disposition
)
ARRAY JOIN [1, 2, 3, 4] AS w
WHERE lines_by_win[w] > 0
