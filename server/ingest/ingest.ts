// validate → dedupe → route → write → acknowledge, with a result per event.
// Expected outcomes (rejected, duplicate) are values; only "the store cannot take it
// now" is thrown, and then nothing of the request was acknowledged.
import { Event } from '../contracts/events.js'
import type { BatchedWriter } from '../store/writer.js'
import { OverloadedError } from '../store/writer.js'
import { decisionLines, decisionValues, rawEventRow } from '../store/rows.js'
import { JsonLines } from '../store/json-lines.js'
import { toChTime } from '../store/query.js'
import type { RawItem } from './body.js'
import { CpuSlicer, SerialLane } from './cpu-slices.js'
import type { EventDeduper } from './dedupe.js'
import type { DecisionRecord } from '../contracts/decision-record.js'
import type { EventRouter } from './router.js'
import type { OrphanedDecisions } from './orphan-rollback.js'
import { addDecisionRef } from '../store/orphans-repo.js'

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
  counted(type: string, status: EventResult['status'], n?: number): void
}

export interface IngestDeps {
  writer: BatchedWriter
  deduper: EventDeduper
  router: EventRouter
  metrics?: IngestMetrics
  /** Called once the batch is durable: the only point where live updates go out. */
  onDurable?: (batch: DurableBatch) => void
  onRouteError?: (event: Event, error: unknown) => void
  /**
   * Called when a request fails after its decisions were handed to the writer: they may
   * stand without their events (orphan-rollback.ts removes them). By event id; the
   * decisions were stored at or after `receivedAtMs`. The refusal is answered once the
   * promise settles.
   */
  onOrphaned?: (orphans: OrphanedDecisions, receivedAtMs: number) => Promise<void>
  now?: () => Date
  /** Longest CPU run before yielding to the event loop (ms); default 8. */
  sliceMs?: number
}

export interface IngestOptions {
  /** Aborted when the producer has gone away: work stops at the next safe point (never once the write has started). */
  signal?: AbortSignal
  /**
   * `false` stores returns without deciding them (a history import that wants no
   * decisions): return events skip the navigator; orders and catalog still reach it.
   */
  decide?: boolean
  /**
   * Route this request after every request whose ingest() was called before it, even
   * those still validating: an importer keeps several batches in flight, and a batch
   * that overtook the previous one would be decided before the catalog items and the
   * returns that batch holds (each batch's place in the lane is taken at the call).
   */
  inOrder?: boolean
}

export class Ingestor {
  private readonly routing = new SerialLane()
  private lastArrivalMs = 0
  private working = 0

  constructor(private readonly deps: IngestDeps) {}

  /** Requests validated and waiting for their turn to be routed. */
  get waitingToRoute(): number { return this.routing.waiting }

  /** Requests being ingested now (validating, routing or writing). */
  get inFlight(): number { return this.working }

  private stampArrival(): Date {
    const now = (this.deps.now ?? (() => new Date()))().getTime()
    this.lastArrivalMs = Math.max(this.lastArrivalMs, now)
    return new Date(this.lastArrivalMs)
  }

  /**
   * Throws OverloadedError or a store error (nothing acknowledged), or ClientGoneError
   * when opts.signal aborted before the write started (nothing stored, nothing kept).
   */
  async ingest(items: RawItem[], opts: IngestOptions = {}): Promise<IngestOutcome> {
    this.working++
    const slot = opts.inOrder ? this.routing.reserve() : null
    try {
      return await this.ingestVia(slot ?? this.routing, items, opts)
    } finally {
      slot?.release()
      this.working--
    }
  }

