-- The cost rule of sku_costs: the money of the current decisions by SKU and day, the
-- source of netCost in the SKU list and detail. Included by
-- cost-refresh-sku-{staged,all}.sql, which define the current decisions `d` (as for
-- cost-refresh-daily.sql) and insert into sku_costs_next.
SELECT toDate(decided_at) AS day, sku, count() AS returns, sum(net_cost), sum(recovery), sum(baseline_net_cost),
       {asOf:DateTime64(3)} AS computed_at
FROM d
GROUP BY day, sku
