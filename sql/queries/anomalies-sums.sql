-- The per-SKU sums the anomaly tests judge (anomalies-flagged.sql), for the includer's
-- d_from and d_to:
--   sums:    one row per SKU that sold in [least(d_from, d_to - 36), d_to]:
--            sold_range, ret_range: units over [d_from, d_to];
--            sold7, ret7:           units over the 7 days ending on d_to;
--            sold_base, ret_base:   units over the 30 days before those 7;
--   reasons: one row per SKU with returns of which the includer wants the reasons
--            (reason_sku, a predicate on `sku` it names before this fragment), its
--            units per reason (in the order of reason_list) over [d_from, d_to]
--            (reasons_range) and over the 7 days (reasons7). The job wants every SKU's
--            (1); a period's read none (0), and then those of its page's SKUs only
--            (anomalies-range-reasons.sql): summing every SKU's reasons was about
--            half of that read.
-- The period's months come from sku_months, the days at its ends (period-months.sql)
-- and the 37 days of the spike test from the daily roll-ups sorted by day (0100: a run
-- of days is a run of granules there, the SKU a plain String), each summed per SKU,
-- then added up; the reasons of a few SKUs from daily_returns, sorted by SKU. A daily
-- row of the spike windows adds to the period's sums only if it is an edge day; "sold
-- in the window" counts lines of the period and of the spike windows.
{{include:period-months}},
{{include:reason-list}},
    sums AS (
        SELECT sku,
               toUInt64(sum(s_range)) AS sold_range, toUInt64(sum(s7)) AS sold7, toUInt64(sum(s_base)) AS sold_base,
               toUInt64(sum(r_range)) AS ret_range, toUInt64(sum(r7)) AS ret7, toUInt64(sum(r_base)) AS ret_base
        FROM (
            SELECT sku, toInt64(sum(sale_lines)) AS sale_rows, toInt64(sum(units_sold)) AS s_range, 0 AS s7, 0 AS s_base,
                   toInt64(sum(units_returned)) AS r_range, 0 AS r7, 0 AS r_base
            FROM sku_months
            WHERE period_month
            GROUP BY sku
            UNION ALL
            SELECT sku, sum(if(edge_day, edge_sign, 0) * toInt64(lines) + if(day BETWEEN d_to - 36 AND d_to, toInt64(lines), 0)) AS sale_rows,
                   sum(if(edge_day, edge_sign, 0) * toInt64(units)) AS s_range,
                   sum(if(day BETWEEN d_to - 6 AND d_to, toInt64(units), 0)) AS s7,
                   sum(if(day BETWEEN d_to - 36 AND d_to - 7, toInt64(units), 0)) AS s_base,
                   0 AS r_range, 0 AS r7, 0 AS r_base
            FROM daily_sales_by_day
            WHERE edge_day OR day BETWEEN d_to - 36 AND d_to
            GROUP BY sku
            UNION ALL
            SELECT sku, 0 AS sale_rows, 0 AS s_range, 0 AS s7, 0 AS s_base,
                   sum(if(edge_day, edge_sign, 0) * toInt64(units)) AS r_range,
                   sum(if(day BETWEEN d_to - 6 AND d_to, toInt64(units), 0)) AS r7,
                   sum(if(day BETWEEN d_to - 36 AND d_to - 7, toInt64(units), 0)) AS r_base
            FROM daily_returns_by_day
            WHERE edge_day OR day BETWEEN d_to - 36 AND d_to
            GROUP BY sku
        )
        GROUP BY sku
        HAVING sum(sale_rows) > 0
    ),
    reasons AS (
        SELECT sku, sumForEach(u_range) AS reasons_range, sumForEach(u7) AS reasons7
        FROM (
            SELECT sku, arrayMap(x -> toInt64(x), sumForEachMerge(reason_units)) AS u_range, CAST([], 'Array(Int64)') AS u7
            FROM sku_months
            WHERE period_month AND reason_sku
            GROUP BY sku
            UNION ALL
            SELECT sku,
                   sumForEach(arrayMap(r -> if(r = reason AND edge_day, edge_sign * toInt64(units), 0), reason_list)) AS u_range,
                   sumForEach(arrayMap(r -> if(r = reason AND day BETWEEN d_to - 6 AND d_to, toInt64(units), 0), reason_list)) AS u7
            FROM daily_returns
            WHERE (edge_day OR day BETWEEN d_to - 6 AND d_to) AND reason_sku
            GROUP BY sku
        )
        GROUP BY sku
    )
