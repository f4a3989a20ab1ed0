-- Resolution × disposition of the current decisions (not superseded; see
-- cost-refresh-daily) of one SKU's return lines decided in [from, to], with the money.
SELECT resolution, disposition, count() AS lines,
       sum(net_cost) AS net_cost_sum, sum(recovery) AS recovery_sum, sum(baseline_net_cost) AS baseline_net_cost_sum,
       sum(logistics) AS logistics_sum, sum(handling) AS handling_sum, sum(refunds) AS refunds_sum, sum(repair) AS repair_sum
FROM decision_facts
WHERE sku = {sku:String}
  AND toDate(decided_at) BETWEEN {from:Date} AND {to:Date}
  AND decision_id NOT IN (SELECT supersedes FROM decisions WHERE sku = {sku:String} AND supersedes != '')
GROUP BY resolution, disposition
ORDER BY lines DESC, resolution, disposition
