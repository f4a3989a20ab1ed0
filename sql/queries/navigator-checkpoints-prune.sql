-- Drops checkpoints older than the newest {keep} (kept: a fallback if the newest cannot be read).
DELETE FROM navigator_checkpoints
WHERE taken_at < (SELECT min(taken_at) FROM (SELECT taken_at FROM navigator_checkpoints ORDER BY taken_at DESC LIMIT {keep:UInt32}))
