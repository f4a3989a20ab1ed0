-- Decisions stored after a navigator checkpoint's cut, oldest decision first, in the same
-- window as the full replay (server/navigator-service/restore.ts). The columns token stands for
-- DECISION_COLUMNS of server/store/decision-codec.ts.
SELECT {{decision_columns}} FROM decisions FINAL
WHERE (received_at > fromUnixTimestamp64Milli({cutMs:Int64}, 'UTC')
       OR (received_at = fromUnixTimestamp64Milli({cutMs:Int64}, 'UTC') AND decision_id NOT IN {cutIds:Array(String)}))
  AND decided_at >= now64(3) - INTERVAL {days:UInt32} DAY
ORDER BY decided_at, decision_id
