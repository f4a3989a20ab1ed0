-- Turnaround per stage over request days [from, to], without the per-warehouse and
-- per-resolution breakdowns: what the KPIs show. Merging t-digest states is most of a
-- turnaround read, and turnaround-read.sql merges every state three times.
SELECT t.stage AS stage, sum(t.n) AS n, sum(t.sum_hours) / sum(t.n) AS avg_hours, quantilesTDigestMerge(0.5, 0.9, 0.99)(t.hours_q) AS q
FROM turnaround_daily AS t
WHERE t.day BETWEEN {from:Date} AND {to:Date}
GROUP BY stage
