-- Per-SKU month roll-ups of the daily ones, so a long period (a year, all time) reads one
-- row per SKU and month for its whole months and only its partial edge months from the
-- days (sql/queries/skus-range.sql, anomalies-range.sql). At 1 M returns the SKU list and
-- the anomalies of a year summed every SKU's days of daily_sales and daily_returns
-- (≈ 1 s each, docs/benchmarks.md).
-- Kept by views on the daily roll-ups themselves (a view fires on the rows another view
-- writes into its table), so a month is exactly the sum of its days: the two paths
-- cannot drift apart. SummingMergeTree, summed again on read, like the daily tables.
-- Sorted by month first: the reads take every SKU of a run of months.
CREATE TABLE IF NOT EXISTS monthly_sales
(
    month   Date,
    sku     LowCardinality(String),
    units   UInt64,
    lines   UInt64,
    revenue Float64
)
ENGINE = SummingMergeTree
ORDER BY (month, sku);

CREATE TABLE IF NOT EXISTS monthly_returns
(
    month  Date,
    sku    LowCardinality(String),
    reason LowCardinality(String),
    units  UInt64,
    lines  UInt64,
    value  Float64
)
ENGINE = SummingMergeTree
ORDER BY (month, sku, reason);

-- The history so far, before the views exist (migrations run before ingest starts, so no
-- row lands in between). Emptied first: a migration interrupted after its backfill is
-- applied again from the top, and the backfill must not count twice.
TRUNCATE TABLE monthly_sales;
TRUNCATE TABLE monthly_returns;
INSERT INTO monthly_sales (month, sku, units, lines, revenue)
SELECT toStartOfMonth(day) AS month, sku, sum(units), sum(lines), sum(revenue)
FROM daily_sales
GROUP BY month, sku;
INSERT INTO monthly_returns (month, sku, reason, units, lines, value)
SELECT toStartOfMonth(day) AS month, sku, reason, sum(units), sum(lines), sum(value)
FROM daily_returns
GROUP BY month, sku, reason;

CREATE MATERIALIZED VIEW IF NOT EXISTS monthly_sales_mv TO monthly_sales AS
SELECT toStartOfMonth(day) AS month, sku, sum(units) AS units, sum(lines) AS lines, sum(revenue) AS revenue
FROM daily_sales
GROUP BY month, sku;

CREATE MATERIALIZED VIEW IF NOT EXISTS monthly_returns_mv TO monthly_returns AS
SELECT toStartOfMonth(day) AS month, sku, reason, sum(units) AS units, sum(lines) AS lines, sum(value) AS value
FROM daily_returns
GROUP BY month, sku, reason;
