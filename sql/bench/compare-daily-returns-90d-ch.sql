-- Returns per day over the last 90 days, from the hourly roll-up.
SELECT toString(toDate(hour)) AS day, sum(lines) AS lines, sum(units) AS units FROM hourly_returns
WHERE hour >= {since90:DateTime64(3)} GROUP BY day ORDER BY day
