-- The SKU list for an explicit day range [from, to], computed live (the same columns as
-- skus.snapshot): whole months from sku_months, the days at either end from the daily
-- roll-ups (period-months.sql), each summed per SKU, then the three added up.
WITH
    {from:Date} AS d_from,
    {to:Date} AS d_to,
{{include:period-months}},
{{include:reason-list}},
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    ),
    sums AS (
        SELECT sku, sum(units_sold) AS units_sold, sum(units_returned) AS units_returned, sum(return_lines) AS return_lines,
               sumForEach(reason_units) AS reason_units
        FROM (
            SELECT sku, sum(units_sold) AS units_sold, sum(units_returned) AS units_returned, sum(return_lines) AS return_lines,
                   sumForEachMerge(reason_units) AS reason_units
            FROM sku_months
            WHERE month >= m_from AND month < m_end AND ({sku:String} = '' OR sku = {sku:String})
            GROUP BY sku
            UNION ALL
            SELECT sku, sum(units) AS units_sold, 0 AS units_returned, 0 AS return_lines, CAST([], 'Array(UInt64)') AS reason_units
            FROM daily_sales
            WHERE day BETWEEN d_from AND d_to AND (day < m_from OR day >= m_end) AND ({sku:String} = '' OR sku = {sku:String})
            GROUP BY sku
            UNION ALL
            SELECT sku, 0 AS units_sold, sum(units) AS units_returned, sum(lines) AS return_lines,
                   sumForEach(arrayMap(r -> if(r = reason, units, 0), reason_list)) AS reason_units
            FROM daily_returns
            WHERE day BETWEEN d_from AND d_to AND (day < m_from OR day >= m_end) AND ({sku:String} = '' OR sku = {sku:String})
            GROUP BY sku
        )
        GROUP BY sku
    ),
    costs AS (
        SELECT sku, sum(net_cost) AS net_cost FROM sku_costs
        WHERE day BETWEEN d_from AND d_to AND ({sku:String} = '' OR sku = {sku:String})
        GROUP BY sku
    ),
    rates AS (
        SELECT sku, if(categories.category = '', 'uncategorised', categories.category) AS category,
               units_sold, units_returned, return_lines,
               if(units_sold > 0, units_returned / units_sold, 0) AS return_rate,
               CAST(arraySlice(arrayReverseSort(r -> (r.2, r.1), arrayFilter(r -> r.2 > 0,
                        arrayMap((name, i) -> (name, reason_units[i]), reason_list, arrayEnumerate(reason_list)))), 1, 3),
                    'Array(Tuple(reason String, units UInt64))') AS top_reasons,
               costs.net_cost AS net_cost
        FROM sums
        LEFT JOIN costs USING (sku)
        LEFT JOIN categories USING (sku)
    ),
-- The shared end: anomaly join, filters, sort, page.
{{include:skus-page}}
