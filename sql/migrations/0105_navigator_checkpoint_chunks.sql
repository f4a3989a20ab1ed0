-- A navigator checkpoint's state in chunks (server/navigator/snapshot.ts): one row each,
-- read back in `chunk` order. As one String the state passed V8's maximum string length
-- with a few hundred thousand open returns, and the store parsed it as one giant row.
-- The header row in navigator_checkpoints is written after every chunk and says how many
-- there are (`chunks`): a checkpoint counts only when all of them are stored, so a crash
-- while writing leaves chunks without a header, which the next prune drops.
-- A partition per checkpoint: parts of two checkpoints are never merged together, and the
-- prune's delete empties whole parts, which the store then drops instead of rewriting.
CREATE TABLE IF NOT EXISTS navigator_checkpoint_chunks
(
    taken_at DateTime64(3, 'UTC'),
    chunk    UInt32,
    text     String CODEC(ZSTD(3))
)
ENGINE = MergeTree
PARTITION BY taken_at
ORDER BY (taken_at, chunk)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;

-- 0: the state is in `state` (the layout before chunks); n: in n chunk rows.
ALTER TABLE navigator_checkpoints ADD COLUMN IF NOT EXISTS chunks UInt32 DEFAULT 0;
