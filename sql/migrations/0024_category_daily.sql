-- Units sold and returned per category and day, a snapshot of the return-rates job
-- (category-daily-refresh.sql). The SKU detail's trend draws its category next to the
-- SKU: summing the daily roll-ups of every SKU in the category on each request read
-- thousands of SKUs' days (≈140 ms of /api/v1/skus/:sku at 10M returns); this is a
-- primary-key range of one category's days.
CREATE TABLE IF NOT EXISTS category_daily
(
    category       LowCardinality(String),
    day            Date,
    units_sold     UInt64,
    units_returned UInt64,
    computed_at    DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (category, day);
CREATE TABLE IF NOT EXISTS category_daily_next AS category_daily;
