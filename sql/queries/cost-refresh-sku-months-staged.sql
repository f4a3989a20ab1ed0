-- Fills sku_cost_months_next with the months of a cost run's pass (cost-recovery.job.ts),
-- summed by month from the rows sku_costs_next has just received for them: the month
-- grain holds exactly the days' money (the SKU list of a period reads both, 0092).
INSERT INTO sku_cost_months_next
SELECT toStartOfMonth(day) AS month, sku, sum(returns), sum(net_cost), sum(recovery), sum(baseline_net_cost),
       {asOf:DateTime64(3)} AS computed_at
FROM sku_costs_next
WHERE toYYYYMM(day) IN {months:Array(UInt32)}
GROUP BY month, sku
