-- Anomalies of any period [from, to], computed on request with the anomalies job's tests
-- (anomalies-flagged.sql) but nothing stored: above its category over [from, to], or a
-- spike in the 7 days ending on {to} against the 30 before. active says whether the SKU
-- has an open episode of the same kind now. The evidence's top reasons are left empty
-- and filled in for the page's rows by anomalies-range-reasons.sql.
WITH
    {from:Date} AS d_from,
    {to:Date} AS d_to,
    'range' AS range_window,
    'rest_of_category' AS range_reference,
    -- No reasons here: the evidence's topReasons are empty, and the page's are read
    -- after it (anomalies-range-reasons.sql, server/store/analytics/anomalies.ts).
    0 AS reason_sku,
{{include:anomalies-sums}},
{{include:anomalies-flagged}},
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
