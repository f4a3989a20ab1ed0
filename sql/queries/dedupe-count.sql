-- Acknowledged events in the store (server/ingest/dedupe.ts: does memory hold them all?).
SELECT count() AS n FROM raw_events
