-- One chunk of a navigator checkpoint's state, as raw text (RawBLOB: no escaping).
SELECT text
FROM navigator_checkpoint_chunks
WHERE taken_at = fromUnixTimestamp64Milli({takenAtMs:Int64}, 'UTC') AND chunk = {chunk:UInt32}
LIMIT 1
