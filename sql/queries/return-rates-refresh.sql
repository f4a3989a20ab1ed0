-- Rebuilds sku_return_rates_next: units sold vs returned per SKU over rolling windows
-- ending on the as-of day. One pass over each roll-up sums all four windows side by side
-- (sumIf per window), then the SKU rows are unpivoted into one row per window.
INSERT INTO sku_return_rates_next
WITH
    toDate({asOf:DateTime64(3)}) AS today,
    sold AS (
        SELECT sku, [sumIf(units, day >= today - 6), sumIf(units, day >= today - 29), sumIf(units, day >= today - 89), sum(units)] AS by_win
        FROM daily_sales WHERE day <= today GROUP BY sku
    ),
    returned_by_reason AS (
        SELECT sku, reason,
               [sumIf(units, day >= today - 6), sumIf(units, day >= today - 29), sumIf(units, day >= today - 89), sum(units)] AS units_by_win,
               [sumIf(lines, day >= today - 6), sumIf(lines, day >= today - 29), sumIf(lines, day >= today - 89), sum(lines)] AS lines_by_win
        FROM daily_returns WHERE day <= today GROUP BY sku, reason
    ),
    returned AS (
        SELECT r.sku AS sku, sumForEach(r.units_by_win) AS units_total, sumForEach(r.lines_by_win) AS lines_total,
               groupArray((r.reason, r.units_by_win)) AS reasons
        FROM returned_by_reason AS r GROUP BY r.sku
    ),
    costs AS (
        SELECT sku, [sumIf(net_cost, day >= today - 6), sumIf(net_cost, day >= today - 29), sumIf(net_cost, day >= today - 89), sum(net_cost)] AS by_win
        FROM sku_costs WHERE day <= today GROUP BY sku
    ),
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    )
SELECT
    ['7d', '30d', '90d', 'all'][w] AS win, sku,
    if(categories.category = '', 'uncategorised', categories.category) AS category,
    if(length(sold.by_win) = 4, sold.by_win[w], 0) AS units_sold,
    if(length(returned.units_total) = 4, returned.units_total[w], 0) AS units_returned,
    if(length(returned.lines_total) = 4, returned.lines_total[w], 0) AS return_lines,
    if(units_sold > 0, units_returned / units_sold, 0) AS return_rate,
    CAST(arraySlice(arrayReverseSort(r -> (r.2, r.1),
             arrayFilter(r -> r.2 > 0, arrayMap(r -> (r.1, r.2[w]), returned.reasons))), 1, 3),
         'Array(Tuple(reason String, units UInt64))') AS top_reasons,
    if(length(costs.by_win) = 4, costs.by_win[w], 0) AS net_cost,
    {asOf:DateTime64(3)} AS computed_at
FROM sold
FULL OUTER JOIN returned USING (sku)
LEFT JOIN costs USING (sku)
LEFT JOIN categories USING (sku)
ARRAY JOIN [1, 2, 3, 4] AS w
WHERE units_sold > 0 OR units_returned > 0
