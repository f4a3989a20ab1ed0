-- cost-recovery rewrote every SKU × day row (≈5M at 10M returns, 61 s) on each run.
-- The two cost snapshots are now partitioned by month, and the job recomputes only the
-- months whose decisions changed since its last run (plus the months of decisions those
-- changes supersede), swapping each month in with REPLACE PARTITION, which is atomic per
-- partition. cost_months holds what each month looked like when it was last computed.
-- The snapshots are derived data: dropping them only means the next run rebuilds them
-- in full (an empty snapshot always triggers a full rebuild), so re-running is harmless.
DROP TABLE IF EXISTS cost_daily;
DROP TABLE IF EXISTS cost_daily_next;
DROP TABLE IF EXISTS sku_costs;
DROP TABLE IF EXISTS sku_costs_next;

CREATE TABLE IF NOT EXISTS cost_daily
(
    day                 Date,
    category            LowCardinality(String),
    resolution          LowCardinality(String),
    disposition         LowCardinality(String),
    returns             UInt64,
    net_cost            Float64,
    recovery            Float64,
    baseline_net_cost   Float64,
    logistics           Float64,
    handling            Float64,
    refunds             Float64,
    repair              Float64,
    wait_hours          Float64,
    baseline_wait_hours Float64,
    computed_at         DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, category, resolution, disposition);
CREATE TABLE IF NOT EXISTS cost_daily_next AS cost_daily;

CREATE TABLE IF NOT EXISTS sku_costs
(
    day               Date,
    sku               String,
    returns           UInt64,
    net_cost          Float64,
    recovery          Float64,
    baseline_net_cost Float64,
    computed_at       DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (sku, day);
CREATE TABLE IF NOT EXISTS sku_costs_next AS sku_costs;

-- Fingerprint of decision_facts per month of decided_at at the last cost run.
CREATE TABLE IF NOT EXISTS cost_months
(
    month       UInt32,
    decisions   UInt64,
    stamp_sum   Int64,
    computed_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
ORDER BY month;
