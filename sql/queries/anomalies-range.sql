-- Anomalies of any period [from, to], computed on request with the anomalies job's tests
-- (anomalies-detect.sql) but nothing stored:
--   above_category: the SKU's rate over [from, to] whose Wilson lower bound exceeds the
--                   rate of the rest of its category, with at least {minVolume} sold;
--   spike:          the rate of the 7 days ending on {to} whose Wilson lower bound
--                   exceeds the SKU's own rate over the 30 days before, and is at least
--                   {spikeFactor} times it ({minVolume7} sold in the week, {minVolume} before).
-- Read from the daily roll-ups (primary-key or by_day projection ranges), never raw events.
-- active says whether the SKU has an open episode of the same kind now.
WITH
    {z:Float64} AS z,
    {from:Date} AS d_from,
    {to:Date} AS d_to,
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    ),
    sales AS (
        SELECT sku, sumIf(units, day >= d_from) AS sold_range, sumIf(units, day >= d_to - 6) AS sold7,
               sumIf(units, day BETWEEN d_to - 36 AND d_to - 7) AS sold_base
        FROM daily_sales
        WHERE day BETWEEN least(d_from, d_to - 36) AND d_to
        GROUP BY sku
    ),
    returns_by_reason AS (
        SELECT sku, reason, sumIf(units, day >= d_from) AS u_range, sumIf(units, day >= d_to - 6) AS u7,
               sumIf(units, day BETWEEN d_to - 36 AND d_to - 7) AS u_base
        FROM daily_returns
        WHERE day BETWEEN least(d_from, d_to - 36) AND d_to
        GROUP BY sku, reason
    ),
    returns AS (
        SELECT sku, sum(u_range) AS ret_range, sum(u7) AS ret7, sum(u_base) AS ret_base,
               arraySlice(arrayReverseSort(r -> r.2, arrayFilter(r -> r.2 > 0, groupArray((reason, u_range)))), 1, 3) AS top_range,
               arraySlice(arrayReverseSort(r -> r.2, arrayFilter(r -> r.2 > 0, groupArray((reason, u7)))), 1, 3) AS top7
        FROM returns_by_reason
        GROUP BY sku
    ),
    per_sku AS (
        SELECT sku, if(c.category = '', 'uncategorised', c.category) AS category,
               sold_range, sold7, sold_base, ret_range, ret7, ret_base, top_range, top7,
               sum(sold_range) OVER (PARTITION BY category) AS cat_sold,
               sum(ret_range) OVER (PARTITION BY category) AS cat_ret
        FROM sales
        LEFT JOIN returns USING (sku)
        LEFT JOIN categories AS c USING (sku)
    ),
    candidates AS (
        SELECT sku, category, 'above_category' AS kind, 'range' AS win, sold_range AS n, ret_range AS x,
               (cat_ret - ret_range) / (cat_sold - sold_range) AS ref, 'rest_of_category' AS reference, top_range AS top
        FROM per_sku
        WHERE sold_range >= {minVolume:UInt64} AND cat_sold > sold_range
        UNION ALL
        SELECT sku, category, 'spike' AS kind, '7d' AS win, sold7 AS n, ret7 AS x,
               ret_base / sold_base AS ref, 'own_previous_30d' AS reference, top7 AS top
        FROM per_sku
        WHERE sold7 >= {minVolume7:UInt64} AND sold_base >= {minVolume:UInt64}
    ),
    scored AS (
        SELECT *, x / n AS p,
               (p + z * z / (2 * n) - z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS wilson_low,
               (p + z * z / (2 * n) + z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS wilson_high
        FROM candidates
    ),
    flagged AS (
        SELECT * FROM scored
        WHERE wilson_low > ref AND (kind = 'above_category' OR p >= {spikeFactor:Float64} * ref)
          AND ({kind:String} = '' OR kind = {kind:String})
          AND ({category:String} = '' OR category = {category:String})
          AND ({sku:String} = '' OR sku = {sku:String})
    ),
    open_episodes AS (
        SELECT sku, kind FROM anomalies FINAL WHERE active = 1
    )
SELECT
    concat(f.kind, ':', f.sku, ':', toString(d_from), ':', toString(d_to)) AS anomaly_id,
    f.sku AS sku, f.category AS category, f.kind AS kind, if(e.sku != '', 1, 0) AS active,
    toDateTime64(if(f.kind = 'spike', d_to - 6, d_from), 3, 'UTC') AS first_seen_at,
    toDateTime64(d_to, 3, 'UTC') AS last_seen_at,
    f.n AS units_sold, f.x AS units_returned, f.p AS rate, f.wilson_low AS wilson_low, f.wilson_high AS wilson_high,
    f.ref AS reference_rate,
    toJSONString(CAST(
        (f.win, f.n, f.x, f.p, f.wilson_low, f.wilson_high, f.reference, f.ref, z, f.top),
        'Tuple(window String, unitsSold UInt64, unitsReturned UInt64, rate Float64, wilsonLow Float64, wilsonHigh Float64, reference String, referenceRate Float64, z Float64, topReasons Array(Tuple(reason String, units UInt64)))'
    )) AS evidence,
    count() OVER () AS total
FROM flagged AS f
LEFT JOIN open_episodes AS e ON e.sku = f.sku AND e.kind = f.kind
ORDER BY f.p / greatest(f.ref, 1e-9) DESC, f.sku, f.kind
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
