-- Rebuilds cost_daily_next: money of the latest decision per return line, by the day
-- of the line's first decision, category, resolution and disposition.
-- (The tuple is unpacked in the outer query: an inner alias named like a column would
-- shadow the column inside argMax.)
INSERT INTO cost_daily_next
SELECT
    day,
    tupleElement(latest, 1) AS category, tupleElement(latest, 2) AS resolution, tupleElement(latest, 3) AS disposition,
    count() AS returns,
    sum(tupleElement(latest, 4)) AS net_cost, sum(tupleElement(latest, 5)) AS recovery,
    sum(tupleElement(latest, 6)) AS baseline_net_cost, sum(tupleElement(latest, 7)) AS logistics,
    sum(tupleElement(latest, 8)) AS handling, sum(tupleElement(latest, 9)) AS refunds,
    sum(tupleElement(latest, 10)) AS repair, sum(tupleElement(latest, 11)) AS wait_hours,
    sum(tupleElement(latest, 12)) AS baseline_wait_hours,
    {asOf:DateTime64(3)} AS computed_at
FROM
(
    SELECT
        rma_id, line_index,
        toDate(min(decided_at)) AS day,
        argMax(
            (category, resolution, disposition, net_cost, recovery, baseline_net_cost,
             logistics, handling, refunds, repair, wait_hours, baseline_wait_hours),
            (decided_at, decision_id)) AS latest
    FROM decision_facts
    WHERE decided_at <= {asOf:DateTime64(3)}
    GROUP BY rma_id, line_index
)
GROUP BY day, category, resolution, disposition
