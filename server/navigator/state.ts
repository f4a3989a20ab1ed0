// Live state of the navigator, in memory and free of I/O: stock per node×SKU,
// reservations held by decisions, repair bench hours and vendor RTV quota in use,
// grade counts learned from inspections, catalog overrides, order dates and the open
// returns (request + current decision per line) that re-decisions need.
//
// `fork()` gives an overlay: reads fall through to the parent, writes stay in the fork.
// The what-if preview decides thousands of requests on a fork, so they compete for stock
// and quota like real ones would, and the live state is never touched.
import type { Decision, DecisionReservations } from '../contracts/decision.js'
import type { CatalogItem, Event, ReturnRequested } from '../contracts/events.js'
import type { Condition, Grade, ReturnReason } from '../contracts/enums.js'
import { flatString } from './flat-string.js'
import { GRADE_INDEX, type Network } from './network.js'
import { partKey, slotKey } from './resource-keys.js'

const TOMBSTONE = Symbol('deleted')

/** A Map whose misses fall through to a parent layer; deletes are tombstones. */
export class LayeredMap<K, V> {
  private readonly own = new Map<K, V | typeof TOMBSTONE>()
  constructor(private readonly parent?: LayeredMap<K, V>) {}
  get(key: K): V | undefined {
    const v = this.own.get(key)
    if (v === TOMBSTONE) return undefined
    if (v !== undefined) return v
    return this.parent?.get(key)
  }
  set(key: K, value: V): void {
    this.own.set(key, value)
  }
  delete(key: K): void {
    if (this.parent) this.own.set(key, TOMBSTONE)
    else this.own.delete(key)
  }
  /** Entries visible through all layers. */
  *entries(): IterableIterator<[K, V]> {
    const seen = new Set<K>()
    for (const [k, v] of this.own) {
      seen.add(k)
      if (v !== TOMBSTONE) yield [k, v]
    }
    if (this.parent) for (const [k, v] of this.parent.entries()) if (!seen.has(k)) yield [k, v]
  }
  get ownSize(): number {
    return this.own.size
  }
  firstOwnKey(): K | undefined {
    return this.own.keys().next().value
  }
}

/**
 * What the state keeps of a line's current decision: what re-deciding, offers, capacity
 * and priority read. The explanation (steps, alternatives, flip points, rejections) and
 * the tasks are in the store with the full decision; kept here for every open return
 * they were more than half of the navigator's memory and of each checkpoint.
 */
export type HeldDecision = Omit<Decision, 'steps' | 'alternatives' | 'flipPoints' | 'rejections' | 'tasks'>

export function heldDecision(d: Decision | HeldDecision): HeldDecision {
  const { steps: _s, alternatives: _a, flipPoints: _f, rejections: _r, tasks: _t, ...held } = d as Decision
  return held
}

/** What leaving a node's dock and bench mix needs of a decision. */
export type DockPlace = Pick<HeldDecision, 'receivingNodeId' | 'resolution' | 'priority' | 'qty'>

/**
 * An open line: its current decision and latest status. The fields hot paths read (the
 * dock and bench mix, releasing, the offer scan) are kept apart; the rest of the decision
 * becomes JSON text once the line is packed (OpenReturn.pack).
 */
export class OpenLine implements DockPlace {
  /** Latest return.status for this line (or the whole RMA). */
  status: string
  readonly decisionId: string
  readonly receivingNodeId: string | null
  readonly resolution: HeldDecision['resolution']
  readonly priority: number
  readonly qty: number | undefined
  /** Whether the decision makes offers (so a scan for pending offers reads only those). */
  readonly hasOffers: boolean
  #decision: HeldDecision | undefined
  #text: string | undefined

  constructor(decision: Decision | HeldDecision, status: string) {
    const held = heldDecision(decision)
    this.status = status
    this.decisionId = held.decisionId
    this.receivingNodeId = held.receivingNodeId
    this.resolution = held.resolution
    this.priority = held.priority
    this.qty = held.qty
    this.hasOffers = (held.offers?.length ?? 0) > 0
    this.#decision = held
  }
  /** The decision as held (a fresh copy when packed: never changed in place). */
  get decision(): HeldDecision {
    return this.#decision ?? (JSON.parse(this.#text!) as HeldDecision)
  }
  /** The decision's JSON text (a checkpoint embeds it as it is). */
  decisionText(): string {
    return this.#text ?? JSON.stringify(this.#decision)
  }
  get packed(): boolean {
    return this.#decision === undefined
  }
  pack(): void {
    if (this.#decision === undefined) return
    this.#text = flatString(JSON.stringify(this.#decision))
    this.#decision = undefined
  }
}

/**
 * An open return's lines by line index, in index order. Most returns have one line, held
 * inline: a Map per open return was two more heap objects for the collector to walk.
 */
export class OpenLines implements Iterable<[number, OpenLine]> {
  #index = -1
  #line: OpenLine | undefined
  #more: Map<number, OpenLine> | undefined

