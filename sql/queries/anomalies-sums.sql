-- The per-SKU sums the anomaly tests judge (anomalies-flagged.sql), for the includer's
-- d_from and d_to:
--   sums:    one row per SKU that sold in [least(d_from, d_to - 36), d_to]:
--            sold_range, ret_range: units over [d_from, d_to];
--            sold7, ret7:           units over the 7 days ending on d_to;
--            sold_base, ret_base:   units over the 30 days before those 7;
--   reasons: one row per SKU with returns, its units per reason (in the order of
--            reason_list) over [d_from, d_to] (reasons_range) and over the 7 days
--            (reasons7), read only for flagged rows.
-- The whole months of [d_from, d_to] come from sku_months, its other days and the 37
-- days of the spike test from the daily roll-ups (period-months.sql), each summed per
-- SKU, then added up. A daily row can count towards the spike windows and also lie in a
-- whole month read from sku_months; it then adds nothing to the period's sums (its
-- `_range` terms are 0), only to the "sold in the window" test, which counts rows.
{{include:period-months}},
{{include:reason-list}},
    sums AS (
        SELECT sku,
               sum(s_range) AS sold_range, sum(s7) AS sold7, sum(s_base) AS sold_base,
               sum(r_range) AS ret_range, sum(r7) AS ret7, sum(r_base) AS ret_base
        FROM (
            SELECT sku, sum(sale_lines) AS sale_rows, sum(units_sold) AS s_range, 0 AS s7, 0 AS s_base,
                   sum(units_returned) AS r_range, 0 AS r7, 0 AS r_base
            FROM sku_months
            WHERE month >= m_from AND month < m_end
            GROUP BY sku
            UNION ALL
            SELECT sku, sum(lines) AS sale_rows, sum(if(day >= d_from AND (day < m_from OR day >= m_end), units, 0)) AS s_range,
                   sum(if(day >= d_to - 6, units, 0)) AS s7, sum(if(day BETWEEN d_to - 36 AND d_to - 7, units, 0)) AS s_base,
                   0 AS r_range, 0 AS r7, 0 AS r_base
            FROM daily_sales
            WHERE day BETWEEN least(d_from, d_to - 36) AND d_to AND (day >= d_to - 36 OR day < m_from OR day >= m_end)
            GROUP BY sku
            UNION ALL
            SELECT sku, 0 AS sale_rows, 0 AS s_range, 0 AS s7, 0 AS s_base,
                   sum(if(day >= d_from AND (day < m_from OR day >= m_end), units, 0)) AS r_range,
                   sum(if(day >= d_to - 6, units, 0)) AS r7, sum(if(day BETWEEN d_to - 36 AND d_to - 7, units, 0)) AS r_base
            FROM daily_returns
            WHERE day BETWEEN least(d_from, d_to - 36) AND d_to AND (day >= d_to - 36 OR day < m_from OR day >= m_end)
            GROUP BY sku
        )
        GROUP BY sku
        HAVING sum(sale_rows) > 0
    ),
    reasons AS (
        SELECT sku, sumForEach(u_range) AS reasons_range, sumForEach(u7) AS reasons7
        FROM (
            SELECT sku, sumForEachMerge(reason_units) AS u_range, CAST([], 'Array(UInt64)') AS u7
            FROM sku_months
            WHERE month >= m_from AND month < m_end
            GROUP BY sku
            UNION ALL
            SELECT sku,
                   sumForEach(arrayMap(r -> if(r = reason AND day >= d_from AND (day < m_from OR day >= m_end), units, 0), reason_list)) AS u_range,
                   sumForEach(arrayMap(r -> if(r = reason AND day >= d_to - 6, units, 0), reason_list)) AS u7
            FROM daily_returns
            WHERE day BETWEEN least(d_from, d_to - 6) AND d_to AND (day >= d_to - 6 OR day < m_from OR day >= m_end)
            GROUP BY sku
        )
        GROUP BY sku
    )
