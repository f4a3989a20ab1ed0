-- The requests of several returns (as return-request.sql for one): ids from the narrow
-- index returns_by_rma, payloads by raw_events' primary key. A return requested twice
-- (a producer's re-send with a new event id) comes twice; the caller keeps the first.
SELECT payload FROM raw_events
WHERE event_id IN (SELECT event_id FROM returns_by_rma WHERE rma_id IN {rmas:Array(String)})
ORDER BY occurred_at
