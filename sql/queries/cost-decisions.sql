-- The current decisions (the rule: cost-current-decision.sql), of every month ({all}) or
-- of {months}: what cost-decisions-months.sql stages for a run's passes, and, with {all},
-- the source of the whole build in one statement (cost-refresh-daily.sql and
-- cost-refresh-sku.sql read it once each), which the tests compare the passes with. The month filter is PREWHERE, so only those months' rows
-- are probed against the superseded set.
SELECT decided_at, sku, category, reason, resolution, disposition, net_cost, recovery, baseline_net_cost,
       logistics, handling, refunds, repair, wait_hours, baseline_wait_hours
FROM decision_facts
PREWHERE decided_at <= {asOf:DateTime64(3)} AND ({all:Bool} OR toYYYYMM(decided_at) IN {months:Array(UInt32)})
WHERE {{include:cost-current-decision}}
