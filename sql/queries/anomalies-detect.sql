-- Flags SKUs whose return rate is significantly high (the tests of anomalies-flagged.sql
-- over the 30 days ending on the day of {asOf}), and upserts one row per flagged SKU and
-- kind into anomalies (same anomaly_id while an episode lasts).
INSERT INTO anomalies
WITH
    toDate({asOf:DateTime64(3)}) AS d_to,
    d_to - 29 AS d_from,
    '30d' AS range_window,
    'rest_of_category_30d' AS range_reference,
    1 AS reason_sku,
{{include:anomalies-sums}},
{{include:anomalies-flagged}},
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
    f.evidence AS evidence
FROM flagged AS f
LEFT JOIN open_episodes AS e ON e.sku = f.sku AND e.kind = f.kind
