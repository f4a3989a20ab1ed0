// The routing hook between ingestion and the navigator: every accepted event passes
// through it before the write, and what it decides is written in the same durable step.
import type { DecisionRecord } from '../contracts/decision-record.js'
import type { Event } from '../contracts/events.js'

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
