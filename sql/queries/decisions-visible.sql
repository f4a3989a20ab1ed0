-- The visibility rule of a decision (0030_decision_event_id.sql), included by every read
-- that shows decisions: one that no event caused, or whose event is acknowledged (in
-- raw_events). A request refused after its decisions were written leaves them stored
-- but never shown; its retry stores the event and rewrites them (same decision ids).
-- The includer defines `candidates` (WITH candidates AS (SELECT event_id …)): the event
-- ids of the decisions it reads. raw_events is sorted by event_id, so the probe is a
-- primary-key read of those ids only.
(event_id = '' OR event_id IN (SELECT event_id FROM raw_events WHERE event_id IN (SELECT event_id FROM candidates)))
