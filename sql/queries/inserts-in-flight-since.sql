-- When the oldest insert still running started, one second early; NULL when none runs
-- (turnaround.job.ts: its rows may become visible below the watermark read meanwhile).
SELECT if(count() = 0, NULL, toString(now64(3) - toIntervalMillisecond(toUInt64(max(elapsed) * 1000) + 1000))) AS since
FROM system.processes
WHERE query_kind = 'Insert'
