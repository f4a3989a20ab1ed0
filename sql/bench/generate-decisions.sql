-- One decision per return line of [start, start + n); a fifth are re-decided after
-- inspection (newer decided_at, naming the first in supersedes).
INSERT INTO decisions (decision_id, rma_id, line_index, sku, category, reason, supersedes, trigger, decided_at, resolution, inbound_mode,
           receiving_node_id, disposition, net_cost, recovery, wait_hours, baseline_net_cost, baseline_wait_hours, payload)
SELECT concat('D', toString(number), '-', toString(k)), concat('R', toString(number)), 0,
       concat('SKU-', toString(toUInt32({skus:UInt32} * pow((cityHash64(number, 11) % 1000000) / 1000000, 2)))),
       ['apparel','footwear','electronics','home','beauty'][1 + cityHash64(number, 31) % 5],
       ['size_too_small','size_too_large','defective','damaged_in_transit','wrong_item','not_as_described','changed_mind','late_delivery','better_price','other'][1 + cityHash64(number, 13) % 10],
       if(k = 0, '', concat('D', toString(number), '-0')), if(k = 0, 'requested', 'inspected'),
       fromUnixTimestamp64Milli(toInt64({nowMs:Int64} - cityHash64(number, 14) % {span:UInt64} + 60000 + k * 86400000), 'UTC'),
       ['refund','exchange','repair','store_credit','keep_it'][1 + cityHash64(number, 32 + k) % 5], 'drop_off',
       concat('WH-', toString(cityHash64(number, 21) % 6)),
       ['restock_new','open_box_refurbish','outlet_promotion','return_to_vendor','liquidate','recycle'][1 + cityHash64(number, 34 + k) % 6],
       net, 5 + (cityHash64(number, 36) % 4000) / 100, 24 + cityHash64(number, 37) % 100, net * 1.25, 120,
       concat('{"breakdown":{"logistics":', toString(round(net * 0.3, 2)), ',"handling":', toString(round(net * 0.2, 2)), ',"refund":', toString(round(net * 0.5, 2)), '}}')
FROM (SELECT number, k, 5 + (cityHash64(number, 35 + k) % 6000) / 100 AS net
      FROM numbers({start:UInt64}, {n:UInt64}) ARRAY JOIN arrayFilter(x -> x = 0 OR cityHash64(number, 38) % 5 = 0, [0, 1]) AS k)
