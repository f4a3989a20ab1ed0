// A seeded simulation of a shop on the network, on a simulated clock: orders with daily
// seasonality, returns at the categories' prior rates, one SKU with a planted defect
// spike, and each return's lifecycle after the navigator has decided it. Pure and
// deterministic: the same seed, start, pace and decisions give the same events (no clock
// reads, no I/O); a driver feeds the events to a server and the decisions back.
import type { Channel, Condition, ReturnReason } from '../contracts/enums.js'
import type { CatalogItem, Event, ReturnLine } from '../contracts/events.js'
import type { Network } from '../navigator/network.js'
import {
  drawCondition, drawReason, drawReasonText, drawRequestDelayDays, drawWish, FALLBACK_RETURN_RATE,
  isSizeReason, RETURN_RATE_PRIORS,
} from './behaviour.js'
import { buildCatalogModel, initialStock, type CatalogModel } from './catalog-model.js'
import { EventQueue } from './event-queue.js'
import { customerProfile } from './geography.js'
import { planLifecycle, type DecisionSummary, type PendingEvent, type ReturnLineFacts } from './lifecycle.js'
import { exponential, hashSeed, intBetween, mulberry32, uniform, weighted, type Rng } from './random.js'
import { PEAK_FACTOR, seasonalFactor } from './seasonality.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Contract limit of catalog.upsert and the chunk size asked for inventory snapshots. */
const SETUP_CHUNK = 5_000
/** Mean order lines: 70 % one line, 22 % two, 8 % three. */
const LINES_TABLE = [[1, 70], [2, 22], [3, 8]] as const
const MEAN_LINES = (1 * 70 + 2 * 22 + 3 * 8) / 100
const CHANNELS: readonly (readonly [Channel, number])[] = [['app', 55], ['web', 30], ['cs', 10], ['store', 5]]
/** Replenish an exchange node's SKU when its on-hand falls below this. */
const REORDER_POINT = 3

export type { DecisionSummary } from './lifecycle.js'

export interface DefectSpike {
  /** Which SKU; default: the best-selling electronics item. */
  sku?: string
  /** Start of the spike (the last 7 simulated days in the demo). */
  fromMs: number
  /** Return rate multiple during the spike (~5×). */
  multiplier?: number
}

export interface SimWorldOptions {
  seed: number
  /** Simulated start time (ms since epoch). */
  startMs: number
  /** Mean orders per simulated day; the hour of day shapes it. */
  ordersPerDay: number
  /** Divides every delay after an order (request, lifecycle): 1 = real time, 360 = a day in 4 minutes. */
  lifecycleSpeedup?: number
  /** Event ids are `<prefix>-<runId>-<n>`. 'demo' for the built-in demo, 'sim' for the CLI. */
  idPrefix?: string
  /** Distinguishes runs over the same store; default `<seed>-<start in base 36>`. */
  runId?: string
  /** Emit catalog.upsert and inventory.snapshot first (off when continuing a store that has them). */
  emitSetup?: boolean
  defect?: DefectSpike | false
  /** Share of return requests the customer cancels before sending anything. */
  cancelShare?: number
  /** Shape the order rate by the hour of day (default); off for a flat load. */
  seasonality?: boolean
}

export interface Pace { ordersPerDay?: number; lifecycleSpeedup?: number }

interface LineFacts extends Omit<ReturnLineFacts, 'rmaId' | 'lineId' | 'customer'> {}

type Unstamped<T> = T extends unknown ? Omit<T, 'eventId' | 'occurredAt'> : never
type Scheduled =
  | { kind: 'arrival'; token: number }
  | { kind: 'event'; event: Unstamped<Event> }
  | { kind: 'return'; event: Unstamped<Extract<Event, { type: 'return.requested' }>>; facts: LineFacts[] }
  | { kind: 'step'; event: PendingEvent }

interface OpenRma {
  requestMs: number
  customer: { lat: number; lon: number }
  facts: LineFacts[]
  lineIds: string[]
  decided: Set<number>
  openLines: number
}

