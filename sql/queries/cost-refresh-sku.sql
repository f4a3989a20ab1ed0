-- Fills sku_costs_next's rows of {months} from the current decisions, which the job puts
-- in below (cost-decisions-staged.sql, as in cost-refresh-daily.sql; cost-decisions.sql
-- for the whole build in one statement; see cost-recovery.job.ts): their money by SKU and day, the source of netCost in the SKU list and detail.
INSERT INTO sku_costs_next
SELECT toDate(decided_at) AS day, sku, count() AS returns, sum(net_cost), sum(recovery), sum(baseline_net_cost),
       {asOf:DateTime64(3)} AS computed_at
FROM (
{{decisions}}
)
GROUP BY day, sku
