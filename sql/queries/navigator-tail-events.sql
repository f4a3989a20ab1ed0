-- Events stored after a navigator checkpoint's cut, in the order a full replay applies
-- them, with the same types and window as the full replay (server/navigator-service/restore.ts).
SELECT payload FROM raw_events
WHERE (received_at > fromUnixTimestamp64Milli({cutMs:Int64}, 'UTC')
       OR (received_at = fromUnixTimestamp64Milli({cutMs:Int64}, 'UTC') AND event_id NOT IN {cutIds:Array(String)}))
  AND (type IN ('catalog.upsert', 'inventory.snapshot', 'inventory.adjusted')
       OR (type IN ('order.placed', 'return.requested', 'return.status', 'return.inspected', 'return.offer_answered')
           AND occurred_at >= now64(3) - INTERVAL {days:UInt32} DAY))
ORDER BY occurred_at, received_at, event_id
