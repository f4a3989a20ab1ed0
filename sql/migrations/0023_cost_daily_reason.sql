-- cost_daily gains the return reason again, so the flows job (reason → resolution →
-- disposition of the current decisions, by decided day) reads this month-partitioned,
-- incrementally kept snapshot instead of filtering all of decision_facts against every
-- superseded decision id on each run (5 s at 10M returns, growing with the store).
-- ×10 reasons stays small: at most days × 5 categories × 6 resolutions × 6 dispositions
-- × 10 reasons (≈650k rows a year when every combination occurs). Derived data: the
-- next cost-recovery run finds it empty and rebuilds it in full.
DROP TABLE IF EXISTS cost_daily;
DROP TABLE IF EXISTS cost_daily_next;

CREATE TABLE IF NOT EXISTS cost_daily
(
    day                 Date,
    category            LowCardinality(String),
    reason              LowCardinality(String),
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
ORDER BY (day, category, reason, resolution, disposition);
CREATE TABLE IF NOT EXISTS cost_daily_next AS cost_daily;
