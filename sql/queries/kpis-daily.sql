-- Returns over time for the chart: one row per day over [from, to].
SELECT day, sum(rmas) AS returns, sum(units_returned) AS units_returned, sum(units_sold) AS units_sold,
       if(units_sold > 0, units_returned / units_sold, 0) AS return_rate
FROM
(
    SELECT toDate(hour) AS day, rmas, units AS units_returned, 0 AS units_sold FROM hourly_returns
    WHERE hour >= toDateTime({from:Date}, 'UTC') AND hour < toDateTime({to:Date} + 1, 'UTC')
    UNION ALL
    SELECT toDate(hour) AS day, 0 AS rmas, 0 AS units_returned, units AS units_sold FROM hourly_sales
    WHERE hour >= toDateTime({from:Date}, 'UTC') AND hour < toDateTime({to:Date} + 1, 'UTC')
)
GROUP BY day
ORDER BY day WITH FILL FROM {from:Date} TO {to:Date} + 1
