-- The current decisions an incremental cost run recomputes, filtered once (the
-- current-decision rule, cost-current-decision.sql) and read by both of the job's
-- snapshots (cost_daily and sku_costs), which each read decision_facts and applied the
-- rule on their own before: at 10 M decisions two months took 3.7–3.9 s that way and
-- 2.8–3.1 s staged. Scratch space of a run, emptied before and after it: Memory keeps it
-- off the disk, and a restart losing it loses nothing.
-- Its columns are decision_facts' own (the money of a decision, and what it is grouped by).
CREATE TABLE IF NOT EXISTS cost_decisions_next ENGINE = Memory AS
SELECT decided_at, sku, category, reason, resolution, disposition, net_cost, recovery, baseline_net_cost,
       logistics, handling, refunds, repair, wait_hours, baseline_wait_hours
FROM decision_facts
LIMIT 0;
