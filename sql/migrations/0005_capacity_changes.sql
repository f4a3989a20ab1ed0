-- Repair bench capacity changed by an operator (a technician off sick, a second shift).
-- The latest row per node is in force; the navigator applies it on start.
CREATE TABLE IF NOT EXISTS capacity_changes
(
    node_id                    LowCardinality(String),
    repair_bench_hours_per_day Float64,
    author                     String,
    changed_at                 DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (node_id, changed_at);
