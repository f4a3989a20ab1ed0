-- The SKU list for an explicit day range [from, to], computed live (the same columns as
-- skus.snapshot): months from sku_months, days at either end from the daily roll-ups
-- (period-months.sql; the roll-ups sorted by day, 0100), each summed per SKU, then the
-- three added up; the net cost from sku_cost_months and sku_costs the same way, but
-- whole months only (period-whole-months.sql).
-- The top three reasons are picked outside the page's query, for its rows only: picking
-- them for every SKU before the sort took about a third of the read (docs/benchmarks.md).
WITH
{{include:reason-list}}
SELECT * REPLACE (
    CAST(arraySlice(arrayReverseSort(r -> (r.2, r.1), arrayFilter(r -> r.2 > 0,
             arrayMap((name, i) -> (name, top_reasons[i]), reason_list, arrayEnumerate(reason_list)))), 1, 3),
         'Array(Tuple(reason String, units UInt64))') AS top_reasons)
FROM (
WITH
    {from:Date} AS d_from,
    {to:Date} AS d_to,
{{include:period-months}},
{{include:period-whole-months}},
{{include:reason-list}},
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    ),
    sums AS (
        SELECT sku, toUInt64(sum(sold)) AS units_sold, toUInt64(sum(returned)) AS units_returned,
               toUInt64(sum(returned_lines)) AS return_lines, sumForEach(reasons) AS reason_units
        FROM (
            SELECT sku, toInt64(sum(units_sold)) AS sold, toInt64(sum(sale_lines)) AS sold_lines,
                   toInt64(sum(units_returned)) AS returned, toInt64(sum(return_lines)) AS returned_lines,
                   arrayMap(x -> toInt64(x), sumForEachMerge(reason_units)) AS reasons
            FROM sku_months
            WHERE period_month AND ({sku:String} = '' OR sku = {sku:String})
            GROUP BY sku
            UNION ALL
            SELECT sku, sum(edge_sign * toInt64(units)) AS sold, sum(edge_sign * toInt64(lines)) AS sold_lines,
                   0 AS returned, 0 AS returned_lines, CAST([], 'Array(Int64)') AS reasons
            FROM daily_sales_by_day
            WHERE edge_day AND ({sku:String} = '' OR sku = {sku:String})
            GROUP BY sku
            UNION ALL
            SELECT sku, 0 AS sold, 0 AS sold_lines, sum(edge_sign * toInt64(units)) AS returned, sum(edge_sign * toInt64(lines)) AS returned_lines,
                   sumForEach(arrayMap(r -> if(r = reason, edge_sign * toInt64(units), 0), reason_list)) AS reasons
            FROM daily_returns_by_day
            WHERE edge_day AND ({sku:String} = '' OR sku = {sku:String})
            GROUP BY sku
        )
        GROUP BY sku
        -- A SKU with sales or returns in the period, as the day-grain read lists them.
        HAVING sum(sold_lines) > 0 OR sum(returned_lines) > 0
    ),
    -- Whole months from sku_cost_months, the other days from sku_costs (0092).
    costs AS (
        SELECT sku, sum(net) AS net_cost
        FROM (
            SELECT sku, sum(net_cost) AS net FROM sku_cost_months
            WHERE whole_month AND ({sku:String} = '' OR sku = {sku:String})
            GROUP BY sku
            UNION ALL
            SELECT sku, sum(net_cost) AS net FROM sku_costs
            WHERE part_day AND ({sku:String} = '' OR sku = {sku:String})
            GROUP BY sku
        )
        GROUP BY sku
    ),
    rates AS (
        SELECT sku, if(categories.category = '', 'uncategorised', categories.category) AS category,
               units_sold, units_returned, return_lines,
               if(units_sold > 0, units_returned / units_sold, 0) AS return_rate,
               -- The units per reason; the page's rows get their top three outside.
               reason_units AS top_reasons,
               costs.net_cost AS net_cost
        FROM sums
        LEFT JOIN costs USING (sku)
        LEFT JOIN categories USING (sku)
    ),
-- The shared end: anomaly join, filters, sort, page.
{{include:skus-page}}
)
