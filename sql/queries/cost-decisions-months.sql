-- Stages the current decisions made in {months} for an incremental cost run
-- (cost-recovery.job.ts), for cost-decisions-staged.sql to give both snapshots. The month
-- filter is PREWHERE, so only those months' rows are probed against the superseded set.
INSERT INTO cost_decisions_next
SELECT decided_at, sku, category, reason, resolution, disposition, net_cost, recovery, baseline_net_cost,
       logistics, handling, refunds, repair, wait_hours, baseline_wait_hours
FROM decision_facts
PREWHERE decided_at <= {asOf:DateTime64(3)} AND toYYYYMM(decided_at) IN {months:Array(UInt32)}
WHERE {{include:cost-current-decision}}
