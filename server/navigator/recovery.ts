// What a returned item is worth after inspection, per channel and grade, and the
// expected value with recourse at request time:
//   E[recovery] = Σ_grade P(grade) × max over the node's channels of (value after decay − channel cost)
// (DECISION-MODEL.md "Candidates"). After inspection the grade is known and the same
// per-channel values rank the dispositions.
import type { Grade } from '../contracts/enums.js'
import type { ChannelDisposition, Network } from './network.js'
import { GRADES } from './network.js'
import type { LineContext } from './line-context.js'
import { freeOf, hasBidPrices, priceOf } from './capacity.js'
import type { NavigatorState } from './state.js'

const HOUR_MS = 3_600_000

export interface ChannelOutcome {
  disposition: ChannelDisposition
  /** Gross value realised (sale price after decay, or vendor credit). */
  recovery: number
  /** The channel's own handling (repack, restock, outlet listing, RTV admin…). */
  channelCost: number
  /** Parts + labour when the grade needs a repair before the channel takes it. */
  repairCost: number
  benchHours: number
  /** recovery − channelCost − repairCost */
  net: number
}

export interface RepairQuote {
  parts: { id: string; name: string; cost: number }[]
  /** Bench hours for the whole line. */
  hours: number
  /** Parts + labour for the whole line. */
  cost: number
  /** The standard time from inspection to repaired (the bench's queue, the labour, testing). */
  turnaroundHours: number
  /** Of it, the wait for the bench (turnaround beyond the labour): what priority order moves. */
  benchQueueHours: number
}

/** Parts and labour to repair the line at a node, or a rejection reason. */
export function repairQuote(ctx: LineContext, network: Network, nodeIdx: number): RepairQuote | string {
  if (!ctx.repairable) return 'not_repairable'
  const spec = network.file.repair.productTypes[ctx.productType]
  if (!spec) return 'no_repair_spec'
  const node = network.nodes[nodeIdx]
  if (!node.repairProductTypes.includes(ctx.productType)) return 'no_parts_at_node'
  let partsCost = 0
  for (const p of spec.parts) partsCost += p.cost
  const labour = spec.labourHours * network.file.repair.labourRatePerHour * node.labourCostFactor
  return {
    parts: spec.parts,
    hours: spec.labourHours * ctx.qty,
    cost: (partsCost + labour) * ctx.qty,
    turnaroundHours: spec.turnaroundHours + spec.labourHours,
    benchQueueHours: spec.turnaroundHours,
  }
}

/**
 * First day (offset from the arrival day, up to the rules' look-ahead) with `hours` of
 * free bench time at the node; -1 when none.
 */
export function benchDayOffset(
  state: NavigatorState, network: Network, nodeIdx: number, atMs: number, hours: number,
): number {
  // The first day only: no array of every day with room (this runs per channel option).
  if (state.benchHoursPerDay(nodeIdx) < hours) return -1
  const day0 = state.localDay(atMs)
  for (let k = 0; k <= network.file.rules.benchLookaheadDays; k++) if (state.benchFree(nodeIdx, day0 + k) >= hours) return k
  return -1
}

/** Every day offset in the look-ahead whose bench still has `hours` free (earliest first). */
export function benchDaysWithRoom(
  state: NavigatorState, network: Network, nodeIdx: number, atMs: number, hours: number,
): number[] {
  if (state.benchHoursPerDay(nodeIdx) < hours) return []
  const day0 = state.localDay(atMs)
  const out: number[] = []
  for (let k = 0; k <= network.file.rules.benchLookaheadDays; k++) if (state.benchFree(nodeIdx, day0 + k) >= hours) out.push(k)
  return out
}

/** Can the vendor take this line back at all (terms, window, quota)? A reason when not. */
export function rtvBlocker(ctx: LineContext, state: NavigatorState, network: Network, ignoreQuota = false): string | null {
  if (!ctx.vendorId) return 'no_vendor_terms'
  const vendor = network.vendors.get(ctx.vendorId)
  if (!vendor) return 'no_vendor_terms'
  if (ctx.orderAgeDays !== undefined && ctx.orderAgeDays > vendor.rtvWindowDays) return 'rtv_window_expired'
  if (ignoreQuota) return null
  const period = state.rtvPeriod(vendor.id, ctx.nowMs)
  if (freeOf(state, 'rtv', vendor.id, period) < ctx.qty) return 'rtv_quota_used'
  return null
}

