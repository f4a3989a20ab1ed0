-- Fills sku_costs_next (all months, or only {months} for an incremental run; see
-- cost-recovery.job.ts) from the current decisions, which the job puts in below
-- (cost-decisions.sql for a full build, cost-decisions-staged.sql for an incremental
-- run): their money by SKU and day, the source of netCost in the SKU list and detail.
INSERT INTO sku_costs_next
SELECT toDate(decided_at) AS day, sku, count() AS returns, sum(net_cost), sum(recovery), sum(baseline_net_cost),
       {asOf:DateTime64(3)} AS computed_at
FROM (
{{decisions}}
)
GROUP BY day, sku
