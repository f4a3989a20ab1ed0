-- The ids of the events the store holds (the overload bench checks every acknowledged one is there).
SELECT DISTINCT event_id FROM raw_events
