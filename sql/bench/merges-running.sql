-- The store's own merges running now, per table: they share the cores with a job.
SELECT table, count() AS merges, sum(total_size_bytes_compressed) AS bytes, round(max(elapsed), 1) AS seconds
FROM system.merges WHERE database = currentDatabase() GROUP BY table
