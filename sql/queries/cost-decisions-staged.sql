-- The staged current decisions of an incremental cost run (cost-decisions-months.sql).
SELECT decided_at, sku, category, reason, resolution, disposition, net_cost, recovery, baseline_net_cost,
       logistics, handling, refunds, repair, wait_hours, baseline_wait_hours
FROM cost_decisions_next
