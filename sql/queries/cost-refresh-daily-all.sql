-- Fills cost_daily_next by the cost rule (cost-refresh-daily.sql) from the current
-- decisions of the whole build in one statement (cost-decisions.sql), which the tests compare the passes with.
INSERT INTO cost_daily_next
WITH
    d AS (
{{include:cost-decisions}}
    ),
{{include:cost-refresh-daily}}
