-- Flags SKUs whose return rate is significantly high, and upserts one row per flagged
-- SKU and kind into anomalies (same anomaly_id while an episode lasts):
--   above_category: 30-day rate whose Wilson lower bound exceeds the rate of the rest
--                   of its category (the SKU itself excluded, so a big SKU cannot hide
--                   its own excess), with at least {minVolume} units sold;
--   spike:          7-day rate whose Wilson lower bound exceeds the SKU's own rate over
--                   the 30 days before, and is at least {spikeFactor} times it, with at
--                   least {minVolume7} units sold in the week and {minVolume} before.
-- z is the one-sided normal quantile of the test (3.09 ≈ p < 0.001: with thousands of
-- SKUs tested every few minutes a looser bound would flag noise).
INSERT INTO anomalies
WITH
    toDate({asOf:DateTime64(3)}) AS today,
    {z:Float64} AS z,
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    ),
    sales AS (
        SELECT sku, sumIf(units, day >= today - 29) AS sold30, sumIf(units, day >= today - 6) AS sold7,
               sumIf(units, day < today - 6) AS sold_base
        FROM daily_sales
        WHERE day BETWEEN today - 36 AND today
        GROUP BY sku
    ),
    returns_by_reason AS (
        SELECT sku, reason, sumIf(units, day >= today - 29) AS u30, sumIf(units, day >= today - 6) AS u7,
               sumIf(units, day < today - 6) AS u_base
        FROM daily_returns
        WHERE day BETWEEN today - 36 AND today
        GROUP BY sku, reason
    ),
    returns AS (
        SELECT sku, sum(u30) AS ret30, sum(u7) AS ret7, sum(u_base) AS ret_base,
               arraySlice(arrayReverseSort(r -> r.2, arrayFilter(r -> r.2 > 0, groupArray((reason, u30)))), 1, 3) AS top30,
               arraySlice(arrayReverseSort(r -> r.2, arrayFilter(r -> r.2 > 0, groupArray((reason, u7)))), 1, 3) AS top7
        FROM returns_by_reason
        GROUP BY sku
    ),
    per_sku AS (
        SELECT sku, if(c.category = '', 'uncategorised', c.category) AS category,
               sold30, sold7, sold_base, ret30, ret7, ret_base, top30, top7,
               sum(sold30) OVER (PARTITION BY category) AS cat_sold,
               sum(ret30) OVER (PARTITION BY category) AS cat_ret
        FROM sales
        LEFT JOIN returns USING (sku)
        LEFT JOIN categories AS c USING (sku)
    ),
    candidates AS (
        SELECT sku, category, 'above_category' AS kind, '30d' AS win, sold30 AS n, ret30 AS x,
               (cat_ret - ret30) / (cat_sold - sold30) AS ref, 'rest_of_category_30d' AS reference, top30 AS top
        FROM per_sku
        WHERE sold30 >= {minVolume:UInt64} AND cat_sold > sold30
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
    ),
    open_episodes AS (
        SELECT anomaly_id, sku, kind, first_seen_at FROM anomalies FINAL WHERE active = 1
    )
SELECT
    if(e.anomaly_id != '', e.anomaly_id, concat(f.kind, ':', f.sku, ':', toString(toUnixTimestamp64Milli({asOf:DateTime64(3)})))) AS anomaly_id,
    f.sku AS sku, f.category AS category, f.kind AS kind, 1 AS active,
    if(e.anomaly_id != '', e.first_seen_at, {asOf:DateTime64(3)}) AS first_seen_at,
    {asOf:DateTime64(3)} AS last_seen_at,
    {asOf:DateTime64(3)} AS updated_at,
    f.n AS units_sold, f.x AS units_returned, f.p AS rate, f.wilson_low AS wilson_low, f.wilson_high AS wilson_high,
    f.ref AS reference_rate,
    toJSONString(CAST(
        (f.win, f.n, f.x, f.p, f.wilson_low, f.wilson_high, f.reference, f.ref, z, f.top),
        'Tuple(window String, unitsSold UInt64, unitsReturned UInt64, rate Float64, wilsonLow Float64, wilsonHigh Float64, reference String, referenceRate Float64, z Float64, topReasons Array(Tuple(reason String, units UInt64)))'
    )) AS evidence
FROM flagged AS f
LEFT JOIN open_episodes AS e ON e.sku = f.sku AND e.kind = f.kind
