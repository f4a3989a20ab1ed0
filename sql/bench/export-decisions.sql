-- Part {part} of {parts} of the decisions, in the SQLite table's columns.
SELECT decision_id, supersedes, rma_id, line_index, toUnixTimestamp64Milli(decided_at), toString(sku), toString(category),
       toString(resolution), net_cost, baseline_net_cost
FROM decisions FINAL WHERE cityHash64(rma_id) % {parts:UInt32} = {part:UInt32}