  private async ingestVia(lane: Pick<SerialLane, 'run'>, items: RawItem[], opts: IngestOptions): Promise<IngestOutcome> {
    const slicer = new CpuSlicer(this.deps.sliceMs ?? 8, opts.signal)
    const decide = opts.decide ?? true
    const results: EventResult[] = new Array(items.length)
    const valid: { index: number; event: Event }[] = []
    const firstIndexOf = new Map<string, number>()

    for (let index = 0; index < items.length; index++) {
      if (slicer.due()) await slicer.yieldNow()
      const item = items[index]
      if (!item.ok) {
        results[index] = { index, status: 'rejected', errors: [{ path: '', message: item.message }] }
        continue
      }
      const parsed = item.checked ? { success: true as const, data: item.value } : Event.safeParse(item.value)
      const eventId = eventIdOf(item.value)
      if (!parsed.success) {
        results[index] = {
          index, eventId, status: 'rejected',
          errors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
        }
        continue
      }
      if (firstIndexOf.has(parsed.data.eventId)) {
        results[index] = { index, eventId, status: 'duplicate' }
        continue
      }
      firstIndexOf.set(parsed.data.eventId, index)
      valid.push({ index, event: parsed.data })
    }
    slicer.stopIfGone()

    // An importer's request holds its place in the routing order already: it must not wait.
    const duplicates = valid.length ? await this.deps.deduper.claim(valid.map((v) => v.event.eventId), { mode: opts.inOrder ? 'nowait' : 'wait' }) : new Set<string>()
    const fresh = valid.filter((v) => {
      if (!duplicates.has(v.event.eventId)) return true
      results[v.index] = { index: v.index, eventId: v.event.eventId, status: 'duplicate' }
      return false
    })
    const claimed = fresh.map((v) => v.event.eventId)

    let receivedAt = new Date(0)
    const decisions: DecisionRecord[] = []
    const routed: Event[] = []
    let decisionsHanded = false
    try {
      await lane.run(async () => {
        // The client may have left while this request waited for its turn.
        slicer.stopIfGone()
        // Stamped when its turn to route comes, never going back: arrival order is routing
        // order (requests route one at a time, in the lane's order), which is what lets a
        // navigator checkpoint name the events it holds by one received_at cut
        // (server/navigator-service/checkpoints.ts).
        receivedAt = this.stampArrival()
        // Check capacity before routing: the navigator reserves stock while deciding,
        // which must not happen for events we then refuse.
        const lineCount = fresh.reduce((n, v) => n + (v.event.type === 'return.requested' ? v.event.lines.length : 0), 0)
        if (!this.deps.writer.canAccept(fresh.length + lineCount)) {
          throw new OverloadedError(1)
        }
        try {
          await this.routeAll(fresh, receivedAt, slicer, routed, decisions, results, decide)
        } catch (error) {
          // Undone before the lane moves on, so the next request routes against the state
          // as if this one had never come.
          this.undo(routed)
          throw error
        }
      })
      // Encoded here, between yields, so the writer's flush only joins bytes.
      const decisionRows = decisionLines()
      for (const d of decisions) {
        if (slicer.due()) await slicer.yieldNow()
        decisionRows.push(decisionValues(d))
      }
      const receivedAtText = toChTime(receivedAt)
      const eventRows = new JsonLines()
      for (const v of fresh) {
        if (slicer.due()) await slicer.yieldNow()
        eventRows.push(rawEventRow(v.event, receivedAtText))
      }
      // The point of no return: once rows are handed to the writer the request finishes,
      // so it is never half-stored because its producer went away.
      slicer.stopIfGone()
      slicer.abortable = false
      // Decisions first, raw events second: raw_events is the dedupe authority, so an
      // event is only "seen" once everything derived from it is durable. A failure or a
      // crash in between leaves decisions whose event is not in raw_events: readers do
      // not show them (each row names its event; sql/queries/decisions-visible.sql), and
      // they are rolled back with what the views derived from them (onOrphaned below; a
      // restart finds a crash's, server/ingest/orphan-rollback.ts).
      // Room for both writes is held before the first: the raw events must not be refused
      // for room that other requests took while the decisions were being stored.
      const room = this.deps.writer.reserve(decisionRows.count + eventRows.count)
      try {
        decisionsHanded = decisionRows.count > 0
        if (decisionRows.count) await this.deps.writer.write('decisions', decisionRows, room)
        if (eventRows.count) await this.deps.writer.write('raw_events', eventRows, room)
      } finally {
        room.release()
      }
    } catch (error) {
      // Nothing of this request is acknowledged: the navigator must not keep holding
      // stock or bench hours for decisions the producer never got (its retry decides again).
      this.undo(routed)
      this.deps.deduper.release(claimed)
      // Even when the decisions' write itself failed: an insert across months is a part
      // per month, and the store may have kept some.
      if (decisionsHanded) await this.deps.onOrphaned?.(orphansOf(decisions), receivedAt.getTime())
      throw error
    }
    // Durable from here: the bookkeeping below runs in slices too (a 10,000-event request
    // is tens of thousands of calls), and nothing in it can be refused.
    this.deps.deduper.confirm(claimed)
    for (const event of routed) {
      if (slicer.due()) await slicer.yieldNow()
      this.deps.router.confirm?.(event)
    }

    let accepted = 0, dup = 0, rejected = 0
    for (const r of results) {
      if (r.status === 'accepted') accepted++
      else if (r.status === 'duplicate') dup++
      else rejected++
    }
    if (this.deps.metrics) {
      // Counted per type and status, then handed over once per pair.
      const counts = new Map<string, number>()
      for (const r of results) {
        if (slicer.due()) await slicer.yieldNow()
        const key = `${r.status}|${typeOf(items[r.index])}`
        counts.set(key, (counts.get(key) ?? 0) + 1)
      }
      for (const [key, n] of counts) {
        const bar = key.indexOf('|')
        this.deps.metrics.counted(key.slice(bar + 1), key.slice(0, bar) as EventResult['status'], n)
      }
    }
    if (fresh.length) this.deps.onDurable?.({ events: fresh.map((v) => v.event), decisions })
    return { accepted, duplicates: dup, rejected, results }
  }

  private async routeAll(fresh: { index: number; event: Event }[], receivedAt: Date, slicer: CpuSlicer,
    routed: Event[], decisions: DecisionRecord[], results: EventResult[], decide: boolean): Promise<void> {
    for (const v of fresh) {
      // Stopping here is safe: what was routed so far is undone, as for a failed write.
      if (slicer.due()) await slicer.yieldNow()
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
      for (const r of routedDecisions) decisions.push({ ...r, eventId: v.event.eventId })
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
  }

  private undo(routed: Event[]): void {
    for (let i = routed.length - 1; i >= 0; i--) this.deps.router.undo?.(routed[i])
    routed.length = 0
  }
}

function orphansOf(decisions: DecisionRecord[]): OrphanedDecisions {
  const byEvent: OrphanedDecisions = new Map()
  for (const { decision: d, eventId } of decisions) if (eventId) addDecisionRef(byEvent, eventId, d.decisionId, d.rmaId, d.trackingToken)
  return byEvent
}

function eventIdOf(value: unknown): string | undefined {
  const id = (value as { eventId?: unknown } | null)?.eventId
  return typeof id === 'string' ? id.slice(0, 128) : undefined
}

function typeOf(item: RawItem): string {
  const t = item.ok ? (item.value as { type?: unknown } | null)?.type : undefined
  return typeof t === 'string' && t.length <= 32 ? t : 'unknown'
}
