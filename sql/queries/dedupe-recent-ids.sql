-- The ids of the newest {limit} events acknowledged in the last {days} days, newest first
-- (loaded into memory on start). A producer's retry comes within minutes or hours; an
-- older id is still found, by a lookup in the store (dedupe-stored-ids.sql). The window
-- lets the store read only the newest months (raw_events is partitioned by arrival
-- month) instead of sorting every event it holds by arrival.
SELECT event_id FROM raw_events
WHERE received_at >= now64(3) - INTERVAL {days:UInt32} DAY
ORDER BY received_at DESC
LIMIT {limit:UInt32}
