-- The newest {limit} return requests, oldest first (the what-if preview): ids from the
-- narrow index returns_by_rma, payloads by raw_events' primary key.
SELECT payload FROM raw_events
WHERE event_id IN (SELECT event_id FROM returns_by_rma ORDER BY occurred_at DESC LIMIT {limit:UInt32})
ORDER BY occurred_at
