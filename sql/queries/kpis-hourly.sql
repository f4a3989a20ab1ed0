-- The last 24 hours, one row per hour (empty hours filled with zeros).
SELECT hour, sum(rmas) AS returns, sum(units_returned) AS units_returned, sum(units_sold) AS units_sold
FROM
(
    SELECT hour, rmas, units AS units_returned, 0 AS units_sold FROM hourly_returns
    WHERE hour >= toStartOfHour({asOf:DateTime64(3)}) - INTERVAL 23 HOUR
    UNION ALL
    SELECT hour, 0 AS rmas, 0 AS units_returned, units AS units_sold FROM hourly_sales
    WHERE hour >= toStartOfHour({asOf:DateTime64(3)}) - INTERVAL 23 HOUR
)
GROUP BY hour
ORDER BY hour WITH FILL
    FROM toStartOfHour(toDateTime({asOf:DateTime64(3)}, 'UTC')) - INTERVAL 23 HOUR
    TO toStartOfHour(toDateTime({asOf:DateTime64(3)}, 'UTC')) + INTERVAL 1 HOUR
    STEP INTERVAL 1 HOUR
