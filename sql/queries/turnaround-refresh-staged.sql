-- Fills turnaround_daily_next by the turnaround rule (turnaround-refresh.sql) for
-- an incremental run (turnaround.job.ts: the requests of the picked months staged in turnaround_requests_next).
INSERT INTO turnaround_daily_next
WITH
    toUnixTimestamp64Milli({asOf:DateTime64(3)}) AS as_of_ms,
    m AS (
{{include:turnaround-milestones-staged}}
    ),
{{include:turnaround-refresh}}
