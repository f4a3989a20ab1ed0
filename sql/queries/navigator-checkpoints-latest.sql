-- The newest navigator checkpoints' headers, newest first (the loader takes the first it
-- can read), with which of their chunks are stored: one whose chunks are not all there
-- (0 … chunks - 1) was not written to the end and is passed over. The state itself is
-- read chunk by chunk (navigator-checkpoint-chunk.sql); a header of the single-row
-- layout (chunks 0) is of an older snapshot format, passed over without reading its state.
SELECT
    toUnixTimestamp64Milli(h.taken_at) AS taken_at_ms,
    h.format AS format,
    h.network AS network,
    toUnixTimestamp64Milli(h.cut_received_at) AS cut_received_at_ms,
    h.cut_event_ids AS cut_event_ids,
    h.cut_decision_ids AS cut_decision_ids,
    h.chunks AS chunks,
    s.stored AS stored_chunks,
    s.last AS last_chunk
FROM
(
    SELECT taken_at, format, network, cut_received_at, cut_event_ids, cut_decision_ids, chunks
    FROM navigator_checkpoints
    ORDER BY taken_at DESC
    LIMIT {limit:UInt32}
) AS h
LEFT JOIN
(
    SELECT taken_at, uniqExact(chunk) AS stored, max(chunk) AS last
    FROM navigator_checkpoint_chunks
    GROUP BY taken_at
) AS s ON s.taken_at = h.taken_at
ORDER BY h.taken_at DESC
