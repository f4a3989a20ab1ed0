-- The staged current decisions of an incremental cost run (cost-decisions-months.sql);
-- the staging table has exactly their columns (0028).
SELECT * FROM cost_decisions_next
