-- Every current decision, for a full build of the cost snapshots (cost-refresh-daily.sql,
-- cost-refresh-sku.sql): read from decision_facts by each, once per snapshot.
SELECT decided_at, sku, category, reason, resolution, disposition, net_cost, recovery, baseline_net_cost,
       logistics, handling, refunds, repair, wait_hours, baseline_wait_hours
FROM decision_facts
PREWHERE decided_at <= {asOf:DateTime64(3)}
WHERE {{include:cost-current-decision}}
