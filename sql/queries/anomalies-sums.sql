-- The per-SKU sums the anomaly tests judge (anomalies-flagged.sql), for the includer's
-- d_from and d_to. One row per SKU that sold in [least(d_from, d_to - 36), d_to]:
--   sold_range, ret_range, top_range: units over [d_from, d_to], its top 3 reasons;
--   sold7, ret7, top7:                units over the 7 days ending on d_to;
--   sold_base, ret_base:              units over the 30 days before those 7.
-- The whole months of [d_from, d_to] come from sku_months, its other days and the 37
-- days of the spike test from the daily roll-ups (period-months.sql), in one pass. A
-- daily row can count towards the spike windows and also lie in a whole month read from
-- sku_months; it then adds nothing to the period's sums (its `_range` terms are 0), only
-- to the "sold in the window" test, which counts rows and so is not affected.
-- Top reasons leave out reasons with no units and break ties by name (descending), as
-- the SKU list does.
{{include:period-months}},
    sums AS (
        SELECT sku,
               sum(s_range) AS sold_range, sum(s7) AS sold7, sum(s_base) AS sold_base,
               sum(r_range) AS ret_range, sum(r7) AS ret7, sum(r_base) AS ret_base,
               sumMap(m_range) AS reasons_range, sumMap(m7) AS reasons7,
               arraySlice(arrayReverseSort(r -> (r.2, r.1), arrayFilter(r -> r.2 > 0, arrayZip(mapKeys(reasons_range), mapValues(reasons_range)))), 1, 3) AS top_range,
               arraySlice(arrayReverseSort(r -> (r.2, r.1), arrayFilter(r -> r.2 > 0, arrayZip(mapKeys(reasons7), mapValues(reasons7)))), 1, 3) AS top7
        FROM (
            SELECT sku, sale_lines AS sale_rows, units_sold AS s_range, 0 AS s7, 0 AS s_base,
                   units_returned AS r_range, 0 AS r7, 0 AS r_base,
                   reason_units AS m_range, CAST(map(), 'Map(String, UInt64)') AS m7
            FROM sku_months
            WHERE month >= m_from AND month < m_end
            UNION ALL
            SELECT sku, lines AS sale_rows, if(day >= d_from AND (day < m_from OR day >= m_end), units, 0) AS s_range,
                   if(day >= d_to - 6, units, 0) AS s7, if(day BETWEEN d_to - 36 AND d_to - 7, units, 0) AS s_base,
                   0 AS r_range, 0 AS r7, 0 AS r_base,
                   CAST(map(), 'Map(String, UInt64)') AS m_range, CAST(map(), 'Map(String, UInt64)') AS m7
            FROM daily_sales
            WHERE day BETWEEN least(d_from, d_to - 36) AND d_to AND (day >= d_to - 36 OR day < m_from OR day >= m_end)
            UNION ALL
            SELECT sku, 0 AS sale_rows, 0 AS s_range, 0 AS s7, 0 AS s_base,
                   if(day >= d_from AND (day < m_from OR day >= m_end), units, 0) AS r_range,
                   if(day >= d_to - 6, units, 0) AS r7, if(day BETWEEN d_to - 36 AND d_to - 7, units, 0) AS r_base,
                   map(toString(reason), r_range) AS m_range, map(toString(reason), r7) AS m7
            FROM daily_returns
            WHERE day BETWEEN least(d_from, d_to - 36) AND d_to AND (day >= d_to - 36 OR day < m_from OR day >= m_end)
        )
        GROUP BY sku
        HAVING sum(sale_rows) > 0
    )
