-- The statuses of the returns [start, start + n): received, inspected, and (for 90 %)
-- refunded, hours after the request.
INSERT INTO return_status (event_id, rma_id, status, node_id, occurred_at)
SELECT concat('s', toString(number), '-', toString(k)), concat('R', toString(number)),
       ['received', 'inspected', 'refunded'][k], if(k < 3, concat('WH-', toString(cityHash64(number, 21) % 6)), ''),
       fromUnixTimestamp64Milli(toInt64({nowMs:Int64} - cityHash64(number, 14) % {span:UInt64})
           + toInt64(k * 3600000 * (12 + cityHash64(number, 22 + k) % 60)), 'UTC')
FROM numbers({start:UInt64}, {n:UInt64})
ARRAY JOIN arrayFilter(x -> x < 3 OR cityHash64(number, 25) % 10 != 0, [1, 2, 3]) AS k
