SELECT node_id, kind, argMax(value, changed_at) AS value FROM capacity_limit_changes GROUP BY node_id, kind
