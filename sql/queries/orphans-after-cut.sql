-- Orphaned decisions stored at or after a navigator checkpoint's cut: caused by an event
-- (event_id set) that raw_events does not hold, because its request was refused after
-- the decisions were written, or the process died between the two writes. Every
-- decision in flight when a checkpoint was cut arrived at or after it, and no checkpoint
-- is stored while a rollback is pending (server/navigator-service/checkpoints.ts), so
-- the tail holds every orphan not rolled back yet. Any month of decided_at: the min-max
-- index on received_at (0106) skips what came before the cut.
WITH tail AS (
    SELECT event_id, decision_id, rma_id, tracking_token FROM decisions
    WHERE received_at >= fromUnixTimestamp64Milli({cutMs:Int64}, 'UTC') AND event_id != ''
)
SELECT DISTINCT event_id, decision_id, rma_id, tracking_token
FROM tail
WHERE event_id NOT IN (SELECT event_id FROM raw_events WHERE event_id IN (SELECT event_id FROM tail))
ORDER BY event_id, decision_id
