-- One row per bid-prices solve (issue 17): what was solved and how long it took, and the
-- "capacity efficiency" KPI of the recent returns it forecast from: the hindsight LP's
-- bound over their plans against the score their actual decisions reached (lower is
-- better for both; efficiency = bound / realised).
CREATE TABLE IF NOT EXISTS bid_price_solves
(
    solved_at    DateTime64(3, 'UTC'),
    run_id       String,
    columns      UInt32,
    rows         UInt32,
    solve_ms     Float64,
    prices       UInt32,
    lines        UInt32,
    bound        Float64,
    realised     Float64,
    efficiency   Nullable(Float64)
)
ENGINE = MergeTree
ORDER BY solved_at
TTL toDateTime(solved_at) + INTERVAL 90 DAY;
