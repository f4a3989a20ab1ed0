-- The reference the anomalies of a period are tested and benched against: the query
-- sql/queries/anomalies-range.sql was before sku_months (migration 0080), with the
-- anomaly tests it included then (anomalies-flagged.sql) written out: every day of the
-- period and of the spike windows summed from the daily roll-ups. One difference: ties
-- among the top reasons are broken by name here as in the product (the order among ties
-- was unspecified).
WITH
    {from:Date} AS d_from,
    {to:Date} AS d_to,
    'range' AS range_window,
    'rest_of_category' AS range_reference,
{z:Float64} AS z,
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
               arraySlice(arrayReverseSort(r -> (r.2, r.1), arrayFilter(r -> r.2 > 0, groupArray((reason, u_range)))), 1, 3) AS top_range,
               arraySlice(arrayReverseSort(r -> (r.2, r.1), arrayFilter(r -> r.2 > 0, groupArray((reason, u7)))), 1, 3) AS top7
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
        SELECT sku, category, 'above_category' AS kind, range_window AS win, sold_range AS n, ret_range AS x,
               (cat_ret - ret_range) / (cat_sold - sold_range) AS ref, range_reference AS reference, top_range AS top
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
        SELECT *,
               toJSONString(CAST(
                   (win, n, x, p, wilson_low, wilson_high, reference, ref, z, top),
                   'Tuple(window String, unitsSold UInt64, unitsReturned UInt64, rate Float64, wilsonLow Float64, wilsonHigh Float64, reference String, referenceRate Float64, z Float64, topReasons Array(Tuple(reason String, units UInt64)))'
               )) AS evidence
        FROM scored
        WHERE wilson_low > ref AND (kind = 'above_category' OR p >= {spikeFactor:Float64} * ref)
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
    f.evidence AS evidence,
    count() OVER () AS total
FROM flagged AS f
LEFT JOIN open_episodes AS e ON e.sku = f.sku AND e.kind = f.kind
WHERE ({kind:String} = '' OR f.kind = {kind:String})
  AND ({category:String} = '' OR f.category = {category:String})
  AND ({sku:String} = '' OR f.sku = {sku:String})
ORDER BY f.p / greatest(f.ref, 1e-9) DESC, f.sku, f.kind
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
