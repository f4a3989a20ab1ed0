-- The newest visible decisions across all returns (the dashboard's feed after a reload).
-- The 7-day bound prunes to the newest monthly partitions; a feed needs nothing older.
-- The newest {limit} first, then the rule (decisions-visible.sql): an unacknowledged one
-- (rare) leaves a gap.
WITH newest AS (
    SELECT {{include:decision-columns}}, event_id FROM decisions
    WHERE decided_at >= now64(3) - INTERVAL 7 DAY
    ORDER BY decided_at DESC, decision_id DESC
    LIMIT {limit:UInt32}
),
candidates AS (SELECT event_id FROM newest WHERE event_id != '')
SELECT {{include:decision-columns}}
FROM newest
WHERE {{include:decisions-visible}}
ORDER BY decided_at DESC, decision_id DESC
