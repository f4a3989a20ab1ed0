-- A full replay's events (server/navigator-service/restore.ts), in the order they are applied:
-- catalog and inventory from all time (they are state, not history), the events of
-- returns and orders of the last {days} days (older returns are closed in practice).
SELECT payload FROM raw_events
WHERE type IN ('catalog.upsert', 'inventory.snapshot', 'inventory.adjusted')
   OR (type IN ('order.placed', 'return.requested', 'return.status', 'return.inspected', 'return.offer_answered')
       AND occurred_at >= now64(3) - INTERVAL {days:UInt32} DAY)
ORDER BY occurred_at, received_at, event_id
