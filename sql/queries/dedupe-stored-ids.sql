-- Which of {ids} are already stored (a primary-key read: raw_events is sorted by event_id).
SELECT DISTINCT event_id FROM raw_events WHERE event_id IN {ids:Array(String)}
