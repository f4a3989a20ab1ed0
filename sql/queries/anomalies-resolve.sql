-- Closes the episodes this run did not flag again (their last_seen_at is older than the
-- run): a newer row with active = 0 replaces them.
INSERT INTO anomalies
SELECT anomaly_id, sku, category, kind, 0 AS active, first_seen_at, last_seen_at, {asOf:DateTime64(3)} AS updated_at,
       units_sold, units_returned, rate, wilson_low, wilson_high, reference_rate, evidence
FROM anomalies FINAL
WHERE active = 1 AND last_seen_at < {asOf:DateTime64(3)}