/**
 * The time-independent part of sending the line through channel `ci` at node `nodeIdx`
 * with grade `g`: everything but decay and bench availability, which depend on when the
 * item is inspected. Computed once per line and node, then realised per inbound mode.
 */
export interface ChannelOption {
  disposition: ChannelDisposition
  /** Value if realised at the decision time; vendor credit does not decay. */
  recoveryAtZero: number
  decays: boolean
  /** Hours from inspection until the value is realised. */
  resaleDelayHours: number
  channelCost: number
  repairCost: number
  /** Bench hours needed on the inspection day (0: no repair). */
  benchHours: number
}

export function channelOption(
  ctx: LineContext, network: Network, nodeIdx: number, ci: number, g: Grade, rtvBlock: string | null,
  /** repairQuote's answer for the line at the node, when the caller has it (it is the same for every channel and grade). */
  knownQuote?: RepairQuote | string,
  /** Filled in place instead of a new object (NodeChannelOptions). */
  out?: ChannelOption,
): ChannelOption | string {
  const ch = network.channels[ci]
  const node = network.nodes[nodeIdx]
  if (!ch.acceptsGrades.includes(g)) return 'grade_not_accepted'
  let repairCost = 0
  let benchHours = 0
  if (ch.needsRepairForGrades.includes(g)) {
    const quote = knownQuote ?? repairQuote(ctx, network, nodeIdx)
    if (typeof quote === 'string') return quote
    repairCost = quote.cost
    benchHours = quote.hours
  }
  const channelCost = (ch.costPerUnit + ch.costShareOfPrice * ctx.resaleUnit) * ctx.qty * node.labourCostFactor
  if (ch.disposition === 'return_to_vendor') {
    if (rtvBlock) return rtvBlock
    const vendor = network.vendors.get(ctx.vendorId!)!
    if (!vendor.acceptsGrades.includes(g)) return 'grade_not_accepted'
    // A vendor node only takes its own vendor's goods.
    if (node.kind === 'vendor' && node.vendorId !== vendor.id) return 'other_vendor'
    return optionOf(out, ch.disposition, vendor.creditShareOfCost * ctx.unitCost * ctx.qty, false,
      ch.daysToResale * 24, channelCost + vendor.adminCostPerUnit * ctx.qty, repairCost, benchHours)
  }
  const rate = ch.rateByGrade[g] * ch.lifecycleFactor[ctx.lifecycle] * (ch.categoryFactor[ctx.category] ?? 1)
  return optionOf(out, ch.disposition, ctx.resaleUnit * ctx.qty * rate, true, ch.daysToResale * 24, channelCost, repairCost, benchHours)
}

function optionOf(
  out: ChannelOption | undefined, disposition: ChannelDisposition, recoveryAtZero: number, decays: boolean,
  resaleDelayHours: number, channelCost: number, repairCost: number, benchHours: number,
): ChannelOption {
  if (!out) return { disposition, recoveryAtZero, decays, resaleDelayHours, channelCost, repairCost, benchHours }
  out.disposition = disposition; out.recoveryAtZero = recoveryAtZero; out.decays = decays; out.resaleDelayHours = resaleDelayHours
  out.channelCost = channelCost; out.repairCost = repairCost; out.benchHours = benchHours
  return out
}

function recoveryAt(o: ChannelOption, ctx: LineContext, inspectedAtHours: number): number {
  return o.decays ? o.recoveryAtZero * Math.exp(ctx.decayLogPerHour * (inspectedAtHours + o.resaleDelayHours)) : o.recoveryAtZero
}

function benchAvailable(
  o: ChannelOption, ctx: LineContext, state: NavigatorState, network: Network, nodeIdx: number, inspectedAtHours: number,
): boolean {
  // The outlet's daily quota is checked with the bench: both depend on the inspection day.
  if (o.disposition === 'outlet_promotion'
    && freeOf(state, 'outlet', network.nodes[nodeIdx].id, state.localDay(ctx.nowMs + inspectedAtHours * HOUR_MS)) < ctx.qty) return false
  return o.benchHours <= 0 || benchDayOffset(state, network, nodeIdx, ctx.nowMs + inspectedAtHours * HOUR_MS, o.benchHours) >= 0
}

