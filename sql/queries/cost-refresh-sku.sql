-- Fills sku_costs_next (all months, or only {months} for an incremental run; see
-- cost-recovery.job.ts): money of each return line's current decision (the filter
-- cost-current-decision.sql, shared with cost-refresh-daily) by SKU and day, the source of
-- netCost in the SKU list and detail. The month filter is PREWHERE so only those months'
-- rows are probed against the superseded set (probing all 12M decision ids cost as much
-- as a full rebuild).
INSERT INTO sku_costs_next
SELECT toDate(decided_at) AS day, sku, count() AS returns, sum(net_cost), sum(recovery), sum(baseline_net_cost),
       {asOf:DateTime64(3)} AS computed_at
FROM decision_facts
PREWHERE decided_at <= {asOf:DateTime64(3)} AND ({all:Bool} OR toYYYYMM(decided_at) IN {months:Array(UInt32)})
WHERE {{include:cost-current-decision}}
GROUP BY day, sku
