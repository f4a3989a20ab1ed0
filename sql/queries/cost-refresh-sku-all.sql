-- Fills sku_costs_next by the cost rule (cost-refresh-sku.sql) from the current
-- decisions of the whole build in one statement (cost-decisions.sql), which the tests compare the passes with.
INSERT INTO sku_costs_next
WITH d AS (
{{include:cost-decisions}}
)
{{include:cost-refresh-sku}}
