-- The request of one return: ids from the narrow index returns_by_rma, the payload by
-- raw_events' primary key (server/store/returns-repo.ts).
SELECT payload FROM raw_events
WHERE event_id IN (SELECT event_id FROM returns_by_rma WHERE rma_id = {rma:String})
ORDER BY occurred_at
LIMIT 1
