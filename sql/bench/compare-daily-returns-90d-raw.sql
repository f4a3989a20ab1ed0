-- Returns per day over the last 90 days from ClickHouse's line table.
SELECT toString(toDate(occurred_at)) AS day, count() AS lines, sum(qty) AS units FROM return_lines
WHERE occurred_at >= {since90:DateTime64(3)} GROUP BY day ORDER BY day
