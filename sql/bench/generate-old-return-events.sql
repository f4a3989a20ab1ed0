-- Returns [start, start + n) requested between {olderThanDays} days and two years before
-- {nowMs}, as a producer sends them (return.requested in raw_events, received a minute
-- after they occurred, so the store's views derive their lines as in production): the
-- history a restart has to pass over. Older than the navigator's replay window, and
-- stored before any checkpoint's cut.
INSERT INTO raw_events (event_id, type, occurred_at, received_at, payload)
SELECT event_id, 'return.requested', occurred_at, occurred_at + INTERVAL 1 MINUTE,
       concat('{"eventId":"', event_id, '","type":"return.requested","occurredAt":"', formatDateTime(occurred_at, '%Y-%m-%dT%H:%i:%S.000Z', 'UTC'),
              '","rmaId":"OLD-', toString(number), '","orderId":"OLD-O-', toString(number),
              '","customer":{"id":"C-', toString(cityHash64(number, 41) % 100000), '","lat":31.2,"lon":121.5,"trusted":true},"channel":"web",',
              '"lines":[{"lineId":"l1","sku":"SKU-', toString(cityHash64(number, 42) % 20000), '","qty":1,"unitPrice":', toString(10 + cityHash64(number, 43) % 2000),
              ',"reason":"', ['size_too_small','size_too_large','defective','damaged_in_transit','wrong_item','not_as_described','changed_mind','late_delivery','better_price','other'][1 + cityHash64(number, 44) % 10],
              '","condition":"used","wants":"refund"}]}') AS payload
FROM (
    SELECT number, concat('old-', toString(number)) AS event_id,
           fromUnixTimestamp64Milli(toInt64({nowMs:Int64} - {olderThanDays:UInt32} * 86400000 - cityHash64(number, 40) % (730 * 86400000)), 'UTC') AS occurred_at
    FROM numbers({start:UInt64}, {n:UInt64})
)