/**
 * benchAvailable for every option of one node and inspection time, each slot read once:
 * all options share the inspection day, and a node's repairs the same bench hours.
 * One object, set anew for each (mode, node) of every line (`at`): expectedRecourse runs
 * for each, and does not call itself.
 */
class RoomAtInspection {
  private outlet: boolean | undefined
  private benchHours = -1
  private bench = false
  private price = 0
  private ctx!: LineContext
  private state!: NavigatorState
  private network!: Network
  private nodeIdx = -1
  private inspectedAtHours = 0

  at(ctx: LineContext, state: NavigatorState, network: Network, nodeIdx: number, inspectedAtHours: number): this {
    this.ctx = ctx; this.state = state; this.network = network; this.nodeIdx = nodeIdx; this.inspectedAtHours = inspectedAtHours
    this.outlet = undefined; this.benchHours = -1; this.bench = false; this.price = 0
    return this
  }

  available(o: ChannelOption): boolean {
    if (o.disposition === 'outlet_promotion') {
      this.outlet ??= freeOf(this.state, 'outlet', this.network.nodes[this.nodeIdx].id,
        this.state.localDay(this.ctx.nowMs + this.inspectedAtHours * HOUR_MS)) >= this.ctx.qty
      if (!this.outlet) return false
    }
    if (o.benchHours <= 0) return true
    if (o.benchHours !== this.benchHours) {
      this.benchHours = o.benchHours
      const atMs = this.ctx.nowMs + this.inspectedAtHours * HOUR_MS
      if (hasBidPrices(this.state)) {
        // The days with room, read once: whether there is one, and the cheapest one's price.
        const days = benchDaysWithRoom(this.state, this.network, this.nodeIdx, atMs, o.benchHours)
        this.bench = days.length > 0
        this.price = cheapestBenchPrice(this.state, this.network, this.nodeIdx, atMs, days)
      } else {
        this.bench = benchDayOffset(this.state, this.network, this.nodeIdx, atMs, o.benchHours) >= 0
        this.price = 0
      }
    }
    return this.bench
  }

  /** The bid price of a bench hour for the option `available` last said had room (0 without prices). */
  benchPrice(): number {
    return this.price
  }
}

/**
 * The lowest bid price of an hour on the given bench days (offsets from `atMs`'s day, those
 * with room): what refurbishing the item after grading is expected to cost the repairs
 * that want the same hours, as the capacity LP charges its refurbishing twin
 * (capacity-lp.ts). 0 without days.
 */
function cheapestBenchPrice(state: NavigatorState, network: Network, nodeIdx: number, atMs: number, days: readonly number[]): number {
  const day0 = state.localDay(atMs)
  const nodeId = network.nodes[nodeIdx].id
  let best = Infinity
  for (const k of days) best = Math.min(best, priceOf(state, 'bench', nodeId, day0 + k))
  return Number.isFinite(best) ? best : 0
}

/**
 * An upper bound on the net value (recovery − channel − repair cost) expected at a node,
 * whatever the inspection time and the capacity left: each grade through its best channel
 * with no decay (recovery only falls with time) and no bench or outlet limit. null when
 * some possible grade has no channel at all (the node is then rejected, not bounded).
 */
export function recourseUpperBound(ctx: LineContext, options: NodeChannelOptions): number | null {
  let sum = 0
  for (let gi = 0; gi < 4; gi++) {
    const p = ctx.gradeProbs[gi]
    if (p <= 0) continue
    const opts = options.byGrade[gi]
    const count = options.count[gi]
    if (count === 0) return null
    let best = -Infinity
    for (let k = 0; k < count; k++) {
      const o = opts[k]
      const net = Math.max(0, o.recoveryAtZero) - o.channelCost - o.repairCost
      if (net > best) best = net
    }
    sum += p * best
  }
  return sum
}

/**
 * A ceiling on recourseUpperBound at every node: each possible grade at the most any
 * channel of the network pays for it (sale value before decay, or vendor credit), no cost
 * deducted. Needs no per-node work; channel costs and repair costs are never negative.
 */
