-- When a decision was stored, in the same clock as raw_events.received_at: the arrival of
-- the event that caused it (or of the operator's capacity change). decided_at is the
-- event's own time, which a history import puts far in the past, so it cannot say which
-- decisions a navigator checkpoint already holds. Rows written before this have no
-- arrival time; they predate every checkpoint, and decided_at is never later than their
-- arrival, so it stands in for it.
ALTER TABLE decisions ADD COLUMN IF NOT EXISTS received_at DateTime64(3, 'UTC') DEFAULT decided_at;
