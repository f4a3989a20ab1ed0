-- Fills sku_costs_next by the cost rule (cost-refresh-sku.sql) from the current
-- decisions of the months staged for a run (cost-recovery.job.ts; cost-decisions-staged.sql).
INSERT INTO sku_costs_next
WITH d AS (
{{include:cost-decisions-staged}}
)
{{include:cost-refresh-sku}}
