-- Per job: which version of its rules the outputs were last fully built with (a job
-- whose rules changed, e.g. turnaround's "no warehouse" group, rebuilds once, then goes
-- on incrementally), and the highest insert block number of its source seen by the last
-- run (inserts raise it, merges do not: unchanged means nothing new arrived).
ALTER TABLE pipeline_watermarks ADD COLUMN IF NOT EXISTS version UInt32 DEFAULT 0;
ALTER TABLE pipeline_watermarks ADD COLUMN IF NOT EXISTS seen_block Int64 DEFAULT -1;