  get size(): number {
    return (this.#line ? 1 : 0) + (this.#more?.size ?? 0)
  }
  get(index: number): OpenLine | undefined {
    return this.#line && index === this.#index ? this.#line : this.#more?.get(index)
  }
  has(index: number): boolean {
    return this.get(index) !== undefined
  }
  set(index: number, line: OpenLine): void {
    if (this.#line && index === this.#index) this.#line = line
    else if (!this.#line && !this.#more?.has(index)) {
      this.#index = index
      this.#line = line
    } else (this.#more ??= new Map()).set(index, line)
  }
  delete(index: number): boolean {
    if (this.#line && index === this.#index) {
      this.#line = undefined
      this.#index = -1
      return true
    }
    return this.#more?.delete(index) ?? false
  }
  /** A copy of the entries: deleting while iterating is safe. */
  entries(): IterableIterator<[number, OpenLine]> {
    const out: [number, OpenLine][] = []
    if (this.#line) out.push([this.#index, this.#line])
    if (this.#more) for (const entry of this.#more) out.push(entry)
    if (out.length > 1) out.sort((a, b) => a[0] - b[0])
    return out[Symbol.iterator]()
  }
  values(): IterableIterator<OpenLine> {
    if (!this.#more?.size) return (this.#line ? [this.#line] : [])[Symbol.iterator]()
    return [...this.entries()].map(([, line]) => line)[Symbol.iterator]()
  }
  [Symbol.iterator](): IterableIterator<[number, OpenLine]> {
    return this.entries()
  }
}

/** One return as it was: no request means it was not open. */
export interface ReturnSnapshot { rmaId: string; request?: ReturnRequested; lines?: Map<number, OpenLine> }

const NO_STATUSES: ReadonlyMap<number, string> = new Map()

/**
 * An open return: its request and its lines' current decisions. The state holds these
 * until the return closes (days, for real returns), and every full collection of the JS
 * heap walks them: as objects a return is some fifty heap objects, as text a handful,
 * and the collector's marking takes the JS thread's cores in proportion (see
 * docs/benchmarks.md, Overload). So the state packs a return once others have changed
 * after it (PACK_AFTER): its request and decisions become JSON text, parsed again only
 * when read (re-decisions, offers), which is rare next to how long they are held.
 */
export class OpenReturn {
  /** Current decision per line index. */
  readonly lines = new OpenLines()
  #request: ReturnRequested | undefined
  #requestText: string | undefined
  /** Latest status per line index (-1: the whole RMA), kept even before a line has a decision (replay order); made on first use. */
  #statusByLine: Map<number, string> | undefined

  constructor(request: ReturnRequested) {
    this.#request = request
  }
  /** The request (a fresh copy when packed: never changed in place). */
  get request(): ReturnRequested {
    return this.#request ?? (JSON.parse(this.#requestText!) as ReturnRequested)
  }
  set request(request: ReturnRequested) {
    this.#request = request
    this.#requestText = undefined
  }
  get statusByLine(): ReadonlyMap<number, string> {
    return this.#statusByLine ?? NO_STATUSES
  }
  setStatus(lineIndex: number, status: string): void {
    (this.#statusByLine ??= new Map()).set(lineIndex, status)
  }
  /** Whether the request and every line are held as text. */
  get packed(): boolean {
    if (this.#request !== undefined) return false
    for (const line of this.lines.values()) if (!line.packed) return false
    return true
  }
  pack(): void {
    if (this.#request !== undefined) {
      this.#requestText = flatString(JSON.stringify(this.#request))
      this.#request = undefined
    }
    for (const line of this.lines.values()) line.pack()
  }
  /** The return as JSON text, as checkpoints carry it: packed text is embedded, not parsed again. */
  toJSONText(): string {
    let lines = ''
    for (const [index, line] of this.lines) {
      lines += `${lines ? ',' : ''}[${index},{"decision":${line.decisionText()},"status":${JSON.stringify(line.status)}}]`
    }
    const request = this.#requestText ?? JSON.stringify(this.#request)
    return `{"request":${request},"lines":[${lines}],"statusByLine":${JSON.stringify([...this.statusByLine])}}`
  }
  /** The inverse of toJSONText (after JSON.parse). */
  static fromJSON(value: { request: ReturnRequested; lines: [number, { decision: HeldDecision; status: string }][]; statusByLine: [number, string][] }): OpenReturn {
    const open = new OpenReturn(value.request)
    for (const [index, line] of value.lines) open.lines.set(index, new OpenLine(line.decision, line.status))
    for (const [index, status] of value.statusByLine) open.setStatus(index, status)
    return open
  }
}

/**
 * Open returns left as objects: the ones changed most lately, which the next events are
 * likeliest to touch again (a request's own statuses, its inspection) and which a history
 * import closes again soon after deciding them, before packing them would pay.
 */
const PACK_AFTER = 2_000
const PACK_PER_CHANGE = 4
/** Bound on remembered order dates: enough for months of orders, bounded memory. */
const MAX_ORDERS = 2_000_000
/**
 * Priority classes: eighth-decades of ¥/h from 0.001 up (≥ 750 in the last). Fine enough
 * that returns of one route a few times apart in value are not in one class, where the
 * queue would treat them alike (half-decades put a ¥0.12/h and a ¥0.30/h line together).
 */
const PRIORITY_CLASSES = 48
const CLASSES_PER_DECADE = 8
const DOCK_PRIOR = 20
const DOCK_WINDOW = 5_000

export function priorityClass(p: number): number {
  if (!(p > 0)) return 0
  return Math.min(PRIORITY_CLASSES - 1, Math.max(0, Math.floor((Math.log10(p) + 3) * CLASSES_PER_DECADE)))
}
const HOUR_MS = 3_600_000

/** Share of a queue's mix ahead of priority `p`: higher classes and half its own, with the prior. */
function shareAhead(mix: number[] | undefined, p: number): number {
  if (!mix) return 0.5
  const k = priorityClass(p)
  let ahead = mix[k] / 2
  let total = 0
  for (let j = 0; j < mix.length; j++) {
    total += mix[j]
    if (j > k) ahead += mix[j]
  }
  return (ahead + 0.5 * DOCK_PRIOR) / (total + DOCK_PRIOR)
}

function addLoad(mixes: LayeredMap<number, number[]>, nodeIdx: number, p: number, units: number): void {
  const mix = [...(mixes.get(nodeIdx) ?? new Array(PRIORITY_CLASSES).fill(0))]
  mix[priorityClass(p)] = Math.max(0, mix[priorityClass(p)] + units)
  // The recent mix: halve the counts once they pass the window, so old returns fade out.
  if (mix.reduce((a, b) => a + b, 0) > DOCK_WINDOW) for (let j = 0; j < mix.length; j++) mix[j] /= 2
  mixes.set(nodeIdx, mix)
}

/** The node whose repair bench a decision's line queues at, if it is a repair. */
function benchNodeOf(network: Network, d: { resolution: string; receivingNodeId?: string | null }): number | undefined {
  return d.resolution === 'repair' && d.receivingNodeId ? network.nodeIndex.get(d.receivingNodeId) : undefined
}

export class NavigatorState {
  private readonly onHandByKey: LayeredMap<string, number>
  private readonly reservedByKey: LayeredMap<string, number>
  private readonly benchByKey: LayeredMap<string, number>
  private readonly rtvByKey: LayeredMap<string, number>
  private readonly reservationsByDecision: LayeredMap<string, DecisionReservations>
  private readonly benchCapacity: LayeredMap<number, number>
  private readonly gradeObservations: LayeredMap<string, number[]>
  private readonly catalogOverrides: LayeredMap<string, CatalogItem>
  private readonly orderPlacedAt: LayeredMap<string, number>
  readonly openReturns: LayeredMap<string, OpenReturn>
  /** decisionId → rmaId of the open decisions, to find a reservation's return without a scan. */
  private readonly openDecisionRma: LayeredMap<string, string>
  /** Answers per offer type ("wish:resolution"): [accepted, declined]. Plain data. */
  private readonly offerAnswerCounts: LayeredMap<string, [number, number]>
  /** offerId → accepted, for every offer answered (an offer is answered once). */
  private readonly offerAnswers: LayeredMap<string, boolean>
  /** Per receiving node, units decided to it per priority class (recent mix, plain data). */
  private readonly dockMix: LayeredMap<number, number[]>
  /** Per repairing node, units of repairs decided to it per priority class (as dockMix). */
  private readonly benchMix: LayeredMap<number, number[]>
  // ---- issue 17: the other scarce resources (capacity.ts reads and books them) ----
  /** Units booked per slot key (capacity.ts slotKey/partKey): inspection, outlet, parts. */
  readonly capacityUse: LayeredMap<string, number>
  /** Limits set by operators or inventory (parts on hand), per `kind|scope`: override the network file. */
  readonly capacityLimit: LayeredMap<string, number>
  /** Bid price per resource key (capacity.ts resourceKey), published by the bid-prices job. */
  readonly bidPrices: LayeredMap<string, number>

  constructor(readonly network: Network, private readonly parent?: NavigatorState) {
    this.onHandByKey = new LayeredMap(parent?.onHandByKey)
    this.reservedByKey = new LayeredMap(parent?.reservedByKey)
    this.benchByKey = new LayeredMap(parent?.benchByKey)
    this.rtvByKey = new LayeredMap(parent?.rtvByKey)
    this.reservationsByDecision = new LayeredMap(parent?.reservationsByDecision)
    this.benchCapacity = new LayeredMap(parent?.benchCapacity)
    this.gradeObservations = new LayeredMap(parent?.gradeObservations)
    this.catalogOverrides = new LayeredMap(parent?.catalogOverrides)
    this.orderPlacedAt = new LayeredMap(parent?.orderPlacedAt)
    this.openReturns = new LayeredMap(parent?.openReturns)
    this.openDecisionRma = new LayeredMap(parent?.openDecisionRma)
    this.offerAnswerCounts = new LayeredMap(parent?.offerAnswerCounts)
    this.offerAnswers = new LayeredMap(parent?.offerAnswers)
    this.dockMix = new LayeredMap(parent?.dockMix)
    this.benchMix = new LayeredMap(parent?.benchMix)
    this.capacityUse = new LayeredMap(parent?.capacityUse)
    this.capacityLimit = new LayeredMap(parent?.capacityLimit)
    this.bidPrices = new LayeredMap(parent?.bidPrices)
  }

  // ---- priority at the dock ------------------------------------------------------------
  /**
   * Share of a node's incoming units that are inspected before an item of priority `p`
   * (¥ of value lost per hour): the node works its dock in priority order, so that is the
   * units of higher priority plus half of its own class. Until the node has seen enough
   * returns, a prior of DOCK_PRIOR units at the middle (0.5: the node's standard lead time).
   */
  dockShareAhead(nodeIdx: number, p: number): number {
    return shareAhead(this.dockMix.get(nodeIdx), p)
  }
  recordDockLoad(nodeIdx: number, p: number, units: number): void {
    addLoad(this.dockMix, nodeIdx, p, units)
  }
  /**
   * The same for a node's repair bench: the share of the repairs decided to it that are
   * worked before one of priority `p` (the bench works in priority order, as the dock).
   */
  benchShareAhead(nodeIdx: number, p: number): number {
    return shareAhead(this.benchMix.get(nodeIdx), p)
  }
  recordBenchLoad(nodeIdx: number, p: number, units: number): void {
    addLoad(this.benchMix, nodeIdx, p, units)
  }

  // ---- offers ------------------------------------------------------------------------
  /** Acceptance rate of an offer type: the prior as `strength` pseudo-answers plus the answers seen. */
  offerAcceptance(type: string, prior: number, strength: number): number {
    const [yes, no] = this.offerAnswerCounts.get(type) ?? [0, 0]
    const n = strength + yes + no
    return n > 0 ? (prior * strength + yes) / n : prior
  }
  offerAnswer(offerId: string): boolean | undefined {
    return this.offerAnswers.get(offerId)
  }
  /** Takes an answer back (its event could not be stored). */
  forgetOfferAnswer(offerId: string): void {
    const accepted = this.offerAnswers.get(offerId)
    if (accepted === undefined) return
    this.offerAnswers.delete(offerId)
    const type = offerTypeOf(offerId)
    const [yes, no] = this.offerAnswerCounts.get(type) ?? [0, 0]
    this.offerAnswerCounts.set(type, accepted ? [Math.max(0, yes - 1), no] : [yes, Math.max(0, no - 1)])
  }
  /** Records an answer once (a repeat is ignored); the type is part of the offer id. */
  recordOfferAnswer(offerId: string, accepted: boolean): boolean {
    if (this.offerAnswers.get(offerId) !== undefined) return false
    this.offerAnswers.set(offerId, accepted)
    const type = offerTypeOf(offerId)
    const [yes, no] = this.offerAnswerCounts.get(type) ?? [0, 0]
    this.offerAnswerCounts.set(type, accepted ? [yes + 1, no] : [yes, no + 1])
    return true
  }

  /** A cheap overlay: the fork sees everything, changes nothing below it. */
  fork(): NavigatorState {
    return new NavigatorState(this.network, this)
  }

  // ---- calendar -------------------------------------------------------------------
  /** Local calendar day number (network time zone) of an instant. */
  localDay(epochMs: number): number {
    return Math.floor((epochMs / HOUR_MS + this.network.file.rules.timezoneOffsetHours) / 24)
  }

  // ---- inventory ------------------------------------------------------------------
  onHand(nodeIdx: number, sku: string): number {
    return this.onHandByKey.get(stockKey(nodeIdx, sku)) ?? 0
  }
  reserved(nodeIdx: number, sku: string): number {
    return this.reservedByKey.get(stockKey(nodeIdx, sku)) ?? 0
  }
  /** on hand − reserved − safety stock: what a new exchange may take. */
  available(nodeIdx: number, sku: string): number {
    return this.onHand(nodeIdx, sku) - this.reserved(nodeIdx, sku) - this.network.file.rules.safetyStock
  }
  setOnHand(nodeIdx: number, sku: string, qty: number): void {
    this.onHandByKey.set(stockKey(nodeIdx, sku), Math.max(0, qty))
  }
  adjustOnHand(nodeIdx: number, sku: string, delta: number): void {
    this.setOnHand(nodeIdx, sku, this.onHand(nodeIdx, sku) + delta)
  }

  // ---- repair bench and vendor quota --------------------------------------------
  benchHoursPerDay(nodeIdx: number): number {
    return this.benchCapacity.get(nodeIdx) ?? this.network.nodes[nodeIdx].repairBenchHoursPerDay
  }
  setBenchHoursPerDay(nodeIdx: number, hours: number): void {
    this.benchCapacity.set(nodeIdx, Math.max(0, hours))
  }
  benchUsed(nodeIdx: number, day: number): number {
    return this.benchByKey.get(benchKey(nodeIdx, day)) ?? 0
  }
  benchFree(nodeIdx: number, day: number): number {
    return this.benchHoursPerDay(nodeIdx) - this.benchUsed(nodeIdx, day)
  }
  rtvUsed(vendorId: string, period: number): number {
    return this.rtvByKey.get(rtvKey(vendorId, period)) ?? 0
  }
  rtvPeriod(vendorId: string, epochMs: number): number {
    const vendor = this.network.vendors.get(vendorId)
    return Math.floor(this.localDay(epochMs) / (vendor?.periodDays ?? 1))
  }

  // ---- reservations held by decisions --------------------------------------------
  /** Take the capacity a decision needs. Idempotent per decision id. */
  reserve(decisionId: string, r: DecisionReservations | undefined): void {
    if (!r || this.reservationsByDecision.get(decisionId)) return
    if (!r.stock && !r.bench && !r.rtv && !r.inspection && !r.parts && !r.outlet) return
    this.reservationsByDecision.set(decisionId, r)
    this.applyReservation(r, +1)
  }
  /** A line that will not reach its node's dock (cancelled, closed) leaves the node's mix, and its bench's. */
  leaveDock(decision: DockPlace): void {
    const idx = decision.receivingNodeId ? this.network.nodeIndex.get(decision.receivingNodeId) : undefined
    if (idx !== undefined) this.recordDockLoad(idx, decision.priority, -(decision.qty ?? 1))
    const bench = benchNodeOf(this.network, decision)
    if (bench !== undefined) this.recordBenchLoad(bench, decision.priority, -(decision.qty ?? 1))
  }
  /** Give back what a decision held (cancel, shipment, superseded). Idempotent. */
  release(decisionId: string, what: 'all' | 'stock' = 'all'): void {
    const r = this.reservationsByDecision.get(decisionId)
    if (!r) return
    if (what === 'stock') {
      if (!r.stock) return
      this.applyReservation({ stock: r.stock }, -1)
      const { stock: _stock, ...rest } = r
      if (Object.values(rest).some((v) => v !== undefined)) this.reservationsByDecision.set(decisionId, rest)
      else this.reservationsByDecision.delete(decisionId)
      return
    }
    this.applyReservation(r, -1)
    this.reservationsByDecision.delete(decisionId)
  }
  reservationOf(decisionId: string): DecisionReservations | undefined {
    return this.reservationsByDecision.get(decisionId)
  }
  /** Every decision's held reservations (capacity.ts finds a slot's holders here). */
  reservationEntries(): IterableIterator<[string, DecisionReservations]> {
    return this.reservationsByDecision.entries()
  }
  /** Decisions holding bench hours at a node on a day. */
  benchHolders(nodeId: string, day: number): string[] {
    const out: string[] = []
    for (const [id, r] of this.reservationsByDecision.entries()) {
      if (r.bench && r.bench.nodeId === nodeId && r.bench.day === day) out.push(id)
    }
    return out
  }
  benchDaysInUse(nodeIdx: number): number[] {
    const days: number[] = []
    const prefix = `${nodeIdx}|`
    for (const [k, v] of this.benchByKey.entries()) if (v > 0 && k.startsWith(prefix)) days.push(Number(k.slice(prefix.length)))
    return days.sort((a, b) => a - b)
  }

  private applyReservation(r: DecisionReservations, sign: 1 | -1): void {
    if (r.stock) {
      const idx = this.network.nodeIndex.get(r.stock.nodeId)
      if (idx !== undefined) {
        const key = stockKey(idx, r.stock.sku)
        this.reservedByKey.set(key, Math.max(0, (this.reservedByKey.get(key) ?? 0) + sign * r.stock.qty))
      }
    }
    if (r.bench) {
      const idx = this.network.nodeIndex.get(r.bench.nodeId)
      if (idx !== undefined) {
        const key = benchKey(idx, r.bench.day)
        this.benchByKey.set(key, Math.max(0, (this.benchByKey.get(key) ?? 0) + sign * r.bench.hours))
      }
    }
    if (r.rtv) {
      const key = rtvKey(r.rtv.vendorId, r.rtv.period)
      this.rtvByKey.set(key, Math.max(0, (this.rtvByKey.get(key) ?? 0) + sign * r.rtv.units))
    }
    if (r.inspection) this.addUse(slotKey('inspection', r.inspection.nodeId, r.inspection.day), sign * r.inspection.units)
    if (r.outlet) this.addUse(slotKey('outlet', r.outlet.nodeId, r.outlet.day), sign * r.outlet.units)
    if (r.parts) for (const p of r.parts.items) this.addUse(partKey(r.parts.nodeId, p.partId), sign * p.qty)
  }
  private addUse(key: string, delta: number): void {
    const v = Math.max(0, (this.capacityUse.get(key) ?? 0) + delta)
    if (v > 0) this.capacityUse.set(key, v)
    else this.capacityUse.delete(key)
  }
  /** Bench, RTV and stock bookings as [key, used] (capacity.ts lists every slot). */
  benchEntries(): IterableIterator<[string, number]> { return this.benchByKey.entries() }
  rtvEntries(): IterableIterator<[string, number]> { return this.rtvByKey.entries() }
  reservedEntries(): IterableIterator<[string, number]> { return this.reservedByKey.entries() }

  // ---- grades learned from inspections ------------------------------------------
  gradeObservationsOf(category: string, reason: ReturnReason, condition: Condition): readonly number[] | undefined {
    return this.gradeObservations.get(gradeKey(category, reason, condition))
  }
  recordGrade(category: string, reason: ReturnReason, condition: Condition, grade: Grade): void {
    const key = gradeKey(category, reason, condition)
    const counts = [...(this.gradeObservations.get(key) ?? [0, 0, 0, 0])]
    counts[GRADE_INDEX[grade]] += 1
    this.gradeObservations.set(key, counts)
  }

  // ---- catalog and orders --------------------------------------------------------
  catalogItem(sku: string): CatalogItem | undefined {
    return this.catalogOverrides.get(sku) ?? this.network.catalog.get(sku)
  }
  upsertCatalog(items: readonly CatalogItem[]): void {
    for (const item of items) this.catalogOverrides.set(item.sku, item)
  }
  orderPlacedAtMs(orderId: string): number | undefined {
    return this.orderPlacedAt.get(orderId)
  }
  recordOrder(orderId: string, placedAtMs: number): void {
    if (this.orderPlacedAt.get(orderId) !== undefined) return
    this.orderPlacedAt.set(orderId, placedAtMs)
    // Oldest first out: Map keeps insertion order.
    if (this.orderPlacedAt.ownSize > MAX_ORDERS) {
      const oldest = this.orderPlacedAt.firstOwnKey()
      if (oldest !== undefined) this.orderPlacedAt.delete(oldest)
    }
  }

  // ---- open returns -----------------------------------------------------------------
  /**
   * Open returns of this layer changed lately, least lately first, not packed yet. Only the
   * live state packs (a fork is short-lived, and its returns may be the parent's).
   */
  private readonly unpacked = new Set<string>()

  /** `rmaId` changed: it goes to the back of the queue; the returns in front of the last PACK_AFTER are packed. */
  private changedLately(rmaId: string): void {
    if (this.parent) return
    this.unpacked.delete(rmaId)
    this.unpacked.add(rmaId)
    // A few per change, so a state restored with many unpacked returns packs them gradually.
    for (let n = 0; n < PACK_PER_CHANGE && this.unpacked.size > PACK_AFTER; n++) {
      const oldest = this.unpacked.values().next().value as string
      this.unpacked.delete(oldest)
      this.openReturns.get(oldest)?.pack()
    }
  }

  openReturn(rmaId: string): OpenReturn | undefined {
    return this.openReturns.get(rmaId)
  }
  recordRequest(request: ReturnRequested): OpenReturn {
    const existing = this.openReturns.get(request.rmaId)
    if (existing) {
      // A corrected request for the same RMA: its lines are what gets decided from now on.
      existing.request = request
      this.changedLately(request.rmaId)
      return existing
    }
    const open = new OpenReturn(request)
    this.openReturns.set(request.rmaId, open)
    this.changedLately(request.rmaId)
    return open
  }
  /** Make `decision` the current one of its line; the one it supersedes gives back its capacity. */
  recordDecision(decision: Decision | HeldDecision): void {
    const open = this.openReturns.get(decision.rmaId)
    if (!open) return
    this.journalReturn(decision.rmaId)
    const prev = open.lines.get(decision.lineIndex)
    if (prev && prev.decisionId !== decision.decisionId) {
      this.release(prev.decisionId)
      this.openDecisionRma.delete(prev.decisionId)
    }
    this.openDecisionRma.set(decision.decisionId, decision.rmaId)
    // A line joins its receiving node's dock mix once; a re-decision to another node moves it.
    if (!prev || prev.receivingNodeId !== decision.receivingNodeId) {
      if (prev) {
        const idx = prev.receivingNodeId ? this.network.nodeIndex.get(prev.receivingNodeId) : undefined
        if (idx !== undefined) this.recordDockLoad(idx, prev.priority, -(prev.qty ?? 1))
      }
      const idx = decision.receivingNodeId ? this.network.nodeIndex.get(decision.receivingNodeId) : undefined
      if (idx !== undefined) this.recordDockLoad(idx, decision.priority, decision.qty ?? 1)
    }
    // Likewise a repair joins its node's bench mix once; becoming another resolution or
    // going to another node moves it.
    const wasBench = prev ? benchNodeOf(this.network, prev) : undefined
    const isBench = benchNodeOf(this.network, decision)
    if (!prev || wasBench !== isBench) {
      if (wasBench !== undefined) this.recordBenchLoad(wasBench, prev!.priority, -(prev!.qty ?? 1))
      if (isBench !== undefined) this.recordBenchLoad(isBench, decision.priority, decision.qty ?? 1)
    }
    const status = open.statusByLine.get(decision.lineIndex) ?? open.statusByLine.get(-1) ?? prev?.status ?? 'requested'
    open.lines.set(decision.lineIndex, new OpenLine(decision, status))
    this.changedLately(decision.rmaId)
    // A replacement already shipped holds no stock any more (matters when replaying).
    const held = status === 'exchange_shipped' && decision.reservations
      ? { bench: decision.reservations.bench, rtv: decision.reservations.rtv }
      : decision.reservations
    this.reserve(decision.decisionId, held)
  }
  /**
   * Rebuild on restart: replay the events first (applyEvent), then the stored decisions
   * oldest first. A decision of a return closed or cancelled meanwhile is ignored; a
   * later decision of the same line supersedes an earlier one.
   */
  restoreDecision(decision: Decision): void {
    this.recordDecision(decision)
  }

  // ---- undo journal: what an event changed, so a write that fails can take it back ---
  private journal: Map<string, ReturnSnapshot> | null = null

  /**
   * From now until takeJournal(), the first change to each return's decisions snapshots
   * the return as it was first. An event changes more returns than its own: a stock drop
   * or a cut in bench hours re-decides the returns holding them, and if the event's write
   * fails those re-decisions were never stored, so they must be taken back too.
   */
  beginJournal(): void {
    this.journal = new Map()
  }
  /** Snapshots a return now, before the event changes its request (requests, inspections). */
  journalReturn(rmaId: string): void {
    if (this.journal && !this.journal.has(rmaId)) this.journal.set(rmaId, this.snapshotReturn(rmaId))
  }
  /** Ends the journal: the returns as they were before the event, in the order first changed. */
  takeJournal(): ReturnSnapshot[] {
    const out = [...(this.journal?.values() ?? [])]
    this.journal = null
    return out
  }

  /** What `restoreReturn` needs to put one return back as it was (taken before changing it). */
  snapshotReturn(rmaId: string): ReturnSnapshot {
    const open = this.openReturns.get(rmaId)
    return open ? { rmaId, request: open.request, lines: new Map(open.lines) } : { rmaId }
  }

  /**
   * Undo every change made to one return since `snapshot`: its current decisions give back
   * their capacity and the earlier ones hold theirs again; a return that was not open is
   * forgotten. Used when the decisions made could not be stored (nothing acknowledged).
   */
  restoreReturn(snapshot: ReturnSnapshot): void {
    if (!snapshot.request || !snapshot.lines) {
      this.closeReturn(snapshot.rmaId)
      return
    }
    const open = this.openReturns.get(snapshot.rmaId)
    if (!open) return
    open.request = snapshot.request
    for (const [index, line] of open.lines) {
      if (snapshot.lines.has(index)) continue
      this.release(line.decisionId)
      this.openDecisionRma.delete(line.decisionId)
      open.lines.delete(index)
    }
    for (const line of snapshot.lines.values()) this.recordDecision(line.decision)
  }

  closeReturn(rmaId: string): void {
    const open = this.openReturns.get(rmaId)
    if (!open) return
    for (const line of open.lines.values()) {
      this.release(line.decisionId)
      this.leaveDock(line)
      this.openDecisionRma.delete(line.decisionId)
    }
    this.openReturns.delete(rmaId)
    this.unpacked.delete(rmaId)
  }

  /** The open line whose current decision is `decisionId`, if any. */
  openLineOf(decisionId: string): { open: OpenReturn; line: OpenLine } | undefined {
    const rmaId = this.openDecisionRma.get(decisionId)
    const open = rmaId === undefined ? undefined : this.openReturns.get(rmaId)
    if (!open) return undefined
    for (const line of open.lines.values()) if (line.decisionId === decisionId) return { open, line }
    return undefined
  }

  // ---- checkpoints ---------------------------------------------------------------------
  /**
   * Every table of the state (each LayeredMap field, by its name) as entries, for a
   * checkpoint (see snapshot.ts). Found by type, so a table added later is included
   * without touching this; only called on the live state, never on a fork.
   */
  tables(): Record<string, [unknown, unknown][]> {
    const out: Record<string, [unknown, unknown][]> = {}
    for (const [name, value] of Object.entries(this)) if (value instanceof LayeredMap) out[name] = [...value.entries()]
    return out
  }
  /** Fills an empty state from tables(); a missing or unknown table is an error (another layout). */
  loadTables(tables: Record<string, [unknown, unknown][]>): void {
    const mine = Object.entries(this).filter(([, v]) => v instanceof LayeredMap) as [string, LayeredMap<unknown, unknown>][]
    const names = new Set(mine.map(([n]) => n))
    for (const name of Object.keys(tables)) if (!names.has(name)) throw new Error(`unknown table ${name}`)
    for (const [name, map] of mine) {
      const entries = tables[name]
      if (!Array.isArray(entries)) throw new Error(`table ${name} missing`)
      for (const [k, v] of entries) map.set(k, v)
    }
    // Packed gradually by the changes that follow (changedLately), not while loading.
    if (!this.parent) for (const [rmaId] of this.openReturns.entries()) this.unpacked.add(rmaId)
  }
  /**
   * Forgets returns requested and orders placed before `cutoffMs`, as a full replay (which
   * reads only that window) would never have known them; their reservations are given back.
   */
  forgetBefore(cutoffMs: number): void {
    for (const [rmaId, open] of [...this.openReturns.entries()]) {
      if (Date.parse(open.request.occurredAt) < cutoffMs) this.closeReturn(rmaId)
    }
    for (const [orderId, placedAt] of [...this.orderPlacedAt.entries()]) if (placedAt < cutoffMs) this.orderPlacedAt.delete(orderId)
  }

  // ---- events that only move state (decisions are the engine's job) ---------------
  /**
   * Apply the state effect of an event. Return requests are recorded as open returns;
   * their decisions come from the engine. return.status effects on reservations:
   * exchange_shipped releases the replacement's stock reservation (the WMS's own
   * inventory.adjusted event moves on-hand, so on-hand is not touched here),
   * cancelled/closed release everything the RMA holds.
   */
  applyEvent(event: Event): void {
    switch (event.type) {
      case 'order.placed':
        this.recordOrder(event.orderId, Date.parse(event.occurredAt))
        return
      case 'return.requested':
        this.recordRequest(event)
        return
      case 'inventory.snapshot': {
        const idx = this.network.nodeIndex.get(event.nodeId)
        if (idx === undefined) return
        for (const item of event.items) {
          if (item.partId !== undefined) this.capacityLimit.set(partKey(event.nodeId, item.partId), item.onHand)
          else this.setOnHand(idx, item.sku, item.onHand)
        }
        return
      }
      case 'inventory.adjusted': {
        const idx = this.network.nodeIndex.get(event.nodeId)
        if (idx === undefined) return
        if (event.partId !== undefined) {
          const key = partKey(event.nodeId, event.partId)
          this.capacityLimit.set(key, Math.max(0, (this.capacityLimit.get(key) ?? 0) + event.delta))
          return
        }
        this.adjustOnHand(idx, event.sku, event.delta)
        return
      }
      case 'catalog.upsert':
        this.upsertCatalog(event.items)
        return
      case 'return.offer_answered':
        this.recordOfferAnswer(event.offerId, event.accepted)
        return
      case 'return.inspected': {
        const open = this.openReturns.get(event.rmaId)
        if (!open) return
        const request = open.request
        const lineIndex = findLineIndex(request, event.lineId, event.sku)
        if (lineIndex < 0) return
        const line = request.lines[lineIndex]
        const category = this.catalogItem(line.sku)?.category ?? this.network.file.rules.unknownSkuCategory
        this.recordGrade(category, line.reason, line.condition, event.grade)
        open.setStatus(lineIndex, 'inspected')
        const current = open.lines.get(lineIndex)
        if (current) current.status = 'inspected'
        return
      }
      case 'return.status': {
        const open = this.openReturns.get(event.rmaId)
        if (!open) return
        if (event.status === 'cancelled' || event.status === 'closed') {
          if (event.lineId === undefined) {
            this.closeReturn(event.rmaId)
            return
          }
          const idx = findLineIndex(open.request, event.lineId, undefined)
          const line = open.lines.get(idx)
          if (line) {
            this.release(line.decisionId)
            this.leaveDock(line)
            this.openDecisionRma.delete(line.decisionId)
            open.lines.delete(idx)
          }
          if (open.lines.size === 0 && idx >= 0) {
            this.openReturns.delete(event.rmaId)
            this.unpacked.delete(event.rmaId)
          }
          return
        }
        const statusIdx = event.lineId === undefined ? -1 : findLineIndex(open.request, event.lineId, undefined)
        open.setStatus(statusIdx, event.status)
        for (const [idx, line] of open.lines) {
          if (event.lineId !== undefined && idx !== statusIdx) continue
          line.status = event.status
          if (event.status === 'exchange_shipped') this.release(line.decisionId, 'stock')
        }
        return
      }
    }
  }
}

/** Line of a request by lineId, else the first line with the SKU; -1 when none. */
export function findLineIndex(request: ReturnRequested, lineId: string | undefined, sku: string | undefined): number {
  if (lineId !== undefined) {
    const i = request.lines.findIndex((l) => l.lineId === lineId)
    if (i >= 0) return i
  }
  if (sku !== undefined) return request.lines.findIndex((l) => l.sku === sku)
  return -1
}

/** Offer ids are "<decisionId>@<wish>:<resolution>" (safe in a URL path): the type is what follows the last '@'. */
export function offerIdOf(decisionId: string, wish: string, resolution: string): string {
  return `${decisionId}@${wish}:${resolution}`
}
export function offerTypeOf(offerId: string): string {
  const i = offerId.lastIndexOf('@')
  return i < 0 ? 'unknown' : offerId.slice(i + 1)
}

function stockKey(nodeIdx: number, sku: string): string {
  return `${nodeIdx}|${sku}`
}
function benchKey(nodeIdx: number, day: number): string {
  return `${nodeIdx}|${day}`
}
function rtvKey(vendorId: string, period: number): string {
  return `${vendorId}|${period}`
}
function gradeKey(category: string, reason: string, condition: string): string {
  return `${category}|${reason}|${condition}`
}
