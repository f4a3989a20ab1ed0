-- The SKU list for an explicit day range [from, to], computed live from the daily
-- roll-ups (the same columns as skus.snapshot).
WITH
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    ),
    sold AS (
        SELECT sku, sum(units) AS units_sold FROM daily_sales
        WHERE day BETWEEN {from:Date} AND {to:Date} AND ({sku:String} = '' OR sku = {sku:String})
        GROUP BY sku
    ),
    returned AS (
        SELECT sku, sum(units) AS units_returned, sum(lines) AS return_lines,
               arraySlice(arrayReverseSort(r -> (r.2, r.1), groupArray((reason, units))), 1, 3) AS top_reasons
        FROM (
            SELECT sku, reason, sum(units) AS units, sum(lines) AS lines FROM daily_returns
            WHERE day BETWEEN {from:Date} AND {to:Date} AND ({sku:String} = '' OR sku = {sku:String})
            GROUP BY sku, reason
        )
        GROUP BY sku
    ),
    costs AS (
        SELECT sku, sum(net_cost) AS net_cost FROM sku_costs
        WHERE day BETWEEN {from:Date} AND {to:Date} AND ({sku:String} = '' OR sku = {sku:String})
        GROUP BY sku
    ),
    rates AS (
        SELECT sku, if(categories.category = '', 'uncategorised', categories.category) AS category,
               units_sold, units_returned, return_lines,
               if(units_sold > 0, units_returned / units_sold, 0) AS return_rate,
               CAST(top_reasons, 'Array(Tuple(reason String, units UInt64))') AS top_reasons,
               costs.net_cost AS net_cost
        FROM sold
        FULL OUTER JOIN returned USING (sku)
        LEFT JOIN costs USING (sku)
        LEFT JOIN categories USING (sku)
    ),
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
