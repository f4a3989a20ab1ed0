-- Fills open_returns_next by the open-returns rule (open-returns-refresh.sql) for
-- the whole build in one statement, which the tests compare the passes with.
INSERT INTO open_returns_next
WITH m AS (
{{include:open-returns-milestones-all}}
)
{{include:open-returns-refresh}}
