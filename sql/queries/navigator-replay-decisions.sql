-- A full replay's decisions (server/navigator-service/restore.ts), oldest first, so the navigator
-- holds their reservations again: the visible ones (decisions-visible.sql) of the last
-- {days} days. A decision whose event was refused is stored but never acknowledged; it
-- must reserve nothing after a restart, as it showed nothing before.
WITH candidates AS (
    SELECT event_id FROM decisions
    WHERE decided_at >= now64(3) - INTERVAL {days:UInt32} DAY AND event_id != ''
)
SELECT {{include:decision-columns}}
FROM decisions FINAL
WHERE decided_at >= now64(3) - INTERVAL {days:UInt32} DAY
  AND {{include:decisions-visible}}
ORDER BY decided_at, decision_id
