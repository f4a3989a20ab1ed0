-- Rebuilds sku_costs_next: money of the latest decision per return line by SKU and day,
-- the source of netCost in the SKU list and detail.
INSERT INTO sku_costs_next
SELECT day, tupleElement(latest, 1) AS sku, count() AS returns, sum(tupleElement(latest, 2)) AS net_cost,
       sum(tupleElement(latest, 3)) AS recovery, sum(tupleElement(latest, 4)) AS baseline_net_cost,
       {asOf:DateTime64(3)} AS computed_at
FROM
(
    SELECT rma_id, line_index, toDate(min(decided_at)) AS day,
           argMax((sku, net_cost, recovery, baseline_net_cost), (decided_at, decision_id)) AS latest
    FROM decision_facts
    WHERE decided_at <= {asOf:DateTime64(3)}
    GROUP BY rma_id, line_index
)
GROUP BY day, sku