export interface WorldStats {
  events: number
  orders: number
  orderLines: number
  returnRequests: number
  returnLines: number
  lifecycleEvents: number
  cancelled: number
}

export class SimWorld {
  readonly runId: string
  readonly defectSku: string | undefined
  readonly stats: WorldStats = { events: 0, orders: 0, orderLines: 0, returnRequests: 0, returnLines: 0, lifecycleEvents: 0, cancelled: 0 }

  private readonly model: CatalogModel
  private readonly queue = new EventQueue<Scheduled>()
  private readonly rng: Rng
  private readonly prefix: string
  private readonly open = new Map<string, OpenRma>()
  private readonly stock: Map<string, Map<string, number>>
  private readonly replenishing = new Set<string>()
  private readonly customerPool: number
  private readonly defect: Required<DefectSpike> | undefined
  private readonly cancelShare: number
  private readonly seasonal: boolean
  private ordersPerDay: number
  private speedup: number
  private arrivalToken = 0
  private orderSeq = 0
  private eventSeq = 0
  private lastMs: number

  constructor(readonly network: Network, private readonly opts: SimWorldOptions) {
    if (!(opts.ordersPerDay > 0)) throw new Error('ordersPerDay must be positive')
    this.runId = opts.runId ?? `${opts.seed}-${Math.floor(opts.startMs).toString(36)}`
    this.prefix = opts.idPrefix ?? 'demo'
    this.rng = mulberry32(hashSeed(opts.seed, 'orders'))
    this.model = buildCatalogModel(network, opts.seed)
    if (this.model.sellable.length === 0) throw new Error('the network catalog has nothing to sell')
    this.ordersPerDay = opts.ordersPerDay
    this.speedup = opts.lifecycleSpeedup ?? 1
    this.cancelShare = opts.cancelShare ?? 0.03
    this.seasonal = opts.seasonality ?? true
    this.customerPool = Math.max(2_000, Math.round(opts.ordersPerDay * 20))
    this.lastMs = opts.startMs
    this.defectSku = opts.defect ? (opts.defect.sku ?? this.bestseller('electronics')) : undefined
    this.defect = opts.defect && this.defectSku
      ? { sku: this.defectSku, fromMs: opts.defect.fromMs, multiplier: opts.defect.multiplier ?? 5 }
      : undefined
    this.stock = initialStock(network, this.model, { ordersPerDay: opts.ordersPerDay, linesPerOrder: MEAN_LINES, seed: opts.seed })
    if (opts.emitSetup ?? true) this.scheduleSetup()
    this.scheduleArrival(opts.startMs)
  }

  /** Time of the last emitted event (the simulated "now"). */
  get clock(): number {
    return this.lastMs
  }

  /** Expected return requests per order at the current priors (outside the defect spike). */
  expectedReturnsPerOrder(): number {
    let perLine = 0
    this.model.sellable.forEach((item, i) => { perLine += this.model.share(i) * this.returnRate(item.category) })
    // An order's lines share one request, so this counts lines; close enough for pacing.
    return perLine * MEAN_LINES
  }

  /**
   * Change the order rate or the delay compression from `atMs` on (backfill → live).
   * A new speed-up also applies to what is already scheduled after `atMs` — pending
   * requests of earlier orders and lifecycles under way — as if the clock ran faster
   * from then on, so a live demo that follows a backfill shows them moving at once.
   */
  setPace(pace: Pace, atMs: number): void {
    if (pace.lifecycleSpeedup !== undefined && pace.lifecycleSpeedup !== this.speedup) {
      const ratio = this.speedup / pace.lifecycleSpeedup
      this.speedup = pace.lifecycleSpeedup
      this.queue.retime((t, item) => (item.kind === 'arrival' || t <= atMs ? t : atMs + (t - atMs) * ratio))
    }
    if (pace.ordersPerDay !== undefined) {
      this.ordersPerDay = pace.ordersPerDay
      // Poisson arrivals are memoryless: dropping the pending arrival and drawing a new
      // one at the new rate from the switch time is exact.
      this.arrivalToken++
      this.scheduleArrival(Math.max(atMs, this.lastMs))
    }
  }

