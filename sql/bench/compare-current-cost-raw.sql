-- Cost of the current decisions (the latest per line) from the decisions table itself.
SELECT tupleElement(l, 1) AS category, tupleElement(l, 2) AS resolution, count() AS lines,
       sum(tupleElement(l, 3)) AS net, sum(tupleElement(l, 4)) AS baseline
FROM (SELECT rma_id, line_index, argMax((toString(category), toString(resolution), net_cost, baseline_net_cost), decided_at) AS l
      FROM decisions GROUP BY rma_id, line_index)
GROUP BY category, resolution ORDER BY category, resolution
