-- Ten order lines per return of [start, start + n), over the {span} ms before {nowMs}.
-- Popular SKUs sell more: index = skus × u², u uniform.
INSERT INTO order_lines
SELECT concat('o', toString(number)), concat('o', toString(intDiv(number, 3))), concat('c', toString(number % 500000)), 'eu',
       toUInt16(number % 3), concat('SKU-', toString(toUInt32({skus:UInt32} * pow((cityHash64(number, 1) % 1000000) / 1000000, 2)))),
       toUInt32(1 + cityHash64(number, 2) % 2), 10 + (cityHash64(number, 3) % 20000) / 100,
       fromUnixTimestamp64Milli(toInt64({nowMs:Int64} - cityHash64(number, 4) % {span:UInt64}), 'UTC')
FROM numbers({start:UInt64} * 10, {n:UInt64} * 10)
