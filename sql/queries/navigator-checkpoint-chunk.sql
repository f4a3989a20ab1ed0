-- One chunk of a navigator checkpoint's state, as raw text (read as TabSeparatedRaw: no escaping;
-- JSON text holds no raw tab or newline).
SELECT text
FROM navigator_checkpoint_chunks
WHERE taken_at = fromUnixTimestamp64Milli({takenAtMs:Int64}, 'UTC') AND chunk = {chunk:UInt32}
LIMIT 1
