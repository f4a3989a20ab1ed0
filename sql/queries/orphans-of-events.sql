-- The decisions {events} caused, stored at or after {sinceMs} (their request's arrival):
-- what a rollback of those events removes. The min-max index on received_at (0106)
-- keeps this to the recent parts.
SELECT DISTINCT event_id, decision_id, rma_id, tracking_token FROM decisions
WHERE received_at >= fromUnixTimestamp64Milli({sinceMs:Int64}, 'UTC') AND event_id IN {events:Array(String)}