export function recourseCeiling(ctx: LineContext, network: Network): number {
  const vendor = ctx.vendorId ? network.vendors.get(ctx.vendorId) : undefined
  let sum = 0
  for (let gi = 0; gi < 4; gi++) {
    const p = ctx.gradeProbs[gi]
    if (p <= 0) continue
    let best = 0
    for (const ch of network.channels) {
      if (!ch.acceptsGrades.includes(GRADES[gi])) continue
      const v = ch.disposition === 'return_to_vendor'
        ? (vendor ? vendor.creditShareOfCost * ctx.unitCost * ctx.qty : 0)
        : ctx.resaleUnit * ctx.qty * ch.rateByGrade[GRADES[gi]] * ch.lifecycleFactor[ctx.lifecycle] * (ch.categoryFactor[ctx.category] ?? 1)
      if (v > best) best = v
    }
    sum += p * best
  }
  return sum
}

/**
 * Value of sending the line through channel `ci` at node `nodeIdx` with grade `g`,
 * inspected `inspectedAtHours` after the decision. A string is the rejection reason.
 * `rtvBlock` is rtvBlocker's answer for this line, computed once by the caller.
 */
export function evaluateChannel(
  ctx: LineContext, state: NavigatorState, network: Network, nodeIdx: number, ci: number,
  g: Grade, inspectedAtHours: number, rtvBlock: string | null,
): ChannelOutcome | string {
  const o = channelOption(ctx, network, nodeIdx, ci, g, rtvBlock)
  if (typeof o === 'string') return o
  if (!benchAvailable(o, ctx, state, network, nodeIdx, inspectedAtHours)) return 'repair_capacity'
  const recovery = recoveryAt(o, ctx, inspectedAtHours)
  return {
    disposition: o.disposition, recovery, channelCost: o.channelCost, repairCost: o.repairCost, benchHours: o.benchHours,
    net: recovery - o.channelCost - o.repairCost,
  }
}

/**
 * The feasible channel options of one node per grade (A–D): the first `count[g]` of
 * `byGrade[g]`. Built once per line and node (nodeChannelOptions). An enumeration refills
 * the same tables line after line (NodeOptionTables): a line's options were a sixth of
 * what deciding it allocated, and they never leave the enumeration that built them.
 */
export class NodeChannelOptions {
  readonly byGrade: ChannelOption[][] = [[], [], [], []]
  readonly count = [0, 0, 0, 0]
}

/** One NodeChannelOptions per node index, reused by every enumeration (they do not nest). */
export class NodeOptionTables {
  private readonly tables: NodeChannelOptions[] = []
  at(nodeIdx: number): NodeChannelOptions {
    while (this.tables.length <= nodeIdx) this.tables.push(new NodeChannelOptions())
    return this.tables[nodeIdx]
  }
}

/** Feasible channel options per grade (A–D) at a node, written into `into`: computed once per line and node. */
export function nodeChannelOptions(
  ctx: LineContext, network: Network, nodeIdx: number, rtvBlock: string | null,
  into: NodeChannelOptions = new NodeChannelOptions(),
): NodeChannelOptions {
  let quote: RepairQuote | string | undefined
  for (let gi = 0; gi < 4; gi++) {
    const slots = into.byGrade[gi]
    let count = 0
    if (ctx.gradeProbs[gi] > 0) {
      for (const ci of network.channelsByNode[nodeIdx]) {
        if (quote === undefined && network.channels[ci].needsRepairForGrades.includes(GRADES[gi])) quote = repairQuote(ctx, network, nodeIdx)
        // A rejected channel leaves its slot to the next one.
        const o = channelOption(ctx, network, nodeIdx, ci, GRADES[gi], rtvBlock, quote, slots[count])
        if (typeof o === 'string') continue
        if (count === slots.length) slots.push(o)
        count++
      }
    }
    into.count[gi] = count
  }
  return into
}

/** Best channel for a known grade at a node (ties: the earlier channel in the fixed order). */
export function bestChannel(
  ctx: LineContext, state: NavigatorState, network: Network, nodeIdx: number, g: Grade,
  inspectedAtHours: number, rtvBlock: string | null,
): ChannelOutcome | null {
  let best: ChannelOutcome | null = null
  for (const ci of network.channelsByNode[nodeIdx]) {
    const o = evaluateChannel(ctx, state, network, nodeIdx, ci, g, inspectedAtHours, rtvBlock)
    if (typeof o !== 'string' && (best === null || o.net > best.net)) best = o
  }
  return best
}

