-- The ids of the newest {limit} acknowledged events, newest first (loaded into memory).
SELECT event_id FROM raw_events ORDER BY received_at DESC LIMIT {limit:UInt32}
