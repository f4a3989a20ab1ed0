-- The anomalies of a period sum every SKU's sales and returns over the 37 days of their
-- spike test, and both period reads (the anomalies, the SKU list) the days at a
-- period's ends (sql/queries/period-months.sql). They read daily_sales and
-- daily_returns through their by_day projections (0022), whose sku is a
-- LowCardinality(String): sorted by day, each granule holds thousands of different
-- SKUs, more than the column's dictionary keeps, so every granule carries its own keys
-- and a read decodes and hashes them again. These two tables hold the same sums sorted
-- by day with sku as a plain String, which reads several times faster for those days
-- (docs/benchmarks.md, "Over a period"). They keep what those reads sum: units and
-- lines, and the reason of a return.
CREATE TABLE IF NOT EXISTS daily_sales_by_day
(
    day   Date,
    sku   String,
    units UInt64,
    lines UInt64
)
ENGINE = SummingMergeTree
ORDER BY (day, sku);

CREATE TABLE IF NOT EXISTS daily_returns_by_day
(
    day    Date,
    sku    String,
    reason LowCardinality(String),
    units  UInt64,
    lines  UInt64
)
ENGINE = SummingMergeTree
ORDER BY (day, sku, reason);

CREATE MATERIALIZED VIEW IF NOT EXISTS daily_sales_by_day_mv TO daily_sales_by_day AS
SELECT toDate(occurred_at) AS day, toString(sku) AS sku, sum(qty) AS units, count() AS lines
FROM order_lines
GROUP BY day, sku;

CREATE MATERIALIZED VIEW IF NOT EXISTS daily_returns_by_day_mv TO daily_returns_by_day AS
SELECT toDate(occurred_at) AS day, toString(sku) AS sku, reason, sum(qty) AS units, count() AS lines
FROM return_lines
GROUP BY day, sku, reason;

-- The history so far, from the daily roll-ups. Migrations run before the store takes
-- events, so nothing reaches the views meanwhile; emptying the tables first makes a
-- migration interrupted after a backfill safe to rerun.
TRUNCATE TABLE IF EXISTS daily_sales_by_day;

INSERT INTO daily_sales_by_day (day, sku, units, lines)
SELECT day, toString(sku), sum(units), sum(lines)
FROM daily_sales
GROUP BY day, sku;

TRUNCATE TABLE IF EXISTS daily_returns_by_day;

INSERT INTO daily_returns_by_day (day, sku, reason, units, lines)
SELECT day, toString(sku), reason, sum(units), sum(lines)
FROM daily_returns
GROUP BY day, sku, reason;