export interface RecourseValue {
  expectedRecovery: number
  expectedChannelCost: number
  expectedRepairCost: number
  /** The channel that takes the largest probability mass. */
  dominant: ChannelDisposition
  /** Chosen channel per grade (null when the grade has probability 0). */
  plan: (ChannelDisposition | null)[]
  /**
   * Σ P(grade) × bench hours of its channel: what refurbishing the item is expected to take
   * of the node's bench once it is graded (booked then, not at request time: decide.ts).
   */
  expectedBenchHours?: number
  /** Those hours at the bench's bid price (0 without prices): part of the plan's capacity term. */
  expectedBenchCharge?: number
}

/**
 * Expected value with recourse at a node, or the reason the node cannot dispose of some
 * grade: Σ_grade P(grade) × max over the node's channels of (value after decay − cost).
 * `options` (from nodeChannelOptions) lets the caller reuse the per-node work across modes.
 */
export function expectedRecourse(
  ctx: LineContext, state: NavigatorState, network: Network, nodeIdx: number,
  inspectedAtHours: number, rtvBlock: string | null,
  options: NodeChannelOptions = nodeChannelOptions(ctx, network, nodeIdx, rtvBlock),
  ignoreCapacity = false,
  /** No channel that needs the bench (refurbishment), whatever room it has: the capacity LP's twin plans. */
  withoutBench = false,
): RecourseValue | string {
  let expectedRecovery = 0
  let expectedChannelCost = 0
  let expectedRepairCost = 0
  let expectedBenchHours = 0
  let expectedBenchCharge = 0
  const plan: (ChannelDisposition | null)[] = [null, null, null, null]
  const room = roomAtInspection.at(ctx, state, network, nodeIdx, inspectedAtHours)
  for (let gi = 0; gi < 4; gi++) {
    const p = ctx.gradeProbs[gi]
    if (p <= 0) continue
    const opts = options.byGrade[gi]
    const count = options.count[gi]
    let best: ChannelOption | null = null
    let bestNet = -Infinity
    let bestRecovery = 0
    let bestBenchPrice = 0
    for (let k = 0; k < count; k++) {
      const o = opts[k]
      const recovery = recoveryAt(o, ctx, inspectedAtHours)
      let net = recovery - o.channelCost - o.repairCost
      if (withoutBench && o.benchHours > 0) continue
      if (!(net > bestNet) || !(ignoreCapacity || room.available(o))) continue
      // With bid prices, refurbishing pays for the bench hours it would take from repairs.
      const price = !ignoreCapacity && o.benchHours > 0 ? room.benchPrice() : 0
      net -= o.benchHours * price
      // Strictly better only: ties keep the earlier channel (fixed order).
      if (net > bestNet) {
        best = o; bestNet = net; bestRecovery = recovery; bestBenchPrice = price
      }
    }
    if (!best) return 'no_channel_for_grade'
    plan[gi] = best.disposition
    expectedRecovery += p * bestRecovery
    expectedChannelCost += p * best.channelCost
    expectedRepairCost += p * best.repairCost
    expectedBenchHours += p * best.benchHours
    expectedBenchCharge += p * best.benchHours * bestBenchPrice
  }
  // Ties in mass go to the better grade's channel: the first grade's channel wins.
  let dominant: ChannelDisposition | null = null
  let dominantMass = -1
  for (let gi = 0; gi < 4; gi++) {
    const d = plan[gi]
    if (d === null) continue
    const m = massOf(d, plan, ctx.gradeProbs)
    if (m > dominantMass) { dominant = d; dominantMass = m }
  }
  return { expectedRecovery, expectedChannelCost, expectedRepairCost, dominant: dominant!, plan, expectedBenchHours, expectedBenchCharge }
}

const roomAtInspection = new RoomAtInspection()

/** The probability mass the plan sends through `d`, summed in grade order (no array per plan). */
function massOf(d: ChannelDisposition, plan: readonly (ChannelDisposition | null)[], gradeProbs: readonly number[]): number {
  let m = 0
  for (let gi = 0; gi < 4; gi++) if (plan[gi] === d) m += gradeProbs[gi]
  return m
}
