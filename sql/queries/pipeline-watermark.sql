-- A job's watermark row (pipeline_watermarks; the newest version of the row per job).
SELECT toString(watermark) AS watermark, toString(full_at) AS full_at, version, seen_block
FROM pipeline_watermarks FINAL
WHERE job = {job:String}
