-- The requests an incremental turnaround run recomputes, one row each, merged once from
-- rma_milestones and read by both of the job's outputs (turnaround_daily and
-- open_returns), which each grouped the same requests' rows on their own before: at 10 M
-- requests a run over two months took 4.9–6.0 s that way and 3.9–4.0 s staged.
-- Scratch space of a run, emptied before and after it: Memory keeps it out of the disk,
-- and a restart losing it loses nothing.
CREATE TABLE IF NOT EXISTS turnaround_requests_next
(
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
ENGINE = Memory;
