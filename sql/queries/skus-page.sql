-- The shared end of the SKU list queries (skus-snapshot.sql, skus-range.sql): each of
-- those defines the `rates` CTE and ends with a comma; this adds the SKU's open anomaly
-- episode, the filters, the sort and the page.
    open_anomalies AS (
        SELECT sku, argMax((anomaly_id, kind, rate, reference_rate, first_seen_at), first_seen_at) AS episode
        FROM anomalies FINAL
        WHERE active = 1
        GROUP BY sku
    )
SELECT
    r.sku AS sku, r.category AS category, r.units_sold AS units_sold, r.units_returned AS units_returned,
    r.return_lines AS return_lines, r.return_rate AS return_rate, r.top_reasons AS top_reasons, r.net_cost AS net_cost,
    o.sku != '' AS has_anomaly,
    tupleElement(o.episode, 1) AS anomaly_id, tupleElement(o.episode, 2) AS anomaly_kind,
    tupleElement(o.episode, 4) AS anomaly_reference_rate, tupleElement(o.episode, 5) AS anomaly_since,
    count() OVER () AS total
FROM rates AS r
LEFT JOIN open_anomalies AS o ON o.sku = r.sku
WHERE ({category:String} = '' OR r.category = {category:String})
  AND ({sku:String} = '' OR r.sku = {sku:String})
  AND r.units_sold >= {minVolume:UInt64}
ORDER BY if({desc:Bool}, -toFloat64({sort:Identifier}), toFloat64({sort:Identifier})), return_rate DESC, sku
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
