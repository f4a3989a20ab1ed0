-- Drops the chunks of checkpoints no header names any more (pruned, or a write that
-- stopped before its header), older than the checkpoint just stored: a newer one could be
-- a write still under way.
DELETE FROM navigator_checkpoint_chunks
WHERE taken_at < fromUnixTimestamp64Milli({takenAtMs:Int64}, 'UTC')
  AND taken_at NOT IN (SELECT taken_at FROM navigator_checkpoints)
