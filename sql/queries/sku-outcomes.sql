-- Resolution × disposition of the latest decision per return line of one SKU, with the
-- money, for lines first decided in [from, to].
SELECT tupleElement(latest, 1) AS resolution, tupleElement(latest, 2) AS disposition, count() AS lines,
       sum(tupleElement(latest, 3)) AS net_cost, sum(tupleElement(latest, 4)) AS recovery,
       sum(tupleElement(latest, 5)) AS baseline_net_cost, sum(tupleElement(latest, 6)) AS logistics,
       sum(tupleElement(latest, 7)) AS handling, sum(tupleElement(latest, 8)) AS refunds, sum(tupleElement(latest, 9)) AS repair
FROM
(
    SELECT rma_id, line_index, toDate(min(decided_at)) AS day,
           argMax((resolution, disposition, net_cost, recovery, baseline_net_cost, logistics, handling, refunds, repair),
                  (decided_at, decision_id)) AS latest
    FROM decision_facts
    WHERE sku = {sku:String}
    GROUP BY rma_id, line_index
)
WHERE day BETWEEN {from:Date} AND {to:Date}
GROUP BY resolution, disposition
ORDER BY lines DESC, resolution, disposition
