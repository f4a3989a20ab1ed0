-- The reference the SKU list of a period is tested and benched against: the same
-- columns computed from the daily roll-ups alone (every day of the period), as
-- sql/queries/skus-range.sql did before sku_months (migration 0080) existed.
WITH
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    ),
    sold AS (
        SELECT sku, sum(units) AS units_sold FROM daily_sales
        WHERE day BETWEEN {from:Date} AND {to:Date} AND ({sku:String} = '' OR sku = {sku:String})
        GROUP BY sku
    ),
    returned AS (
        SELECT sku, sum(units) AS units_returned, sum(lines) AS return_lines,
               arraySlice(arrayReverseSort(r -> (r.2, r.1), groupArray((reason, units))), 1, 3) AS top_reasons
        FROM (
            SELECT sku, reason, sum(units) AS units, sum(lines) AS lines FROM daily_returns
            WHERE day BETWEEN {from:Date} AND {to:Date} AND ({sku:String} = '' OR sku = {sku:String})
            GROUP BY sku, reason
        )
        GROUP BY sku
    ),
    costs AS (
        SELECT sku, sum(net_cost) AS net_cost FROM sku_costs
        WHERE day BETWEEN {from:Date} AND {to:Date} AND ({sku:String} = '' OR sku = {sku:String})
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
