-- The anomaly tests, shared by the job (anomalies-detect.sql) and the reads of a period
-- (anomalies-range.sql). The includer's WITH names the period and its sums before this
-- fragment and carries on after it (a comma, then its own CTEs and SELECT):
--   d_from, d_to:     the days [d_from, d_to] the above-category test covers; the spike
--                     test compares the 7 days ending on d_to with the 30 before them;
--   range_window, range_reference: the evidence's labels of the above-category test;
--   sums, reasons:    the per-SKU units of those windows and their reasons
--                     (anomalies-sums.sql).
-- flagged: one row per SKU and kind, with its evidence (the JSON the API shows):
--   above_category: the rate over [d_from, d_to] whose Wilson lower bound exceeds the
--                   rate of the rest of its category (the SKU itself excluded, so a big
--                   SKU cannot hide its own excess), with at least {minVolume} sold;
--   spike:          the 7-day rate whose Wilson lower bound exceeds the SKU's own rate
--                   over the 30 days before, and is at least {spikeFactor} times it,
--                   with at least {minVolume7} sold in the week and {minVolume} before.
-- z is the one-sided normal quantile of the test (3.09 ≈ p < 0.001: with thousands of
-- SKUs tested every few minutes a looser bound would flag noise).
    {z:Float64} AS z,
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    ),
    per_sku AS (
        SELECT sku, if(c.category = '', 'uncategorised', c.category) AS category,
               sold_range, sold7, sold_base, ret_range, ret7, ret_base,
               sum(sold_range) OVER (PARTITION BY category) AS cat_sold,
               sum(ret_range) OVER (PARTITION BY category) AS cat_ret
        FROM sums
        LEFT JOIN categories AS c USING (sku)
    ),
    candidates AS (
        SELECT sku, category, kind,
               if(kind = 'above_category', range_window, '7d') AS win,
               if(kind = 'above_category', sold_range, sold7) AS n,
               if(kind = 'above_category', ret_range, ret7) AS x,
               if(kind = 'above_category', (cat_ret - ret_range) / (cat_sold - sold_range), ret_base / sold_base) AS ref,
               if(kind = 'above_category', range_reference, 'own_previous_30d') AS reference
        FROM per_sku
        ARRAY JOIN ['above_category', 'spike'] AS kind
        WHERE if(kind = 'above_category', sold_range >= {minVolume:UInt64} AND cat_sold > sold_range,
                 sold7 >= {minVolume7:UInt64} AND sold_base >= {minVolume:UInt64})
    ),
    scored AS (
        SELECT *, x / n AS p,
               (p + z * z / (2 * n) - z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS wilson_low,
               (p + z * z / (2 * n) + z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS wilson_high
        FROM candidates
    ),
    -- The top reasons of the few flagged rows only: sorting every SKU's reasons took
    -- longer than the tests.
    flagged AS (
        SELECT s.*,
               if(s.kind = 'above_category', r.reasons_range, r.reasons7) AS reason_units,
               arraySlice(arrayReverseSort(t -> (t.2, t.1), arrayFilter(t -> t.2 > 0,
                   arrayMap((name, i) -> (name, reason_units[i]), reason_list, arrayEnumerate(reason_list)))), 1, 3) AS top,
               toJSONString(CAST(
                   (s.win, s.n, s.x, s.p, s.wilson_low, s.wilson_high, s.reference, s.ref, z, top),
                   'Tuple(window String, unitsSold UInt64, unitsReturned UInt64, rate Float64, wilsonLow Float64, wilsonHigh Float64, reference String, referenceRate Float64, z Float64, topReasons Array(Tuple(reason String, units UInt64)))'
               )) AS evidence
        FROM (
            SELECT * FROM scored
            WHERE wilson_low > ref AND (kind = 'above_category' OR p >= {spikeFactor:Float64} * ref)
        ) AS s
        LEFT JOIN reasons AS r ON r.sku = s.sku
    )
