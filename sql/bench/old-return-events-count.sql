-- Old returns added by generate-old-return-events (their ids start with "old-").
SELECT count() AS n FROM raw_events WHERE startsWith(event_id, 'old-')
