-- Orphaned decisions stored at or after the newest navigator checkpoint's cut (0: all of
-- them, when no checkpoint was ever stored): caused by an event (event_id set) that
-- raw_events does not hold, because its request was refused after the decisions were
-- written, or the process died between the two writes. A checkpoint is stored only once
-- every write it holds is durable (a refused one drops it), and never while a rollback is
-- pending (server/navigator-service/checkpoints.ts), so every orphan not rolled back yet
-- arrived at or after that cut. Any month of decided_at: the min-max index on
-- received_at (0106) skips what came before the cut.
WITH tail AS (
    SELECT event_id, decision_id, rma_id, tracking_token FROM decisions
    WHERE received_at >= fromUnixTimestamp64Milli({cutMs:Int64}, 'UTC') AND event_id != ''
)
SELECT DISTINCT event_id, decision_id, rma_id, tracking_token
FROM tail
WHERE event_id NOT IN (SELECT event_id FROM raw_events WHERE event_id IN (SELECT event_id FROM tail))
ORDER BY event_id, decision_id
