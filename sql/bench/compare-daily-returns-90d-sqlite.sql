-- Returns per day over the last 90 days in SQLite.
SELECT date(occurred_at / 1000, 'unixepoch') AS day, count(*) AS lines, sum(qty) AS units FROM return_lines
WHERE occurred_at >= @since90 GROUP BY day ORDER BY day
