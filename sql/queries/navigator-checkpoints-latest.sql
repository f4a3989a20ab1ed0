-- The newest navigator checkpoints, newest first (the loader takes the first it can read).
SELECT
    toUnixTimestamp64Milli(taken_at) AS taken_at_ms,
    format,
    network,
    toUnixTimestamp64Milli(cut_received_at) AS cut_received_at_ms,
    cut_event_ids,
    cut_decision_ids,
    state
FROM navigator_checkpoints
ORDER BY taken_at DESC
LIMIT {limit:UInt32}
