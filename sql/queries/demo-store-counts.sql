-- Events in the store, and how many are not the demo stream's own (their ids do not
-- start with its prefix): the demo only backfills a store that holds none of another's.
SELECT count() AS total, countIf(NOT startsWith(event_id, {prefix:String})) AS foreign FROM raw_events
