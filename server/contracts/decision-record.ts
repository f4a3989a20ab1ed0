// A decision as ingestion stores it: the decision with the fields analytics and the
// visibility rule need beside it. Shared by the navigator's service (which makes them),
// ingestion (which writes them) and the store (which turns them into rows).
import type { Decision } from './decision.js'

export interface DecisionRecord {
  decision: Decision
  /** Denormalised for analytics: the SKU's category and the line's return reason. */
  category: string
  reason: string
  /** Arrival of what caused it (raw_events.received_at of its event), stored with it. */
  receivedAt?: Date
  /**
   * The event that caused it, set by ingestion: the decision is shown once that event is
   * acknowledged (sql/queries/decisions-visible.sql). None for a re-decision no event
   * caused (a capacity change): shown once written.
   */
  eventId?: string
}
