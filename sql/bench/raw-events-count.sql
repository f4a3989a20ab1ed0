-- Events the store holds.
SELECT count() AS n FROM raw_events
