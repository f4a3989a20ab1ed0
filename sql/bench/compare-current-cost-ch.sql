-- Cost of the current decisions by category and resolution: a decision counts until
-- another names it in `supersedes`, applied as the cost job does.
SELECT toString(category) AS category, toString(resolution) AS resolution, count() AS lines, sum(net_cost) AS net, sum(baseline_net_cost) AS baseline
FROM decision_facts
WHERE {{include:cost-current-decision}}
GROUP BY category, resolution ORDER BY category, resolution
