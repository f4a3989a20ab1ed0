-- Episodes first seen by the run at {asOf}: the ones to alert on.
SELECT anomaly_id, sku, category, kind, first_seen_at, units_sold, units_returned, rate, wilson_low, wilson_high,
       reference_rate, evidence
FROM anomalies FINAL
WHERE active = 1 AND first_seen_at = {asOf:DateTime64(3)}
ORDER BY anomaly_id
