-- Rebuilds flows_next: reason → resolution → disposition of the latest decision per
-- return line, per rolling window of the line's first-decision day.
INSERT INTO flows_next
WITH
    toDate({asOf:DateTime64(3)}) AS today,
    ['7d', '30d', '90d', 'all'] AS win_names,
    [today - 6, today - 29, today - 89, toDate('1970-01-01')] AS win_starts
SELECT win, tupleElement(latest, 1) AS reason, tupleElement(latest, 2) AS resolution, tupleElement(latest, 3) AS disposition,
       count() AS lines, sum(tupleElement(latest, 4)) AS net_cost, {asOf:DateTime64(3)} AS computed_at
FROM
(
    SELECT rma_id, line_index, toDate(min(decided_at)) AS day,
           argMax((reason, resolution, disposition, net_cost), (decided_at, decision_id)) AS latest
    FROM decision_facts
    WHERE decided_at <= {asOf:DateTime64(3)}
    GROUP BY rma_id, line_index
)
ARRAY JOIN arrayFilter((w, s) -> day >= s, win_names, win_starts) AS win
GROUP BY win, reason, resolution, disposition
