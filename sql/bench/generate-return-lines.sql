-- The returns [start, start + n), one line each, over the {span} ms before {nowMs}.
INSERT INTO return_lines (event_id, rma_id, order_id, customer_id, channel, line_index, sku, qty, unit_price, reason, condition, wants, occurred_at)
SELECT concat('r', toString(number)), concat('R', toString(number)), concat('o', toString(number)), 'c',
       'web', 0, concat('SKU-', toString(toUInt32({skus:UInt32} * pow((cityHash64(number, 11) % 1000000) / 1000000, 2)))), 1,
       10 + (cityHash64(number, 12) % 20000) / 100,
       ['size_too_small','size_too_large','defective','damaged_in_transit','wrong_item','not_as_described','changed_mind','late_delivery','better_price','other'][1 + cityHash64(number, 13) % 10],
       'used', 'refund',
       fromUnixTimestamp64Milli(toInt64({nowMs:Int64} - cityHash64(number, 14) % {span:UInt64}), 'UTC')
FROM numbers({start:UInt64}, {n:UInt64})
