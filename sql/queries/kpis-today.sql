-- Today's counts (UTC day of {asOf}) from the hourly roll-ups, which the materialised
-- views keep current with every insert: no job lag.
SELECT
    (SELECT sum(rmas) FROM hourly_returns WHERE hour >= toStartOfDay({asOf:DateTime64(3)})) AS returns,
    (SELECT sum(lines) FROM hourly_returns WHERE hour >= toStartOfDay({asOf:DateTime64(3)})) AS return_lines,
    (SELECT sum(units) FROM hourly_returns WHERE hour >= toStartOfDay({asOf:DateTime64(3)})) AS units_returned,
    (SELECT sum(value) FROM hourly_returns WHERE hour >= toStartOfDay({asOf:DateTime64(3)})) AS returned_value,
    (SELECT sum(lines) FROM hourly_sales WHERE hour >= toStartOfDay({asOf:DateTime64(3)})) AS order_lines,
    (SELECT sum(units) FROM hourly_sales WHERE hour >= toStartOfDay({asOf:DateTime64(3)})) AS units_sold