  /** Time of the next scheduled item (an event, or an order arrival that may be thinned away). */
  peekTime(): number {
    return this.queue.peekTime()
  }

  /** The next event at or before `untilMs`, in time order; undefined when none is due. */
  next(untilMs: number): Event | undefined {
    while (this.queue.peekTime() <= untilMs) {
      const { t, value } = this.queue.pop()!
      const event = this.handle(t, value)
      if (event) return event
    }
    return undefined
  }

  /** Up to `max` events due by `untilMs`, stopping early past `maxSpanMs` of simulated time. */
  take(untilMs: number, max: number, maxSpanMs = Infinity): Event[] {
    const out: Event[] = []
    const spanEnd = Math.min(untilMs, this.queue.peekTime() + maxSpanMs)
    while (out.length < max) {
      const e = this.next(spanEnd)
      if (!e) break
      out.push(e)
    }
    return out
  }

  /**
   * The navigator decided a line: schedule what happens to it. Answers false when the
   * line is unknown or already decided (a re-decision does not restart the lifecycle).
   */
  onDecision(rmaId: string, lineIndex: number, decision: DecisionSummary): boolean {
    const rma = this.open.get(rmaId)
    if (!rma || lineIndex < 0 || lineIndex >= rma.facts.length || rma.decided.has(lineIndex)) return false
    if (rma.decided.size === 0) {
      // Decided once per request from its own stream, so the answer does not depend on
      // which line's decision arrives first.
      const rng = mulberry32(hashSeed(this.opts.seed, rmaId, 'cancel'))
      if (rng() < this.cancelShare) {
        this.open.delete(rmaId)
        this.stats.cancelled++
        const at = Math.max(rma.requestMs, this.lastMs) + (uniform(rng, 0.5, 12) * HOUR) / this.speedup
        this.queue.push(at, { kind: 'step', event: { type: 'return.status', rmaId, status: 'cancelled', note: 'customer cancelled the request' } })
        return true
      }
    }
    rma.decided.add(lineIndex)
    const facts: ReturnLineFacts = { ...rma.facts[lineIndex], rmaId, lineId: rma.lineIds[lineIndex], customer: rma.customer }
    const rng = mulberry32(hashSeed(this.opts.seed, rmaId, lineIndex))
    // Planned from the request's time: steps that fall before the clock (the decision
    // came back a batch later) are stamped at the clock, later ones keep their time.
    for (const step of planLifecycle(this.network, facts, decision, rng, rma.requestMs, this.speedup)) {
      this.queue.push(step.atMs, { kind: 'step', event: step.event })
    }
    return true
  }

  /** The request was refused or got no decision: nothing will follow it. */
  onNoDecision(rmaId: string): void {
    this.open.delete(rmaId)
  }

  /** Requests still waiting for a decision or a closing status. */
  get openReturns(): number {
    return this.open.size
  }

  // ---- internals --------------------------------------------------------------------

  private handle(t: number, item: Scheduled): Event | undefined {
    switch (item.kind) {
      case 'arrival': {
        if (item.token !== this.arrivalToken) return undefined
        this.scheduleArrival(t)
        // Thinning: candidates come at the peak rate, each kept with the hour's share of it.
        if (this.seasonal && this.rng() * PEAK_FACTOR >= seasonalFactor(t)) return undefined
        return this.placeOrder(t)
      }
      case 'event':
        if (item.event.type === 'inventory.adjusted') this.moveStock(t, item.event.nodeId, item.event.sku, item.event.delta)
        return this.stamp(t, item.event)
      case 'return': {
        const lineIds = item.event.lines.map((l) => l.lineId!)
        this.open.set(item.event.rmaId, {
          requestMs: Math.max(t, this.lastMs), customer: item.event.customer, facts: item.facts, lineIds,
          decided: new Set(), openLines: lineIds.length,
        })
        this.stats.returnRequests++
        this.stats.returnLines += item.event.lines.length
        return this.stamp(t, item.event)
      }
      case 'step': {
        const e = item.event
        this.stats.lifecycleEvents++
        if (e.type === 'inventory.adjusted') this.moveStock(t, e.nodeId, e.sku, e.delta)
        if (e.type === 'return.status' && e.status === 'closed') {
          const rma = this.open.get(e.rmaId)
          if (rma && --rma.openLines <= 0) this.open.delete(e.rmaId)
        }
        return this.stamp(t, e)
      }
    }
  }

