-- Fills open_returns_next by the open-returns rule (open-returns-refresh.sql) for
-- a month of a full build (turnaround.job.ts).
INSERT INTO open_returns_next
WITH m AS (
{{include:open-returns-milestones-full}}
)
{{include:open-returns-refresh}}
