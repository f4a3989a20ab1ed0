// validate → dedupe → route → write → acknowledge, with a result per event.
// Expected outcomes (rejected, duplicate) are values; only "the store cannot take it
// now" is thrown, and then nothing of the request was acknowledged.
import { Event } from '../contracts/events.js'
import type { BatchedWriter } from '../store/writer.js'
import { OverloadedError } from '../store/writer.js'
import { decisionRow, rawEventRow } from '../store/rows.js'
import { toChTime } from '../store/query.js'
import type { RawItem } from './body.js'
import type { EventDeduper } from './dedupe.js'
import type { DecisionRecord, EventRouter } from './router.js'

export interface FieldError { path: string; message: string }
/** What a producer learns at once about each line's decision (the full one is at /api/v1/returns/:rmaId). */
export interface DecisionRef {
  decisionId: string
  lineIndex: number
  trackingToken: string
  resolution: string
  inboundMode: string
  receivingNodeId: string | null
  exchangeSourceNodeId: string | null
  disposition: string
}
export interface EventResult {
  index: number
  eventId?: string
  status: 'accepted' | 'duplicate' | 'rejected'
  errors?: FieldError[]
  decisions?: DecisionRef[]
}
export interface IngestOutcome { accepted: number; duplicates: number; rejected: number; results: EventResult[] }

export interface DurableBatch { events: Event[]; decisions: DecisionRecord[] }

export interface IngestMetrics {
  counted(type: string, status: EventResult['status']): void
}

export interface IngestDeps {
  writer: BatchedWriter
  deduper: EventDeduper
  router: EventRouter
  metrics?: IngestMetrics
  /** Called once the batch is durable: the only point where live updates go out. */
  onDurable?: (batch: DurableBatch) => void
  onRouteError?: (event: Event, error: unknown) => void
  now?: () => Date
}

export class Ingestor {
  constructor(private readonly deps: IngestDeps) {}

  /**
   * `decide: false` stores returns without deciding them (a history import that wants no
   * decisions): return events skip the navigator; orders and catalog still reach it.
   */
  async ingest(items: RawItem[], opts: { decide?: boolean } = {}): Promise<IngestOutcome> {
    const decide = opts.decide ?? true
    const receivedAt = (this.deps.now ?? (() => new Date()))()
    const results: EventResult[] = new Array(items.length)
    const valid: { index: number; event: Event }[] = []
    const firstIndexOf = new Map<string, number>()

    items.forEach((item, index) => {
      if (!item.ok) {
        results[index] = { index, status: 'rejected', errors: [{ path: '', message: item.message }] }
        return
      }
      const parsed = Event.safeParse(item.value)
      const eventId = eventIdOf(item.value)
      if (!parsed.success) {
        results[index] = {
          index, eventId, status: 'rejected',
          errors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
        }
        return
      }
      if (firstIndexOf.has(parsed.data.eventId)) {
        results[index] = { index, eventId, status: 'duplicate' }
        return
      }
      firstIndexOf.set(parsed.data.eventId, index)
      valid.push({ index, event: parsed.data })
    })

    const duplicates = valid.length ? await this.deps.deduper.claim(valid.map((v) => v.event.eventId)) : new Set<string>()
    const fresh = valid.filter((v) => {
      if (!duplicates.has(v.event.eventId)) return true
      results[v.index] = { index: v.index, eventId: v.event.eventId, status: 'duplicate' }
      return false
    })
    const claimed = fresh.map((v) => v.event.eventId)

    const decisions: DecisionRecord[] = []
    const routed: Event[] = []
    try {
      // Check capacity before routing: the navigator reserves stock while deciding,
      // which must not happen for events we then refuse.
      const lineCount = fresh.reduce((n, v) => n + (v.event.type === 'return.requested' ? v.event.lines.length : 0), 0)
      if (!this.deps.writer.canAccept(fresh.length + lineCount)) {
        throw new OverloadedError(1)
      }
      for (const v of fresh) {
        let routedDecisions: DecisionRecord[] = []
        try {
          if (decide || !v.event.type.startsWith('return.')) {
            routed.push(v.event)
            routedDecisions = this.deps.router.route(v.event, receivedAt)
          }
        } catch (error) {
          // A navigator failure must not lose the event: it is stored without a decision.
          this.deps.onRouteError?.(v.event, error)
        }
        decisions.push(...routedDecisions)
        results[v.index] = {
          index: v.index, eventId: v.event.eventId, status: 'accepted',
          // Requests always list their decisions; other events (an inspection, a stock
          // drop) list the re-decisions they caused, so a warehouse scanner learns at once.
          ...(v.event.type === 'return.requested' || routedDecisions.length > 0 ? {
            decisions: routedDecisions.map(({ decision: d }) => ({
              decisionId: d.decisionId, lineIndex: d.lineIndex, trackingToken: d.trackingToken,
              resolution: d.resolution, inboundMode: d.inboundMode, receivingNodeId: d.receivingNodeId,
              exchangeSourceNodeId: d.exchangeSourceNodeId, disposition: d.disposition,
            })),
          } : {}),
        }
      }
      // Decisions first, raw events second: raw_events is the dedupe authority, so an
      // event is only "seen" once everything derived from it is durable. A crash in
      // between leaves decisions that the producer's retry rewrites (same decision ids).
      if (decisions.length) await this.deps.writer.write('decisions', decisions.map(decisionRow))
      const receivedAtText = toChTime(receivedAt)
      if (fresh.length) await this.deps.writer.write('raw_events', fresh.map((v) => rawEventRow(v.event, receivedAtText)))
    } catch (error) {
      // Nothing of this request is acknowledged: the navigator must not keep holding
      // stock or bench hours for decisions the producer never got (its retry decides again).
      for (let i = routed.length - 1; i >= 0; i--) this.deps.router.undo?.(routed[i])
      this.deps.deduper.release(claimed)
      throw error
    }
    this.deps.deduper.confirm(claimed)
    for (const event of routed) this.deps.router.confirm?.(event)

    let accepted = 0, dup = 0, rejected = 0
    for (const r of results) {
      if (r.status === 'accepted') accepted++
      else if (r.status === 'duplicate') dup++
      else rejected++
    }
    if (this.deps.metrics) {
      for (const r of results) this.deps.metrics.counted(typeOf(items[r.index]), r.status)
    }
    if (fresh.length) this.deps.onDurable?.({ events: fresh.map((v) => v.event), decisions })
    return { accepted, duplicates: dup, rejected, results }
  }
}

function eventIdOf(value: unknown): string | undefined {
  const id = (value as { eventId?: unknown } | null)?.eventId
  return typeof id === 'string' ? id.slice(0, 128) : undefined
}

function typeOf(item: RawItem): string {
  const t = item.ok ? (item.value as { type?: unknown } | null)?.type : undefined
  return typeof t === 'string' && t.length <= 32 ? t : 'unknown'
}
