-- Cost of the current decisions in SQLite: the latest decision per line by a window.
SELECT category, resolution, count(*) AS lines, sum(net_cost) AS net, sum(baseline_net_cost) AS baseline
FROM (SELECT category, resolution, net_cost, baseline_net_cost,
             row_number() OVER (PARTITION BY rma_id, line_index ORDER BY decided_at DESC) AS rn FROM decisions)
WHERE rn = 1 GROUP BY category, resolution ORDER BY category, resolution
