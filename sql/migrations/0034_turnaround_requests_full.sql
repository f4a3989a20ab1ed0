-- Every request's milestones merged once, for a full build of the turnaround job's
-- outputs (turnaround.job.ts). The build stages them in passes over ranges of rma_id
-- (rma_milestones' key, so each pass merges only its own requests' rows) and then fills
-- the outputs one request month at a time from here: the embedded store runs one query at
-- a time, and a build done in one statement held every dashboard read for its whole
-- length. Partitioned by request month so a month's pass reads only its own requests.
-- Scratch space of a build, emptied before and after it; on disk (a full history does not
-- belong in memory), and a restart losing it loses nothing.
CREATE TABLE IF NOT EXISTS turnaround_requests_full
(
    month       UInt32,
    rma_id      String,
    req         Int64,
    recv        Nullable(Int64),
    insp        Nullable(Int64),
    whole       Nullable(Int64),
    status_node String,
    route       String,
    has_status  UInt8,
    finished    UInt8,
    last_status String
)
ENGINE = MergeTree
PARTITION BY month
ORDER BY rma_id;
