-- pipeline_runs gains a row for every run of every job (six jobs, every 2–5 minutes:
-- ≈3,000 rows a day, skipped ticks included) and was never pruned. GET /api/v1/pipelines
-- reads only the last few runs per job, so a month of history is plenty: rows older than
-- 30 days are dropped when their part is merged (TTL; merges with expired rows run at
-- least every merge_with_ttl_timeout, 4 h by default). MODIFY TTL also applies the rule
-- to the parts already there.
ALTER TABLE pipeline_runs MODIFY TTL toDateTime(started_at) + INTERVAL 30 DAY;
