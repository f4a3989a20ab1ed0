-- Bid prices published by the bid-prices job (issue 17): one row per resource slot and
-- solve. The latest solve is in force; `gap` is the LP's capacity efficiency KPI input.
CREATE TABLE IF NOT EXISTS bid_prices
(
    solved_at  DateTime64(3, 'UTC'),
    run_id     String,
    kind       LowCardinality(String),
    scope      LowCardinality(String),
    slot       String,
    price      Float64
)
ENGINE = MergeTree
ORDER BY (solved_at, kind, scope, slot)
TTL toDateTime(solved_at) + INTERVAL 30 DAY;
