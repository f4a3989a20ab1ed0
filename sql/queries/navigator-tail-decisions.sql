-- Decisions stored after a navigator checkpoint's cut, oldest decision first, in the same
-- window and under the same visibility rule (decisions-visible.sql) as the full replay
-- (navigator-replay-decisions.sql, server/navigator-service/restore.ts).
WITH tail AS (
    SELECT {{include:decision-columns}}, event_id FROM decisions FINAL
    WHERE (received_at > fromUnixTimestamp64Milli({cutMs:Int64}, 'UTC')
           OR (received_at = fromUnixTimestamp64Milli({cutMs:Int64}, 'UTC') AND decision_id NOT IN {cutIds:Array(String)}))
      AND decided_at >= now64(3) - INTERVAL {days:UInt32} DAY
),
candidates AS (SELECT event_id FROM tail WHERE event_id != '')
SELECT {{include:decision-columns}}
FROM tail
WHERE {{include:decisions-visible}}
ORDER BY decided_at, decision_id
-- FINAL deduplicates within each month of decided_at only: every version of a decision
-- has the same decided_at (the request's own time, server/navigator-service/service.ts
-- decisionTime), so none has a twin in another month. Merging across months would stop
-- the store from skipping the months outside the window (seconds at 10 M decisions).
SETTINGS do_not_merge_across_partitions_select_final = 1
