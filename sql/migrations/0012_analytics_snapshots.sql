-- Outputs of the scheduled jobs. Each job rebuilds its table completely into the
-- *_next twin and swaps the two with EXCHANGE TABLES (atomic in the Atomic database
-- engine), so readers see either the previous snapshot or the new one, never a
-- half-filled table. win is one of '7d', '30d', '90d', 'all' (days ending on the
-- job's as-of day).

CREATE TABLE IF NOT EXISTS sku_return_rates
(
    win            LowCardinality(String),
    sku            String,
    category       LowCardinality(String),
    units_sold     UInt64,
    units_returned UInt64,
    return_lines   UInt64,
    return_rate    Float64,
    top_reasons    Array(Tuple(reason String, units UInt64)),
    net_cost       Float64,
    computed_at    DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (win, sku);
CREATE TABLE IF NOT EXISTS sku_return_rates_next AS sku_return_rates;

CREATE TABLE IF NOT EXISTS reason_mix
(
    win         LowCardinality(String),
    scope       LowCardinality(String),
    key         String,
    category    LowCardinality(String),
    reason      LowCardinality(String),
    units       UInt64,
    lines       UInt64,
    share       Float64,
    computed_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (win, scope, key, reason);
CREATE TABLE IF NOT EXISTS reason_mix_next AS reason_mix;

-- Turnaround per request day (cohort), receiving node, resolution and stage, with a
-- t-digest state so any window is a merge of day states, not a pass over returns.
CREATE TABLE IF NOT EXISTS turnaround_daily
(
    day               Date,
    receiving_node_id LowCardinality(String),
    resolution        LowCardinality(String),
    stage             LowCardinality(String),
    n                 UInt64,
    sum_hours         Float64,
    hours_q           AggregateFunction(quantilesTDigest(0.5, 0.9, 0.99), Float32),
    computed_at       DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (day, stage, receiving_node_id, resolution);
CREATE TABLE IF NOT EXISTS turnaround_daily_next AS turnaround_daily;

-- Returns not yet made whole, by their latest status ('requested' when none arrived).
CREATE TABLE IF NOT EXISTS open_returns
(
    status        LowCardinality(String),
    returns       UInt64,
    oldest_at     DateTime64(3, 'UTC'),
    computed_at   DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY status;
CREATE TABLE IF NOT EXISTS open_returns_next AS open_returns;

-- Money of the latest decision per return line, by day of the line's first decision.
CREATE TABLE IF NOT EXISTS cost_daily
(
    day                 Date,
    category            LowCardinality(String),
    reason              LowCardinality(String),
    resolution          LowCardinality(String),
    disposition         LowCardinality(String),
    receiving_node_id   LowCardinality(String),
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
ORDER BY (sku, day);
CREATE TABLE IF NOT EXISTS sku_costs_next AS sku_costs;

-- reason → resolution → disposition of the latest decision per line.
CREATE TABLE IF NOT EXISTS flows
(
    win         LowCardinality(String),
    reason      LowCardinality(String),
    resolution  LowCardinality(String),
    disposition LowCardinality(String),
    lines       UInt64,
    net_cost    Float64,
    computed_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (win, reason, resolution, disposition);
CREATE TABLE IF NOT EXISTS flows_next AS flows;

-- Anomaly episodes. One row per (episode, state change); the row with the newest
-- updated_at is the current state (read with FINAL). An episode stays the same id
-- while the SKU keeps being flagged, so an alert goes out once per episode.
CREATE TABLE IF NOT EXISTS anomalies
(
    anomaly_id     String,
    sku            String,
    category       LowCardinality(String),
    kind           LowCardinality(String),
    active         UInt8,
    first_seen_at  DateTime64(3, 'UTC'),
    last_seen_at   DateTime64(3, 'UTC'),
    updated_at     DateTime64(3, 'UTC'),
    units_sold     UInt64,
    units_returned UInt64,
    rate           Float64,
    wilson_low     Float64,
    wilson_high    Float64,
    reference_rate Float64,
    evidence       String
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY anomaly_id;
