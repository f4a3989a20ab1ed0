-- The current decisions an incremental cost run recomputes, filtered once (the
-- current-decision rule, cost-current-decision.sql) and read by both of the job's
-- snapshots (cost_daily and sku_costs), which each read decision_facts and applied the
-- rule on their own before: at 10 M decisions two months took 3.7–3.9 s that way and
-- 2.8–3.1 s staged. Scratch space of a run, emptied before and after it: Memory keeps it
-- off the disk, and a restart losing it loses nothing.
CREATE TABLE IF NOT EXISTS cost_decisions_next
(
    decided_at          DateTime64(3, 'UTC'),
    sku                 LowCardinality(String),
    category            LowCardinality(String),
    reason              LowCardinality(String),
    resolution          LowCardinality(String),
    disposition         LowCardinality(String),
    net_cost            Float64,
    recovery            Float64,
    baseline_net_cost   Float64,
    logistics           Float64,
    handling            Float64,
    refunds             Float64,
    repair              Float64,
    wait_hours          Float64,
    baseline_wait_hours Float64
)
ENGINE = Memory;
