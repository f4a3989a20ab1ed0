-- The event whose acknowledgement makes a decision visible (issue 13). Ingestion writes
-- decisions before their event's raw_events row (raw_events is the dedupe authority,
-- so an event counts as seen only once what it caused is durable); if the raw_events
-- write then fails, the request is refused and its decisions stay behind. Readers show
-- a decision only when this event is in raw_events (sql/queries/decisions-visible.sql);
-- the producer's retry rewrites the same decision ids and stores the event.
-- '' for decisions no event caused (a capacity change re-decided them, written before
-- the answer) and for rows written before this column: always visible.
ALTER TABLE decisions ADD COLUMN IF NOT EXISTS event_id String DEFAULT '';
