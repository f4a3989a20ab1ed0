-- Fills turnaround_daily_next by the turnaround rule (turnaround-refresh.sql) for
-- a month of a full build (turnaround.job.ts: the requests merged once into turnaround_requests_full).
INSERT INTO turnaround_daily_next
WITH
    toUnixTimestamp64Milli({asOf:DateTime64(3)}) AS as_of_ms,
    m AS (
{{include:turnaround-milestones-full}}
    ),
{{include:turnaround-refresh}}
