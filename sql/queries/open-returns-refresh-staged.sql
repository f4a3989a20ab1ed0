-- Fills open_returns_next by the open-returns rule (open-returns-refresh.sql) for
-- an incremental run (turnaround.job.ts: the requests of the picked months).
INSERT INTO open_returns_next
WITH m AS (
{{include:open-returns-milestones-staged}}
)
{{include:open-returns-refresh}}
