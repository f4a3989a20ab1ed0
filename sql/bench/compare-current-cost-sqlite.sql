-- Cost of the current decisions in SQLite, the supersedes rule through the index on
-- supersedes (faster here than a window over (rma_id, line_index, decided_at), which
-- compare-current-cost-sqlite-alt.sql times as well).
SELECT category, resolution, count(*) AS lines, sum(net_cost) AS net, sum(baseline_net_cost) AS baseline
FROM decisions WHERE decision_id NOT IN (SELECT supersedes FROM decisions WHERE supersedes != '')
GROUP BY category, resolution ORDER BY category, resolution
