-- Fills turnaround_daily_next by the turnaround rule (turnaround-refresh.sql) for
-- the whole build in one statement, which the tests compare the passes with.
INSERT INTO turnaround_daily_next
WITH
    toUnixTimestamp64Milli({asOf:DateTime64(3)}) AS as_of_ms,
    m AS (
{{include:turnaround-milestones-all}}
    ),
{{include:turnaround-refresh}}
