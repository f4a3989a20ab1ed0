SELECT node_id, argMax(repair_bench_hours_per_day, changed_at) AS hours FROM capacity_changes GROUP BY node_id
