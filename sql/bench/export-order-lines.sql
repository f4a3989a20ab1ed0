-- Part {part} of {parts} of the order lines, in the SQLite table's columns.
SELECT toString(sku), qty, unit_price, toUnixTimestamp64Milli(occurred_at) FROM order_lines
WHERE cityHash64(event_id) % {parts:UInt32} = {part:UInt32}
