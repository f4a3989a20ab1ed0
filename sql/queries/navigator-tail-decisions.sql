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
