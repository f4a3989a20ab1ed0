-- Incremental roll-ups of the typed event tables, kept up to date by materialised
-- views at insert time, so every window query reads SKU × day rows instead of lines.
-- SummingMergeTree folds rows with the same key on merge; readers still sum() because
-- parts are merged eventually, not immediately.

CREATE TABLE IF NOT EXISTS daily_sales
(
    day     Date,
    sku     LowCardinality(String),
    units   UInt64,
    lines   UInt64,
    revenue Float64
)
ENGINE = SummingMergeTree
ORDER BY (sku, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS daily_sales_mv TO daily_sales AS
SELECT toDate(occurred_at) AS day, sku, sum(qty) AS units, count() AS lines, sum(qty * unit_price) AS revenue
FROM order_lines
GROUP BY day, sku;

CREATE TABLE IF NOT EXISTS daily_returns
(
    day    Date,
    sku    LowCardinality(String),
    reason LowCardinality(String),
    units  UInt64,
    lines  UInt64,
    value  Float64
)
ENGINE = SummingMergeTree
ORDER BY (sku, day, reason);

CREATE MATERIALIZED VIEW IF NOT EXISTS daily_returns_mv TO daily_returns AS
SELECT toDate(occurred_at) AS day, sku, reason, sum(qty) AS units, count() AS lines, sum(qty * unit_price) AS value
FROM return_lines
GROUP BY day, sku, reason;

-- Hour buckets for the "today" KPIs and the returns-over-time chart: a few thousand
-- rows a year, so the dashboard never scans line tables for them.
CREATE TABLE IF NOT EXISTS hourly_sales
(
    hour  DateTime('UTC'),
    units UInt64,
    lines UInt64
)
ENGINE = SummingMergeTree
ORDER BY hour;

CREATE MATERIALIZED VIEW IF NOT EXISTS hourly_sales_mv TO hourly_sales AS
SELECT toStartOfHour(occurred_at) AS hour, sum(qty) AS units, count() AS lines
FROM order_lines
GROUP BY hour;

CREATE TABLE IF NOT EXISTS hourly_returns
(
    hour  DateTime('UTC'),
    units UInt64,
    lines UInt64,
    rmas  UInt64,
    value Float64
)
ENGINE = SummingMergeTree
ORDER BY hour;

-- rmas counts a request once (its first line), so "returns" means requests, not lines.
CREATE MATERIALIZED VIEW IF NOT EXISTS hourly_returns_mv TO hourly_returns AS
SELECT toStartOfHour(occurred_at) AS hour, sum(qty) AS units, count() AS lines,
       countIf(line_index = 0) AS rmas, sum(qty * unit_price) AS value
FROM return_lines
GROUP BY hour;
