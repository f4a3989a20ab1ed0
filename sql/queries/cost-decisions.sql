-- The current decisions (the rule: cost-current-decision.sql), of every month ({all}) or
-- of {months}: the source of a full build of the cost snapshots (cost-refresh-daily.sql,
-- cost-refresh-sku.sql read it once each) and of an incremental run's staging
-- (cost-decisions-months.sql). The month filter is PREWHERE, so only those months' rows
-- are probed against the superseded set.
SELECT decided_at, sku, category, reason, resolution, disposition, net_cost, recovery, baseline_net_cost,
       logistics, handling, refunds, repair, wait_hours, baseline_wait_hours
FROM decision_facts
PREWHERE decided_at <= {asOf:DateTime64(3)} AND ({all:Bool} OR toYYYYMM(decided_at) IN {months:Array(UInt32)})
WHERE {{include:cost-current-decision}}
