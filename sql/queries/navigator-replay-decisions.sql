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
-- FINAL deduplicates within each month of decided_at only: every version of a decision
-- has the same decided_at (the request's own time, server/navigator-service/service.ts
-- decisionTime), so none has a twin in another month. Merging across months would stop
-- the store from skipping the months outside the window (seconds at 10 M decisions).
SETTINGS do_not_merge_across_partitions_select_final = 1
