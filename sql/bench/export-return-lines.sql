-- Part {part} of {parts} of the return lines, in the SQLite table's columns.
SELECT rma_id, toString(sku), qty, toString(reason), toUnixTimestamp64Milli(occurred_at) FROM return_lines
WHERE cityHash64(rma_id) % {parts:UInt32} = {part:UInt32}
