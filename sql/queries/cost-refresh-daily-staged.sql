-- Fills cost_daily_next by the cost rule (cost-refresh-daily.sql) from the current
-- decisions of the months staged for a run (cost-recovery.job.ts; cost-decisions-staged.sql).
INSERT INTO cost_daily_next
WITH
    d AS (
{{include:cost-decisions-staged}}
    ),
{{include:cost-refresh-daily}}