  private stamp(t: number, event: Unstamped<Event>): Event {
    // Non-decreasing time even for follow-ups scheduled late (a decision answered after
    // the batch that carried the request).
    this.lastMs = Math.max(this.lastMs, t)
    this.stats.events++
    return {
      eventId: `${this.prefix}-${this.runId}-${this.eventSeq++}`,
      occurredAt: new Date(this.lastMs).toISOString(),
      ...event,
    } as Event
  }

  private scheduleArrival(fromMs: number): void {
    const peakPerMs = (this.ordersPerDay * (this.seasonal ? PEAK_FACTOR : 1)) / DAY
    this.queue.push(fromMs + exponential(this.rng, peakPerMs), { kind: 'arrival', token: this.arrivalToken })
  }

  private scheduleSetup(): void {
    const t = this.opts.startMs
    const catalog = [...this.network.catalog.values()]
    for (let i = 0; i < catalog.length; i += SETUP_CHUNK) {
      this.queue.push(t, { kind: 'event', event: { type: 'catalog.upsert', items: catalog.slice(i, i + SETUP_CHUNK) } })
    }
    for (const [nodeId, stock] of this.stock) {
      const items = [...stock].map(([sku, onHand]) => ({ sku, onHand }))
      for (let i = 0; i < items.length; i += SETUP_CHUNK) {
        this.queue.push(t, { kind: 'event', event: { type: 'inventory.snapshot', nodeId, items: items.slice(i, i + SETUP_CHUNK) } })
      }
    }
  }

  private placeOrder(t: number): Event {
    const rng = this.rng
    const n = this.orderSeq++
    const orderId = `O-${this.runId}-${n}`
    const customer = customerProfile(this.opts.seed, this.runId, Math.floor(rng() * this.customerPool))
    const lineCount = weighted(rng, LINES_TABLE)
    const chosen = new Set<number>()
    for (let tries = 0; chosen.size < lineCount && tries < lineCount * 4; tries++) chosen.add(this.model.popularity.draw(rng))
    const lines = [...chosen].map((i) => {
      const item = this.model.sellable[i]
      const qty = (item.category === 'beauty' || item.category === 'home') && rng() < 0.08 ? 2 : 1
      const discount = weighted(rng, [[0, 70], [0.1, 20], [0.2, 10]] as const)
      return { item, qty, unitPrice: Math.round(item.price * (1 - discount) * 100) / 100 }
    })
    this.stats.orders++
    this.stats.orderLines += lines.length
    this.planReturn(t, n, orderId, customer, lines)
    return this.stamp(t, {
      type: 'order.placed', orderId,
      customer: { id: customer.id, lat: customer.lat, lon: customer.lon, region: customer.region },
      lines: lines.map((l) => ({ sku: l.item.sku, qty: l.qty, unitPrice: l.unitPrice })),
    })
  }

