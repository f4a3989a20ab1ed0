-- Rebuilds sku_return_rates_next: units sold vs returned per SKU over rolling windows
-- ending on the as-of day. A day row is expanded into every window that contains it
-- (arrayFilter over the window starts), so one pass over the roll-ups fills all four.
INSERT INTO sku_return_rates_next
WITH
    toDate({asOf:DateTime64(3)}) AS today,
    ['7d', '30d', '90d', 'all'] AS win_names,
    [today - 6, today - 29, today - 89, toDate('1970-01-01')] AS win_starts,
    sold AS (
        SELECT sku, win, sum(units) AS units_sold
        FROM daily_sales
        ARRAY JOIN arrayFilter((w, s) -> day >= s, win_names, win_starts) AS win
        WHERE day <= today
        GROUP BY sku, win
    ),
    returned_by_reason AS (
        SELECT sku, win, reason, sum(units) AS units, sum(lines) AS lines
        FROM daily_returns
        ARRAY JOIN arrayFilter((w, s) -> day >= s, win_names, win_starts) AS win
        WHERE day <= today
        GROUP BY sku, win, reason
    ),
    returned AS (
        SELECT sku, win, sum(units) AS units_returned, sum(lines) AS return_lines,
               arraySlice(arrayReverseSort(r -> (r.2, r.1), groupArray((reason, units))), 1, 3) AS top_reasons
        FROM returned_by_reason
        GROUP BY sku, win
    ),
    costs AS (
        SELECT sku, win, sum(net_cost) AS net_cost
        FROM sku_costs
        ARRAY JOIN arrayFilter((w, s) -> day >= s, win_names, win_starts) AS win
        WHERE day <= today
        GROUP BY sku, win
    ),
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    )
SELECT
    win, sku,
    if(categories.category = '', 'uncategorised', categories.category) AS category,
    units_sold, units_returned, return_lines,
    if(units_sold > 0, units_returned / units_sold, 0) AS return_rate,
    CAST(top_reasons, 'Array(Tuple(reason String, units UInt64))') AS top_reasons,
    costs.net_cost AS net_cost,
    {asOf:DateTime64(3)} AS computed_at
FROM sold
FULL OUTER JOIN returned USING (sku, win)
LEFT JOIN costs USING (sku, win)
LEFT JOIN categories USING (sku)
