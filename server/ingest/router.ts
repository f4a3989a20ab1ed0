// The routing hook between ingestion and the navigator: every accepted event passes
// through it before the write, and what it decides is written in the same durable step.
import type { Decision } from '../contracts/decision.js'
import type { Event } from '../contracts/events.js'

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

export interface EventRouter {
  /** Updates live state for the event and returns the decisions it produced (may be none). */
  route(event: Event, receivedAt: Date): DecisionRecord[]
  /**
   * Takes back what route() did to the live state for an event whose write failed
   * (nothing was acknowledged, the producer will retry). Called newest event first.
   */
  undo?(event: Event): void
  /** The event's write is durable: what route() did stays. Called once, after the write. */
  confirm?(event: Event): void
}

/** Until a navigator is plugged in: events are stored, no decision is made. */
export const noDecisionRouter: EventRouter = { route: () => [] }
