-- The SKU list and the anomalies of a long period (a year, all time) summed every SKU's
-- days of daily_sales and daily_returns, and daily_returns per reason too: a year is
-- about 8 M sales rows at 1 M returns. sku_months holds one row per SKU and calendar
-- month, sales and returns together, the returned units per reason folded into one
-- array, kept at insert time from the same line tables as the daily roll-ups (0010). A
-- period's reads take its whole months from here and only the days at either end from
-- the daily tables (sql/queries/period-months.sql).
-- reason_units[i] is the units returned for the i-th reason of the API's closed list
-- (RETURN_REASONS in server/contracts/enums.ts, the list spelled below and in
-- sql/queries/reason-list.sql; a unit test holds the three equal). A new reason goes at
-- the end of all three. An array summed position by position (sumForEach) reads several
-- times faster than a Map(reason, units) summed key by key (sumMap): docs/benchmarks.md.
-- AggregatingMergeTree: a merge sums the counts and the arrays; readers still sum, as
-- parts merge eventually.
CREATE TABLE IF NOT EXISTS sku_months
(
    month          Date,
    sku            LowCardinality(String),
    units_sold     SimpleAggregateFunction(sum, UInt64),
    sale_lines     SimpleAggregateFunction(sum, UInt64),
    units_returned SimpleAggregateFunction(sum, UInt64),
    return_lines   SimpleAggregateFunction(sum, UInt64),
    reason_units   AggregateFunction(sumForEach, Array(UInt64))
)
ENGINE = AggregatingMergeTree
ORDER BY (sku, month);

-- Each view fills its own columns; the other side's take their defaults (0, an empty state).
CREATE MATERIALIZED VIEW IF NOT EXISTS sku_months_sales_mv TO sku_months AS
SELECT toStartOfMonth(toDate(occurred_at)) AS month, sku, sum(qty) AS units_sold, count() AS sale_lines
FROM order_lines
GROUP BY month, sku;

CREATE MATERIALIZED VIEW IF NOT EXISTS sku_months_returns_mv TO sku_months AS
SELECT toStartOfMonth(toDate(occurred_at)) AS month, sku, sum(qty) AS units_returned, count() AS return_lines,
       sumForEachState(arrayMap(r -> if(r = reason, toUInt64(qty), 0), ['size_too_small', 'size_too_large', 'defective', 'damaged_in_transit', 'wrong_item', 'not_as_described', 'changed_mind', 'late_delivery', 'better_price', 'other'])) AS reason_units
FROM return_lines
GROUP BY month, sku;

-- The history so far, from the daily roll-ups (what the reads compared against it sum).
-- Migrations run before the store takes events, so nothing reaches the views meanwhile;
-- emptying the table first makes a migration interrupted after a backfill safe to rerun.
TRUNCATE TABLE IF EXISTS sku_months;

INSERT INTO sku_months (month, sku, units_sold, sale_lines)
SELECT toStartOfMonth(day) AS month, sku, sum(units), sum(lines)
FROM daily_sales
GROUP BY month, sku;

INSERT INTO sku_months (month, sku, units_returned, return_lines, reason_units)
SELECT toStartOfMonth(day) AS month, sku, sum(units), sum(lines),
       sumForEachState(arrayMap(r -> if(r = reason, units, 0), ['size_too_small', 'size_too_large', 'defective', 'damaged_in_transit', 'wrong_item', 'not_as_described', 'changed_mind', 'late_delivery', 'better_price', 'other']))
FROM daily_returns
GROUP BY month, sku;
