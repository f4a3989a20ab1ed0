-- The newest {recent} runs of each job (pipelines/scheduler.ts status()).
SELECT job, run_id, started_at, finished_at, status, duration_ms, rows, full, error
FROM pipeline_runs
ORDER BY job, started_at DESC
LIMIT {recent:UInt32} BY job
