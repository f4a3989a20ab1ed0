-- Anomaly episodes in their current state, newest first.
SELECT anomaly_id, sku, category, kind, active, first_seen_at, last_seen_at, units_sold, units_returned, rate,
       wilson_low, wilson_high, reference_rate, evidence, count() OVER () AS total
FROM anomalies FINAL
WHERE ({state:String} = 'all' OR active = ({state:String} = 'active'))
  AND ({kind:String} = '' OR kind = {kind:String})
  AND ({category:String} = '' OR category = {category:String})
  AND ({sku:String} = '' OR sku = {sku:String})
ORDER BY active DESC, first_seen_at DESC, anomaly_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
