-- When the scheduled figures on the KPI tiles were computed: per job feeding them, the
-- start (the as-of time) of its last run that finished well. A job that has not run yet
-- is absent.
SELECT job, toString(max(started_at)) AS at
FROM pipeline_runs
WHERE status = 'ok' AND job IN {jobs:Array(String)}
GROUP BY job
