-- The SKU list for an explicit day range [from, to], computed live from the roll-ups:
-- units sold and returned from the month roll-ups for its whole months and from the
-- daily ones for the rest (period-months.sql), money from the cost job's sku_costs
-- (the same columns as skus.snapshot).
WITH
{{include:period-months}}
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    ),
    sold AS (
        SELECT sku, sum(units) AS units_sold FROM (
            SELECT sku, units FROM daily_sales
            WHERE day BETWEEN d_from AND d_to AND (day < m_first OR day > m_end) AND ({sku:String} = '' OR sku = {sku:String})
            UNION ALL
            SELECT sku, units FROM monthly_sales
            WHERE month BETWEEN m_first AND m_last AND ({sku:String} = '' OR sku = {sku:String})
        )
        GROUP BY sku
    ),
    returned AS (
        SELECT sku, sum(units) AS units_returned, sum(lines) AS return_lines,
               arraySlice(arrayReverseSort(r -> (r.2, r.1), groupArray((reason, units))), 1, 3) AS top_reasons
        FROM (
            SELECT sku, reason, sum(units) AS units, sum(lines) AS lines FROM (
                SELECT sku, reason, units, lines FROM daily_returns
                WHERE day BETWEEN d_from AND d_to AND (day < m_first OR day > m_end) AND ({sku:String} = '' OR sku = {sku:String})
                UNION ALL
                SELECT sku, reason, units, lines FROM monthly_returns
                WHERE month BETWEEN m_first AND m_last AND ({sku:String} = '' OR sku = {sku:String})
            )
            GROUP BY sku, reason
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
               CAST(top_reasons, 'Array(Tuple(reason String, units UInt64))') AS top_reasons,
               costs.net_cost AS net_cost
        FROM sold
        FULL OUTER JOIN returned USING (sku)
        LEFT JOIN costs USING (sku)
        LEFT JOIN categories USING (sku)
    ),
-- The shared end: anomaly join, filters, sort, page.
{{include:skus-page}}
