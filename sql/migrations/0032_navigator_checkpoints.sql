-- Checkpoints of the navigator's live state (stock, reservations, bench hours, open
-- returns...), so a restart loads the newest one and replays only the events and
-- decisions stored after it instead of the whole recent history.
-- The cut: the state holds every event whose raw_events.received_at is before
-- cut_received_at, plus, at exactly cut_received_at, the events listed in cut_event_ids
-- and the decisions listed in cut_decision_ids (received_at is stamped when an event is
-- routed, so it never goes back in routing order; see server/navigator-service/checkpoints.ts).
-- format and network say which snapshot layout and which network's node order the state
-- was written with: a checkpoint that does not match is skipped (full replay).
CREATE TABLE IF NOT EXISTS navigator_checkpoints
(
    taken_at         DateTime64(3, 'UTC'),
    format           UInt32,
    network          String,
    cut_received_at  DateTime64(3, 'UTC'),
    cut_event_ids    Array(String),
    cut_decision_ids Array(String),
    state            String CODEC(ZSTD(3))
)
ENGINE = MergeTree
ORDER BY taken_at
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;