  /** Decide now, at order time, which lines will come back and when. */
  private planReturn(
    t: number, n: number, orderId: string, customer: ReturnType<typeof customerProfile>,
    lines: { item: CatalogItem; qty: number; unitPrice: number }[],
  ): void {
    const rng = this.rng
    const returned: { line: ReturnLine; facts: LineFacts; delayDays: number; notBefore: number }[] = []
    for (const { item, qty, unitPrice } of lines) {
      const base = this.returnRate(item.category)
      const spiking = this.defect && item.sku === this.defect.sku && t >= this.defect.fromMs - 2 * DAY
      const u = rng()
      let reason: ReturnReason
      let delayDays: number
      let plantedDefect = false
      if (u < base) {
        reason = drawReason(rng, item.category)
        delayDays = drawRequestDelayDays(rng, reason)
      } else if (spiking && u < Math.min(0.95, base * this.defect!.multiplier)) {
        // The planted fault shows within days of delivery.
        reason = 'defective'
        delayDays = uniform(rng, 1, 3)
        plantedDefect = true
      } else {
        continue
      }
      const condition: Condition = plantedDefect ? (rng() < 0.85 ? 'defective' : 'used') : drawCondition(rng, reason)
      const nextSize = isSizeReason(reason) ? this.model.nextSize(item.sku, reason === 'size_too_small' ? 'up' : 'down') : undefined
      const wish = drawWish(rng, reason, item.sku, item.repairable, nextSize)
      const reasonText = drawReasonText(rng, reason)
      returned.push({
        line: {
          lineId: `L${returned.length + 1}`, sku: item.sku, qty, unitPrice, reason,
          ...(reasonText ? { reasonText } : {}), condition, wants: wish.wants,
          ...(wish.exchangeSku ? { exchangeSku: wish.exchangeSku } : {}),
        },
        facts: {
          sku: item.sku, exchangeSku: wish.exchangeSku, qty, category: item.category, productType: item.productType,
          reason, condition, plantedDefect: plantedDefect || (spiking === true && reason === 'defective' && t >= this.defect!.fromMs),
        },
        delayDays,
        notBefore: plantedDefect ? this.defect!.fromMs : 0,
      })
    }
    if (returned.length === 0) return
    // One request per order: the customer sends back together what they send back.
    const delayDays = Math.min(...returned.map((r) => r.delayDays))
    const at = Math.max(t + (delayDays * DAY) / this.speedup, ...returned.map((r) => r.notBefore))
    this.queue.push(at, {
      kind: 'return',
      event: {
        type: 'return.requested', rmaId: `RMA-${this.runId}-${n}`, orderId,
        customer: { id: customer.id, lat: customer.lat, lon: customer.lon, region: customer.region, trusted: customer.trusted },
        channel: weighted(rng, CHANNELS),
        lines: returned.map((r) => r.line),
      },
      facts: returned.map((r) => r.facts),
    })
  }

  private returnRate(category: string): number {
    return this.network.categories.get(category)?.returnRatePrior ?? RETURN_RATE_PRIORS[category] ?? FALLBACK_RETURN_RATE
  }

  private bestseller(category: string): string | undefined {
    let best: string | undefined
    let bestShare = -1
    this.model.sellable.forEach((item, i) => {
      if (item.category === category && this.model.share(i) > bestShare) { bestShare = this.model.share(i); best = item.sku }
    })
    return best ?? this.model.sellable[0]?.sku
  }

  private moveStock(t: number, nodeId: string, sku: string, delta: number): void {
    const node = this.stock.get(nodeId)
    if (!node) return
    const onHand = Math.max(0, (node.get(sku) ?? 0) + delta)
    node.set(sku, onHand)
    const key = `${nodeId}|${sku}`
    if (delta < 0 && onHand < REORDER_POINT && !this.replenishing.has(key)) {
      // Buyers reorder what runs low; sold stock is assumed replenished by the regular
      // purchasing cycle, so only exchange shipments move the simulated on-hand.
      this.replenishing.add(key)
      const rng = mulberry32(hashSeed(this.opts.seed, 'replenish', key, t))
      this.queue.push(t + (uniform(rng, 24, 72) * HOUR) / this.speedup, {
        kind: 'event', event: { type: 'inventory.adjusted', nodeId, sku, delta: intBetween(rng, 10, 40), reason: 'replenishment' },
      })
    } else if (delta > 0 && this.replenishing.has(key) && onHand >= REORDER_POINT) {
      this.replenishing.delete(key)
    }
  }
}
